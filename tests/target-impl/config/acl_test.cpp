#include "target-impl/config/acl.hpp"

#include "core/runtime/address.hpp"

#include <gtest/gtest.h>

namespace iscsi::target::config {
namespace {

std::uint32_t ip(std::string_view text) { return runtime::parse_ipv4(text).value(); }

TargetConfig target_with(std::vector<std::string_view> addresses,
                         std::vector<std::string> names = {}) {
  TargetConfig target;
  for (std::string_view a : addresses) target.initiator_addresses.push_back(parse_address_rule(a).value());
  target.initiator_names = std::move(names);
  return target;
}

TEST(AddressRule, AllCidrAndHost) {
  auto all = parse_address_rule("ALL").value();
  EXPECT_TRUE(all.all);
  EXPECT_EQ(all.text, "ALL");
  auto cidr = parse_address_rule("10.0.0.5/8").value();
  EXPECT_FALSE(cidr.all);
  EXPECT_EQ(cidr.network, 0x0A000000U);  // masked
  EXPECT_EQ(cidr.prefix_length, 8U);
  EXPECT_EQ(cidr.text, "10.0.0.5/8");
  auto host = parse_address_rule("10.0.0.5").value();
  EXPECT_EQ(host.prefix_length, 32U);
  EXPECT_EQ(host.network, 0x0A000005U);
  for (std::string_view bad : {"all", "hostname", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
                               "10.0.0.0/24/3", "10.0.0.0/008", "[::1]", "300.1.1.1"}) {
    EXPECT_FALSE(parse_address_rule(bad)) << bad;
  }
}

TEST(Admits, NothingBoundAdmitsNobody) {
  EXPECT_FALSE(admits(TargetConfig{}, ip("127.0.0.1"), "iqn.any"));
}

TEST(Admits, AllAdmitsEveryAddress) {
  TargetConfig t = target_with({"ALL"});
  EXPECT_TRUE(admits(t, ip("0.0.0.0"), ""));
  EXPECT_TRUE(admits(t, ip("203.0.113.9"), "iqn.x"));
}

TEST(Admits, CidrMatchesItsNetworkOnly) {
  TargetConfig t = target_with({"192.168.1.0/24"});
  EXPECT_TRUE(admits(t, ip("192.168.1.0"), "iqn.x"));
  EXPECT_TRUE(admits(t, ip("192.168.1.255"), "iqn.x"));
  EXPECT_FALSE(admits(t, ip("192.168.2.1"), "iqn.x"));
  EXPECT_FALSE(admits(t, ip("192.168.0.255"), "iqn.x"));
}

TEST(Admits, HostBitsInTheRuleAreMaskedAndSlash32IsOneHost) {
  TargetConfig t = target_with({"10.1.2.3/8", "172.16.0.7/32"});
  EXPECT_TRUE(admits(t, ip("10.200.0.1"), ""));
  EXPECT_TRUE(admits(t, ip("172.16.0.7"), ""));
  EXPECT_FALSE(admits(t, ip("172.16.0.8"), ""));
}

TEST(Admits, SlashZeroAndOddPrefixes) {
  EXPECT_TRUE(admits(target_with({"1.2.3.4/0"}), ip("200.0.0.1"), ""));
  TargetConfig t31 = target_with({"127.0.0.0/31"});
  EXPECT_TRUE(admits(t31, ip("127.0.0.1"), ""));
  EXPECT_FALSE(admits(t31, ip("127.0.0.2"), ""));
  TargetConfig t7 = target_with({"126.0.0.0/7"});
  EXPECT_TRUE(admits(t7, ip("127.255.255.255"), ""));
  EXPECT_FALSE(admits(t7, ip("128.0.0.0"), ""));
}

TEST(Admits, AddressOrNameIsEnough) {
  TargetConfig t = target_with({"127.0.0.2"}, {"iqn.good"});
  EXPECT_TRUE(admits(t, ip("127.0.0.2"), "iqn.bad"));
  EXPECT_TRUE(admits(t, ip("127.0.0.1"), "iqn.good"));
  EXPECT_FALSE(admits(t, ip("127.0.0.1"), "iqn.bad"));
  TargetConfig names_only = target_with({}, {"iqn.good"});
  EXPECT_TRUE(admits(names_only, ip("10.0.0.1"), "iqn.good"));
  EXPECT_FALSE(admits(names_only, ip("10.0.0.1"), "iqn.goo"));
  EXPECT_FALSE(admits(names_only, ip("10.0.0.1"), "IQN.GOOD"));  // names compare exactly
}

TEST(Sizes, BinarySuffixes) {
  EXPECT_EQ(parse_size("512"), 512U);
  EXPECT_EQ(parse_size("64M"), 64ULL << 20);
  EXPECT_EQ(parse_size("64m"), 64ULL << 20);
  EXPECT_EQ(parse_size("40G"), 40ULL << 30);
  EXPECT_EQ(parse_size("2KiB"), 2048U);
  EXPECT_EQ(parse_size("1TB"), 1ULL << 40);
  EXPECT_EQ(parse_size("64T"), 64ULL << 40);
  for (std::string_view bad : {"", "0", "0M", "M", "64X", "64MM", "-1", "65T", "1P",
                               "99999999999999999999", "70368744177665"}) {
    EXPECT_FALSE(parse_size(bad)) << bad;
  }
}

}  // namespace
}  // namespace iscsi::target::config
