// IPv4 addresses and endpoints as typed on command lines and in files (core/runtime/address.hpp).
#include "core/runtime/address.hpp"

#include <gtest/gtest.h>

namespace iscsi::runtime {
namespace {

TEST(Ipv4, ParsesDottedQuadsOnly) {
  EXPECT_EQ(parse_ipv4("192.168.1.10"), 0xC0A8010AU);
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0U);
  EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xFFFFFFFFU);
  for (std::string_view bad : {"300.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4 ", "a.b.c.d", "127.1",
                               "1..2.3", "0001.2.3.4", "::1", "", "1.2.3.-4"}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
  EXPECT_EQ(format_ipv4(0xC0A8010AU), "192.168.1.10");
}

TEST(Endpoint, ParsesAddressWithOrWithoutPort) {
  EXPECT_EQ(parse_endpoint("127.0.0.2", 3260), (Endpoint{0x7f000002U, 3260}));
  EXPECT_EQ(parse_endpoint("127.0.0.1:0", 3260), (Endpoint{0x7f000001U, 0}));
  EXPECT_EQ(parse_endpoint("10.1.2.3:65535", 3260), (Endpoint{0x0a010203U, 65535}));
  for (std::string_view bad : {"127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:123456", ":3260",
                               "127.0.0.1:32 60", "127.0.0.1:3260:1", "localhost:3260",
                               "[::1]:3260", "127.0.0.1:-1"}) {
    EXPECT_FALSE(parse_endpoint(bad, 3260)) << bad;
  }
}

TEST(Endpoint, PrintsAsItParses) {
  const Endpoint endpoint{0xc0a80001U, 3261};
  EXPECT_EQ(endpoint.to_string(), "192.168.0.1:3261");
  EXPECT_EQ(parse_endpoint(endpoint.to_string(), 3260), endpoint);
}

}  // namespace
}  // namespace iscsi::runtime
