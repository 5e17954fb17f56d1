#include "scenarios/units.hpp"

#include <gtest/gtest.h>

namespace iscsi::scenarios {
namespace {

using namespace std::chrono_literals;

TEST(ScenarioUnits, Durations) {
  EXPECT_EQ(parse_duration("100us"), runtime::Duration(100us));
  EXPECT_EQ(parse_duration("250ns"), 250ns);
  EXPECT_EQ(parse_duration("2ms"), runtime::Duration(2ms));
  EXPECT_EQ(parse_duration("3s"), runtime::Duration(3s));
  EXPECT_EQ(parse_duration("2min"), runtime::Duration(120s));
  EXPECT_EQ(parse_duration("0"), runtime::Duration(0));
  for (std::string_view bad : {"", "5", "ms", "1.5ms", "10 ms", "1h", "-1s", "1MS", "1msx"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
  EXPECT_EQ(parse_duration("604800s"), runtime::Duration(604800s));  // the one-week limit
  EXPECT_FALSE(parse_duration("604801s"));
  EXPECT_FALSE(parse_duration("99999999999999999999ns"));  // overflows 64 bits
}

TEST(ScenarioUnits, Rates) {
  EXPECT_EQ(parse_rate("1Gbps"), 1'000'000'000U);
  EXPECT_EQ(parse_rate("100Mbps"), 100'000'000U);
  EXPECT_EQ(parse_rate("64Kbps"), 64'000U);
  EXPECT_EQ(parse_rate("9600bps"), 9'600U);
  EXPECT_EQ(parse_rate("10Tbps"), 10'000'000'000'000U);
  for (std::string_view bad : {"1G", "1GBps", "1gbps", "1000", "11Tbps", "Gbps"}) {
    EXPECT_FALSE(parse_rate(bad)) << bad;
  }
}

TEST(ScenarioUnits, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096U);
  EXPECT_EQ(parse_size("512B"), 512U);
  EXPECT_EQ(parse_size("64KiB"), 65536U);
  EXPECT_EQ(parse_size("16MiB"), 16777216U);
  EXPECT_EQ(parse_size("2GiB"), 2147483648U);
  EXPECT_EQ(parse_size("1TiB"), 1099511627776U);
  EXPECT_EQ(parse_size("3KB"), 3000U);
  EXPECT_EQ(parse_size("5MB"), 5'000'000U);
  EXPECT_EQ(parse_size("1024TiB"), 1ULL << 50);
  for (std::string_view bad : {"", "K", "64K", "64kib", "1.5MiB", "1025TiB", "64 KiB"}) {
    EXPECT_FALSE(parse_size(bad)) << bad;
  }
}

TEST(ScenarioUnits, Numbers) {
  EXPECT_EQ(parse_unsigned("42", 100), 42U);
  EXPECT_EQ(parse_unsigned("0x2a", 100), 42U);
  EXPECT_EQ(parse_unsigned("0XFF", 255), 255U);
  EXPECT_FALSE(parse_unsigned("0x100", 255));
  EXPECT_FALSE(parse_unsigned("256", 255));
  EXPECT_FALSE(parse_unsigned("0x", 255));
  EXPECT_FALSE(parse_unsigned("-1", 255));
  EXPECT_FALSE(parse_unsigned("0x12345678901234567", UINT64_MAX));
  EXPECT_EQ(parse_unsigned("18446744073709551615", UINT64_MAX), UINT64_MAX);
  EXPECT_FALSE(parse_unsigned("18446744073709551616", UINT64_MAX));
}

TEST(ScenarioUnits, Addresses) {
  EXPECT_EQ(parse_ipv4("192.168.234.131"), 0xc0a8ea83U);
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0U);
  for (std::string_view bad : {"192.168.234", "192.168.234.256", "1.2.3.4.5", "01.2.3.4", "a.b.c.d",
                               "1.2.3.4 ", "", "1..2.3"}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
  auto portal = parse_portal("10.0.0.1:3261", 3260);
  ASSERT_TRUE(portal);
  EXPECT_EQ(portal->ipv4, 0x0a000001U);
  EXPECT_EQ(portal->port, 3261);
  EXPECT_EQ(parse_portal("10.0.0.1", 3260)->port, 3260);
  for (std::string_view bad :
       {"10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:03260", "host:3260"}) {
    EXPECT_FALSE(parse_portal(bad, 3260)) << bad;
  }
}

TEST(ScenarioUnits, Hex) {
  EXPECT_EQ(parse_hex("0x01ff"), (Bytes{0x01, 0xff}));
  EXPECT_EQ(parse_hex("01 FF\n7a"), (Bytes{0x01, 0xff, 0x7a}));
  EXPECT_EQ(parse_hex(""), Bytes{});
  for (std::string_view bad : {"0x1", "zz", "0 1", "01f"}) EXPECT_FALSE(parse_hex(bad)) << bad;
}

}  // namespace
}  // namespace iscsi::scenarios
