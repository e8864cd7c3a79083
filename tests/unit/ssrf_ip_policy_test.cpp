#include <gtest/gtest.h>

#include "server/ip_policy.h"

namespace idcard::server {
namespace {

bool is_public(const char* text) {
  const auto a = IpAddress::parse(text);
  EXPECT_TRUE(a) << text;
  return a && is_public_address(*a);
}

TEST(IpPolicy, RefusesNonPublicIpv4) {
  for (const char* a : {"0.0.0.0", "10.0.0.1", "10.255.255.255", "100.64.0.1", "127.0.0.1", "127.1.2.3",
                        "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.1", "192.0.2.1",
                        "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1",
                        "239.255.255.250", "240.0.0.1", "255.255.255.255"})
    EXPECT_FALSE(is_public(a)) << a;
}

TEST(IpPolicy, AdmitsPublicIpv4) {
  for (const char* a : {"1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.128.0.1", "223.5.5.5"})
    EXPECT_TRUE(is_public(a)) << a;
}

TEST(IpPolicy, RefusesNonPublicIpv6AndEmbeddedIpv4) {
  for (const char* a : {"::", "::1", "[::1]", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
                        "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "fc00::1", "fd12:3456::1",
                        "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "2001::1", "100::1"})
    EXPECT_FALSE(is_public(a)) << a;
}

TEST(IpPolicy, AdmitsPublicIpv6) {
  for (const char* a : {"2400:3200::1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2002:0808:0808::1"})
    EXPECT_TRUE(is_public(a)) << a;
}

TEST(IpPolicy, RejectsNonLiterals) {
  EXPECT_FALSE(IpAddress::parse("localhost"));
  EXPECT_FALSE(IpAddress::parse("1.2.3"));
  EXPECT_FALSE(IpAddress::parse(""));
}

TEST(FetchAllowList, HostsAndCidrs) {
  const FetchAllowList allow({"images.internal", "10.1.0.0/16", "127.0.0.1", "fd00::/8"});
  EXPECT_TRUE(allow.admits_host("IMAGES.internal."));
  EXPECT_FALSE(allow.admits_host("other.internal"));
  EXPECT_TRUE(allow.admits_host("127.0.0.1"));
  EXPECT_TRUE(allow.admits_address(*IpAddress::parse("10.1.2.3")));
  EXPECT_FALSE(allow.admits_address(*IpAddress::parse("10.2.0.1")));
  EXPECT_TRUE(allow.admits_address(*IpAddress::parse("127.0.0.1")));
  EXPECT_FALSE(allow.admits_address(*IpAddress::parse("127.0.0.2")));
  EXPECT_TRUE(allow.admits_address(*IpAddress::parse("fd12::1")));
  EXPECT_THROW(FetchAllowList({"10.0.0.0/40"}), std::invalid_argument);
  EXPECT_THROW(FetchAllowList({"bad/8"}), std::invalid_argument);
}

}  // namespace
}  // namespace idcard::server
