// RFC 1982 serial arithmetic with SERIAL_BITS = 32 (digest §5.1), especially at the wrap.
#include <gtest/gtest.h>

#include <compare>
#include <cstdint>

#include "core/common/serial.hpp"

namespace iscsi {
namespace {

TEST(Serial, OrdersAcrossTheWrap) {
  EXPECT_TRUE(serial_lt(0xFFFFFFFFu, 0u));
  EXPECT_TRUE(serial_gt(0u, 0xFFFFFFFFu));
  EXPECT_FALSE(serial_lt(0u, 0xFFFFFFFFu));
  EXPECT_TRUE(serial_lt(0xFFFFFFF0u, 0x0000000Fu));
  EXPECT_TRUE(serial_lt(1u, 2u));
  EXPECT_FALSE(serial_lt(2u, 1u));
  // The largest defined forward distance, 2^31 - 1, still orders.
  EXPECT_TRUE(serial_lt(0u, 0x7FFFFFFFu));
  EXPECT_TRUE(serial_gt(0u, 0x80000001u));
  EXPECT_TRUE(serial_lt(0x80000001u, 0u));
}

TEST(Serial, EqualValuesAreLessOrEqualAndGreaterOrEqualOnly) {
  for (std::uint32_t v : {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu}) {
    EXPECT_TRUE(serial_le(v, v));
    EXPECT_TRUE(serial_ge(v, v));
    EXPECT_FALSE(serial_lt(v, v));
    EXPECT_FALSE(serial_gt(v, v));
    EXPECT_EQ(serial_compare(v, v), std::partial_ordering::equivalent);
  }
}

// RFC 1982 §3.2 leaves s1 vs s2 undefined when they are exactly 2^31 apart: every relation is
// false and the comparison says so, so a checker can report it.
TEST(Serial, DistanceOfExactlyTwoToThe31IsUndefined) {
  for (std::uint32_t a : {0u, 5u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    const std::uint32_t b = a + 0x80000000u;
    EXPECT_TRUE(serial_undefined(a, b));
    EXPECT_TRUE(serial_undefined(b, a));
    EXPECT_EQ(serial_compare(a, b), std::partial_ordering::unordered);
    EXPECT_FALSE(serial_lt(a, b));
    EXPECT_FALSE(serial_le(a, b));
    EXPECT_FALSE(serial_gt(a, b));
    EXPECT_FALSE(serial_ge(a, b));
    EXPECT_FALSE(serial_difference(a, b).has_value());
  }
  EXPECT_FALSE(serial_undefined(0u, 0x7FFFFFFFu));
  EXPECT_FALSE(serial_undefined(0u, 0x80000001u));
  EXPECT_FALSE(serial_undefined(3u, 3u));
}

TEST(Serial, AdditionWraps) {
  EXPECT_EQ(serial_add(0xFFFFFFF0u, 32), 0x00000010u);
  EXPECT_EQ(serial_add(0xFFFFFFFFu, 1), 0u);
  EXPECT_TRUE(serial_gt(serial_add(0xFFFFFFF0u, 32), 0xFFFFFFF0u));
  // Adding the largest defined increment still compares greater (RFC 1982 §3.1).
  EXPECT_TRUE(serial_gt(serial_add(0xFFFFFFF0u, kSerialAddMax), 0xFFFFFFF0u));
}

TEST(Serial, DistanceAndDifference) {
  EXPECT_EQ(serial_distance(0xFFFFFFF0u, 0x0000000Fu), 31u);
  EXPECT_EQ(serial_distance(5u, 5u), 0u);
  EXPECT_EQ(serial_distance(5u, 4u), 0xFFFFFFFFu);
  EXPECT_EQ(serial_difference(0x0000000Fu, 0xFFFFFFF0u), 31);
  EXPECT_EQ(serial_difference(0xFFFFFFF0u, 0x0000000Fu), -31);
  EXPECT_EQ(serial_difference(0x7FFFFFFFu, 0u), 0x7FFFFFFF);
  EXPECT_EQ(serial_difference(0x80000001u, 0u), -0x7FFFFFFF);
  EXPECT_EQ(serial_difference(9u, 9u), 0);
}

TEST(Serial, WindowAcrossTheWrap) {
  const std::uint32_t low = 0xFFFFFFF0u;
  const std::uint32_t high = 0x0000000Fu;
  for (std::uint32_t i = 0; i < 32; ++i) {
    EXPECT_TRUE(serial_in_window(low + i, low, high)) << std::hex << low + i;
  }
  EXPECT_FALSE(serial_in_window(0xFFFFFFEFu, low, high));
  EXPECT_FALSE(serial_in_window(0x00000010u, low, high));
  EXPECT_FALSE(serial_in_window(0x7FFFFFFFu, low, high));
  EXPECT_FALSE(serial_in_window(0x80000000u, low, high));
}

// RFC 7143 §4.2.2.1: MaxCmdSN = ExpCmdSN - 1 closes the command window.
TEST(Serial, ClosedWindowHoldsNothing) {
  for (std::uint32_t exp_cmd_sn : {0u, 1u, 0xFFFFFFFFu, 0x80000000u}) {
    const std::uint32_t max_cmd_sn = exp_cmd_sn - 1;
    EXPECT_FALSE(serial_in_window(exp_cmd_sn, exp_cmd_sn, max_cmd_sn));
    EXPECT_FALSE(serial_in_window(max_cmd_sn, exp_cmd_sn, max_cmd_sn));
    EXPECT_FALSE(serial_in_window(exp_cmd_sn + 1, exp_cmd_sn, max_cmd_sn));
  }
  EXPECT_TRUE(serial_in_window(7u, 7u, 7u));  // a window of one
}

TEST(Serial, SerialNumberValueType) {
  constexpr SerialNumber last{0xFFFFFFFFu};
  static_assert(last < last.next());
  static_assert(last.next() == SerialNumber{0});
  static_assert((SerialNumber{0xFFFFFFF0u} + 32).value == 0x10u);
  const SerialNumber a{10};
  const SerialNumber b{a.value + 0x80000000u};
  EXPECT_EQ(a <=> b, std::partial_ordering::unordered);
  EXPECT_FALSE(a < b);
  EXPECT_FALSE(a > b);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(SerialNumber{0xFFFFFFF0u} <= SerialNumber{0x0000000Fu});
  EXPECT_TRUE(SerialNumber{0x0000000Fu} >= SerialNumber{0xFFFFFFF0u});
}

// Checklist C121: CmdSN starts at 0xFFFFFFF0 and 64 commands run through the wrap. A target
// keeping the window [ExpCmdSN, MaxCmdSN] with MaxCmdSN = ExpCmdSN + 31 accepts each command in
// order, and each CmdSN is serially greater than the one before.
TEST(Serial, SixtyFourCommandsAcrossTheWrapAreAllAccepted) {
  constexpr std::uint32_t kWindow = 32;
  std::uint32_t cmd_sn = 0xFFFFFFF0u;  // initiator's next CmdSN
  std::uint32_t exp_cmd_sn = 0xFFFFFFF0u;
  std::uint32_t max_cmd_sn = serial_add(exp_cmd_sn, kWindow - 1);
  int accepted = 0;
  bool crossed_zero = false;
  for (int command = 0; command < 64; ++command) {
    ASSERT_TRUE(serial_in_window(cmd_sn, exp_cmd_sn, max_cmd_sn)) << "command " << command;
    ASSERT_EQ(cmd_sn, exp_cmd_sn);
    // A duplicate of the previous command is below ExpCmdSN once it has been received.
    const std::uint32_t previous = cmd_sn;
    exp_cmd_sn = serial_add(exp_cmd_sn, 1);
    max_cmd_sn = serial_add(exp_cmd_sn, kWindow - 1);
    EXPECT_FALSE(serial_in_window(previous, exp_cmd_sn, max_cmd_sn));
    EXPECT_FALSE(serial_in_window(serial_add(max_cmd_sn, 1), exp_cmd_sn, max_cmd_sn));
    const std::uint32_t next = serial_add(cmd_sn, 1);
    ASSERT_TRUE(serial_gt(next, cmd_sn));
    crossed_zero = crossed_zero || next == 0;
    cmd_sn = next;
    ++accepted;
  }
  EXPECT_EQ(accepted, 64);
  EXPECT_TRUE(crossed_zero);
  EXPECT_EQ(exp_cmd_sn, 0x00000030u);
  EXPECT_TRUE(serial_gt(exp_cmd_sn, 0xFFFFFFF0u));
}

// The constexpr functions are usable in constant expressions (state machines may build
// tables from them).
static_assert(serial_lt(0xFFFFFFFFu, 0u));
static_assert(serial_add(0xFFFFFFF0u, 32) == 0x10u);
static_assert(!serial_difference(0u, 0x80000000u).has_value());

}  // namespace
}  // namespace iscsi
