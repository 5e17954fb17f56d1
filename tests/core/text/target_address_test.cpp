#include "core/text/target_address.hpp"

#include <gtest/gtest.h>

namespace iscsi::text {
namespace {

// C106: the three host forms, optional port, optional portal group tag.
TEST(TargetAddress, Ipv4WithPortAndTag) {
  const auto address = parse_target_address("127.0.0.1:3260,1").value();
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 3260);
  EXPECT_EQ(address.portal_group_tag, 1);
  EXPECT_EQ(format_target_address(address), "127.0.0.1:3260,1");
}

TEST(TargetAddress, BracketedIpv6) {
  const auto address = parse_target_address("[2001:db8::1]:3261,65535").value();
  EXPECT_EQ(address.host, "2001:db8::1");
  EXPECT_EQ(address.port, 3261);
  EXPECT_EQ(address.portal_group_tag, 65535);
  EXPECT_EQ(format_target_address(address), "[2001:db8::1]:3261,65535");
  EXPECT_EQ(parse_target_address("[::1]").value().host, "::1");
}

TEST(TargetAddress, DnsNameDefaultsToPort3260) {
  const auto address = parse_target_address("storage.example.com").value();
  EXPECT_EQ(address.port, kDefaultIscsiPort);
  EXPECT_FALSE(address.port_given);
  EXPECT_FALSE(address.portal_group_tag);
  EXPECT_EQ(format_target_address(address), "storage.example.com");
  const auto tagged = parse_target_address("storage.example.com,7").value();
  EXPECT_EQ(tagged.portal_group_tag, 7);
  EXPECT_EQ(tagged.port, 3260);
}

TEST(TargetAddress, Malformed) {
  for (const char* bad : {"", ":3260", "[::1", "[]:3260", "host:", "host:65536", "host:12a",
                          "host,", "host,70000", "host:3260,1,2", "[::1]x", "a:b:c"}) {
    auto address = parse_target_address(bad);
    ASSERT_FALSE(address) << bad;
    EXPECT_EQ(address.error().id(), "text.bad-target-address") << bad;
  }
}

}  // namespace
}  // namespace iscsi::text
