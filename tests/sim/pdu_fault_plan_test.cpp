#include "sim/pdu_fault_plan.hpp"

#include <gtest/gtest.h>

#include "tests/sim/fabric_fixture.hpp"

namespace iscsi::sim::testing {
namespace {

using namespace std::chrono_literals;
using runtime::CloseReason;
using runtime::Side;

// A PDU with the given opcode, AHS words and data length; payload bytes count up from `salt`.
Bytes make_pdu(std::uint8_t opcode, std::uint8_t ahs_words, std::uint32_t data_length,
               std::uint8_t salt = 0, bool digests = false) {
  const std::size_t padded = (data_length + 3u) & ~std::size_t{3};
  Bytes pdu(48 + ahs_words * 4u + padded + (digests ? 4u + (data_length > 0 ? 4u : 0u) : 0u));
  for (std::size_t i = 0; i < pdu.size(); ++i) pdu[i] = static_cast<std::uint8_t>(salt + i);
  pdu[0] = opcode;
  pdu[4] = ahs_words;
  store_be24(&pdu[5], data_length);
  return pdu;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

PduFaultEffects scan_split(const std::vector<PduFault>& faults, ByteView stream, std::size_t split,
                           bool digests = false) {
  PduScanner scanner(faults);
  scanner.set_digests(digests, digests);
  PduFaultEffects effects;
  scanner.scan(stream.first(split), effects);
  scanner.scan(stream.subspan(split), effects);
  return effects;
}

TEST(PduScanner, FindsTheNthPduOfAnOpcodeAtEverySplit) {
  // Login Responses (0x23) of 56, 48 and 60 bytes, with a NOP-In (0x20, 1 AHS word) between.
  const Bytes stream = concat(
      {make_pdu(0x23, 0, 5), make_pdu(0x20, 1, 0), make_pdu(0x23, 0, 0), make_pdu(0x23, 0, 10)});
  const std::vector<PduFault> faults{
      {.action = PduFaultAction::reset_after, .opcode = 0x23, .nth = 2},
      {.action = PduFaultAction::corrupt_byte, .opcode = -1, .nth = 4, .byte = 20, .mask = 0x80}};
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    const PduFaultEffects effects = scan_split(faults, stream, split);
    ASSERT_EQ(effects.reset_at_delivered, 56u + 52u + 48u) << "split " << split;
    ASSERT_EQ(effects.corruptions,
              (std::vector<std::pair<std::uint64_t, std::uint8_t>>{{156 + 20, 0x80}}))
        << "split " << split;
  }
  PduScanner byte_by_byte(faults);
  PduFaultEffects effects;
  for (std::uint8_t b : stream) byte_by_byte.scan(ByteView(&b, 1), effects);
  EXPECT_EQ(effects.reset_at_delivered, 156u);
}

TEST(PduScanner, DigestsLengthenThePdu) {
  const Bytes stream = concat({make_pdu(0x01, 0, 5, 0, true), make_pdu(0x01, 0, 0, 0, true)});
  const std::vector<PduFault> faults{
      {.action = PduFaultAction::reset_after, .opcode = 1, .nth = 2}};
  EXPECT_EQ(scan_split(faults, stream, 30, true).reset_at_delivered, 64u + 52u);
  EXPECT_EQ(stream.size(), 116u);
}

TEST(PduScanner, NoMatchNoEffect) {
  const Bytes stream = make_pdu(0x23, 0, 0);
  const std::vector<PduFault> faults{
      {.action = PduFaultAction::reset_after, .opcode = 0x23, .nth = 2}};
  EXPECT_EQ(scan_split(faults, stream, 10).reset_at_delivered, UINT64_MAX);
}

TEST_F(FabricTest, PduFaultResetsAfterTheSecondLoginResponse) {
  fabric_.add_pdu_fault(
      {.action = PduFaultAction::reset_after, .sender = Side::server, .opcode = 0x23, .nth = 2});
  connect_and_run();
  const Bytes first = make_pdu(0x23, 0, 5, 1), second = make_pdu(0x23, 0, 7, 2);
  server_.stream->write(first);
  sim_.schedule_after(1ms, [&] { server_.stream->write(second); });
  sim_.schedule_after(2ms, [&] { server_.stream->write(make_pdu(0x23, 0, 0, 3)); });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(client_.received, concat({first, second}));
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
}

TEST_F(FabricTest, PduFaultCorruptsOneByteOfOnePdu) {
  fabric_.add_pdu_fault({.action = PduFaultAction::corrupt_byte,
                         .sender = Side::client,
                         .nth = 2,
                         .byte = 20,
                         .mask = 0x01});
  connect_and_run();
  const Bytes first = make_pdu(0x03, 0, 40, 5), second = make_pdu(0x03, 0, 40, 6);
  client_.stream->write(concat({first, second}));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  Bytes expected = concat({first, second});
  expected[first.size() + 20] ^= 0x01;
  EXPECT_EQ(server_.received, expected);
}

}  // namespace
}  // namespace iscsi::sim::testing
