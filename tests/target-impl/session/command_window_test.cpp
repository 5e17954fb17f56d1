// CommandWindow: CmdSN ordering (RFC 7143 §4.2.2.1), C116, C117, C119, C121, C154.
#include "target-impl/session/command_window.hpp"

#include <gtest/gtest.h>

#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::session {
namespace {

using Admission = CommandWindow::Admission;

pdu::Pdu command(std::uint32_t itt, std::uint32_t cmd_sn) {
  return iscsi::test::scsi_read10({.itt = itt, .cmd_sn = cmd_sn}, {.lun = 1});
}

TEST(CommandWindowTest, DeliversInOrderAndQueuesAheadOfAGap) {
  CommandWindow window(10, 16);
  pdu::Pdu c12 = command(12, 12);
  pdu::Pdu c11 = command(11, 11);
  pdu::Pdu c10 = command(10, 10);
  EXPECT_EQ(window.admit(12, 25, c12), Admission::queued);
  EXPECT_EQ(window.admit(11, 25, c11), Admission::queued);
  EXPECT_EQ(window.queued(), 2u);
  EXPECT_TRUE(window.has_queued_itt(12));
  EXPECT_EQ(window.pop_ready(), std::nullopt);  // 10 is still missing
  EXPECT_EQ(window.admit(10, 25, c10), Admission::deliver);
  EXPECT_EQ(window.exp_cmd_sn(), 11u);
  std::optional<pdu::Pdu> next = window.pop_ready();
  ASSERT_TRUE(next);
  EXPECT_EQ(pdu::itt(*next), 11u);
  next = window.pop_ready();
  ASSERT_TRUE(next);
  EXPECT_EQ(pdu::itt(*next), 12u);
  EXPECT_EQ(window.pop_ready(), std::nullopt);
  EXPECT_EQ(window.exp_cmd_sn(), 13u);
}

TEST(CommandWindowTest, IgnoresOutsideTheWindowAndDuplicates) {
  CommandWindow window(10, 16);
  pdu::Pdu pdu = command(1, 26);
  EXPECT_EQ(window.admit(26, 25, pdu), Admission::out_of_window);  // MaxCmdSN + 1 (C116)
  pdu = command(1, 9);
  EXPECT_EQ(window.admit(9, 25, pdu), Admission::too_low);  // C117
  pdu = command(1, 15);
  EXPECT_EQ(window.admit(15, 25, pdu), Admission::queued);
  pdu = command(2, 15);
  EXPECT_EQ(window.admit(15, 25, pdu), Admission::duplicate);
  // A closed window (MaxCmdSN = ExpCmdSN - 1) admits nothing.
  pdu = command(3, 10);
  EXPECT_EQ(window.admit(10, 9, pdu), Admission::out_of_window);
  EXPECT_EQ(window.exp_cmd_sn(), 10u);
}

TEST(CommandWindowTest, WrapsAroundZero) {
  CommandWindow window(0xfffffffe, 16);
  pdu::Pdu first = command(1, 0xfffffffe);
  pdu::Pdu second = command(2, 0xffffffff);
  pdu::Pdu third = command(3, 0);
  EXPECT_EQ(window.admit(0, 12, third), Admission::queued);
  EXPECT_EQ(window.admit(0xfffffffe, 12, first), Admission::deliver);
  EXPECT_EQ(window.admit(0xffffffff, 12, second), Admission::deliver);
  std::optional<pdu::Pdu> next = window.pop_ready();
  ASSERT_TRUE(next);
  EXPECT_EQ(pdu::itt(*next), 3u);
  EXPECT_EQ(window.exp_cmd_sn(), 1u);
}

TEST(CommandWindowTest, AbortedBeforeArrivalIsDiscardedButConsumed) {
  CommandWindow window(5, 16);
  EXPECT_TRUE(window.abort_command(5));
  pdu::Pdu late = command(9, 5);
  EXPECT_EQ(window.admit(5, 20, late), Admission::discarded);
  EXPECT_EQ(window.exp_cmd_sn(), 6u);
  // A queued command marked by ABORT TASK is skipped when its turn comes.
  pdu::Pdu c7 = command(7, 7);
  EXPECT_EQ(window.admit(7, 20, c7), Admission::queued);
  EXPECT_TRUE(window.abort_command(7));
  EXPECT_FALSE(window.has_queued_itt(7));
  pdu::Pdu c6 = command(6, 6);
  EXPECT_EQ(window.admit(6, 20, c6), Admission::deliver);
  EXPECT_EQ(window.pop_ready(), std::nullopt);
  EXPECT_EQ(window.exp_cmd_sn(), 8u);
}

TEST(CommandWindowTest, QueueIsBounded) {
  CommandWindow window(1, 2);
  pdu::Pdu a = command(1, 3);
  pdu::Pdu b = command(2, 4);
  pdu::Pdu c = command(3, 5);
  EXPECT_EQ(window.admit(3, 100, a), Admission::queued);
  EXPECT_EQ(window.admit(4, 100, b), Admission::queued);
  EXPECT_EQ(window.admit(5, 100, c), Admission::out_of_window);
}

}  // namespace
}  // namespace iscsi::target::session
