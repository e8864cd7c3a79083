#pragma once
// Which addresses a server-side fetch of an untrusted URL may connect to: public unicast only,
// unless the operator's allow-list admits the host name or the address.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace idcard::server {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // v4 uses the first 4
  static std::optional<IpAddress> parse(std::string_view text);  // literal, brackets allowed for v6
  static std::optional<IpAddress> from_sockaddr(const sockaddr* sa);
  std::string to_string() const;
  bool operator==(const IpAddress& o) const { return v6 == o.v6 && bytes == o.bytes; }
};

// False for loopback, private, link-local, CGNAT, multicast, reserved, documentation,
// benchmarking, unspecified and broadcast ranges, and their IPv6 equivalents (::1, fc00::/7,
// fe80::/10, ff00::/8, ...); IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4) is judged
// by its IPv4 address.
bool is_public_address(const IpAddress& addr);

// Operator allow-list: exact host names (case-insensitive), IP literals or CIDRs.
class FetchAllowList {
 public:
  explicit FetchAllowList(const std::vector<std::string>& entries);  // throws on a malformed CIDR
  bool admits_host(std::string_view host) const;
  bool admits_address(const IpAddress& addr) const;

 private:
  struct Cidr {
    IpAddress base;
    int prefix = 0;
  };
  std::vector<std::string> hosts_;
  std::vector<Cidr> cidrs_;
};

}  // namespace idcard::server
