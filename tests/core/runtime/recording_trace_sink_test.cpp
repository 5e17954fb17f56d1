// RecordingTraceSink keeps every PDU, state transition and violation in arrival order.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/fake_runtime.hpp"

namespace iscsi::test {
namespace {

TEST(RecordingTraceSink, RecordsInOrder) {
  RecordingTraceSink sink;
  const runtime::ConnectionKey key{{0x7f000001, 40000}, {0x7f000001, 3260}};
  const runtime::TimePoint t1{std::chrono::milliseconds(1)};
  const runtime::TimePoint t2{std::chrono::milliseconds(2)};
  Bytes pdu(48, 0x43);
  sink.on_pdu(t1, key, runtime::Direction::initiator_to_target, pdu);
  pdu[0] = 0x23;  // the sink must have copied the bytes
  sink.on_pdu(t2, key, runtime::Direction::target_to_initiator, pdu);
  sink.on_state(t2, key, "login", "SecurityNegotiation", "OperationalNegotiation");
  constexpr ViolationKind kind{"pdu.reserved-nonzero", "RFC 7143 §11.2", Severity::warning};
  sink.on_violation(t2, key, Violation{kind, "byte 3 is 0x01"});

  ASSERT_EQ(sink.pdus.size(), 2u);
  EXPECT_EQ(sink.pdus[0].at, t1);
  EXPECT_EQ(sink.pdus[0].direction, runtime::Direction::initiator_to_target);
  EXPECT_EQ(sink.pdus[0].bytes, Bytes(48, 0x43));
  EXPECT_EQ(sink.pdus[1].bytes[0], 0x23);
  EXPECT_EQ(sink.pdus[1].direction, runtime::Direction::target_to_initiator);
  ASSERT_EQ(sink.states.size(), 1u);
  EXPECT_EQ(sink.states[0].machine, "login");
  EXPECT_EQ(sink.states[0].from, "SecurityNegotiation");
  EXPECT_EQ(sink.states[0].to, "OperationalNegotiation");
  ASSERT_EQ(sink.violations.size(), 1u);
  EXPECT_EQ(sink.violations[0].id(), "pdu.reserved-nonzero");
}

}  // namespace
}  // namespace iscsi::test
