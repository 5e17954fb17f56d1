// Endpoint and CloseReason text, as it appears in traces and reports.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/runtime/stream.hpp"

namespace iscsi::runtime {
namespace {

TEST(Endpoint, ToStringIsDottedQuadAndPort) {
  EXPECT_EQ((Endpoint{0x7f000001, 3260}).to_string(), "127.0.0.1:3260");
  EXPECT_EQ((Endpoint{0, 0}).to_string(), "0.0.0.0:0");
  EXPECT_EQ((Endpoint{0xffffffff, 65535}).to_string(), "255.255.255.255:65535");
  EXPECT_EQ((Endpoint{0xc0a80a02, 860}).to_string(), "192.168.10.2:860");
  EXPECT_EQ(Endpoint{}.to_string(), "0.0.0.0:0");
}

TEST(Endpoint, EqualityComparesAddressAndPort) {
  EXPECT_EQ((Endpoint{0x7f000001, 3260}), (Endpoint{0x7f000001, 3260}));
  EXPECT_NE((Endpoint{0x7f000001, 3260}), (Endpoint{0x7f000002, 3260}));
  EXPECT_NE((Endpoint{0x7f000001, 3260}), (Endpoint{0x7f000001, 3261}));
}

TEST(CloseReason, ToString) {
  EXPECT_EQ(to_string(CloseReason::peer_fin), "peer closed");
  EXPECT_EQ(to_string(CloseReason::peer_reset), "connection reset by peer");
  EXPECT_EQ(to_string(CloseReason::local_abort), "aborted locally");
  EXPECT_EQ(to_string(CloseReason::timed_out), "connection timed out");
  EXPECT_EQ(to_string(CloseReason::refused), "connection refused");
}

}  // namespace
}  // namespace iscsi::runtime
