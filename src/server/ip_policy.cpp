#include "server/ip_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace idcard::server {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!out.empty() && out.back() == '.') out.pop_back();  // "localhost." is "localhost"
  return out;
}

bool prefix_match(const std::uint8_t* a, const std::uint8_t* b, int bits) {
  const int whole = bits / 8, rest = bits % 8;
  if (std::memcmp(a, b, static_cast<std::size_t>(whole)) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool v4_in(const std::uint8_t* a, std::uint8_t b0, std::uint8_t b1, int bits) {
  const std::uint8_t base[4] = {b0, b1, 0, 0};
  return prefix_match(a, base, bits);
}

bool is_public_v4(const std::uint8_t* a) {
  if (v4_in(a, 0, 0, 8)) return false;          // "this" network, 0.0.0.0
  if (v4_in(a, 10, 0, 8)) return false;         // private
  if (v4_in(a, 100, 64, 10)) return false;      // carrier-grade NAT
  if (v4_in(a, 127, 0, 8)) return false;        // loopback
  if (v4_in(a, 169, 254, 16)) return false;     // link-local (cloud metadata 169.254.169.254)
  if (v4_in(a, 172, 16, 12)) return false;      // private
  if (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) return false;  // IETF, TEST-NET-1
  if (a[0] == 192 && a[1] == 88 && a[2] == 99) return false;               // 6to4 relay anycast
  if (v4_in(a, 192, 168, 16)) return false;     // private
  if (v4_in(a, 198, 18, 15)) return false;      // benchmarking
  if (a[0] == 198 && a[1] == 51 && a[2] == 100) return false;  // TEST-NET-2
  if (a[0] == 203 && a[1] == 0 && a[2] == 113) return false;   // TEST-NET-3
  if (a[0] >= 224) return false;                // multicast, reserved, broadcast
  return true;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  IpAddress out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) return out;
  out.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) return out;
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr* sa) {
  if (!sa) return std::nullopt;
  IpAddress out;
  if (sa->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    std::memcpy(out.bytes.data(), &in.sin_addr, 4);
    return out;
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    out.v6 = true;
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    return out;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

bool is_public_address(const IpAddress& addr) {
  const std::uint8_t* a = addr.bytes.data();
  if (!addr.v6) return is_public_v4(a);
  static constexpr std::uint8_t kZero[16] = {};
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  if (std::memcmp(a, kZero, 12) == 0) return false;  // ::, ::1, IPv4-compatible ::a.b.c.d
  if (std::memcmp(a, kMapped, 12) == 0) return is_public_v4(a + 12);  // ::ffff:a.b.c.d
  if (std::memcmp(a, kNat64, 12) == 0) return is_public_v4(a + 12);   // 64:ff9b::a.b.c.d
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && a[4] == 0 && a[5] == 1)
    return false;                                                    // 64:ff9b:1::/48 local NAT64
  if (a[0] == 0x20 && a[1] == 0x02) return is_public_v4(a + 2);      // 6to4 2002:a.b.c.d::/16
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] < 0x02) return false;     // 2001::/23 (Teredo, IETF)
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false;  // 2001:db8::/32
  if (a[0] == 0x01 && a[1] == 0x00 && std::memcmp(a + 2, kZero, 6) == 0) return false;  // 100::/64
  if ((a[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local (deprecated)
  if (a[0] == 0xff) return false;                           // ff00::/8 multicast
  return (a[0] & 0xe0) == 0x20;  // only 2000::/3 is allocated global unicast
}

FetchAllowList::FetchAllowList(const std::vector<std::string>& entries) {
  for (const std::string& e : entries) {
    if (e.empty()) continue;
    const auto slash = e.find('/');
    const auto addr = IpAddress::parse(e.substr(0, slash));
    if (!addr) {
      if (slash != std::string::npos) throw std::invalid_argument("bad CIDR in fetch allow-list: " + e);
      hosts_.push_back(lower(e));
      continue;
    }
    const int max_bits = addr->v6 ? 128 : 32;
    int bits = max_bits;
    if (slash != std::string::npos) {
      try {
        bits = std::stoi(e.substr(slash + 1));
      } catch (const std::exception&) {
        bits = -1;
      }
      if (bits < 0 || bits > max_bits) throw std::invalid_argument("bad CIDR in fetch allow-list: " + e);
    }
    cidrs_.push_back({*addr, bits});
    // An IP literal also admits URLs that spell the host that way.
    if (slash == std::string::npos) hosts_.push_back(lower(addr->to_string()));
  }
}

bool FetchAllowList::admits_host(std::string_view host) const {
  std::string h = lower(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return std::find(hosts_.begin(), hosts_.end(), h) != hosts_.end();
}

bool FetchAllowList::admits_address(const IpAddress& addr) const {
  for (const Cidr& c : cidrs_)
    if (c.base.v6 == addr.v6 && prefix_match(c.base.bytes.data(), addr.bytes.data(), c.prefix)) return true;
  return false;
}

}  // namespace idcard::server
