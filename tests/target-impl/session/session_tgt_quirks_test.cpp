// The full feature phase under the tgt profile's SessionQuirks: tgt 1.0.85's ExpDataSN 0 after a
// write's R2Ts and its single Data-In sequence per read, against the RFC answers the same
// exchanges get by default (RFC 7143 §11.4.8, §13.14; C149, C150).
#include <gtest/gtest.h>

#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::data_out;
using iscsi::test::pattern_bytes;
using iscsi::test::scsi_read10;
using iscsi::test::scsi_write10;

constexpr SessionQuirks kTgtQuirks{.response_exp_data_sn_zero = true,
                                   .data_in_single_sequence = true};

// A 16 KiB WRITE(10) without immediate data (InitialR2T=Yes): one R2T, its Data-Out, then the
// SCSI Response's ExpDataSN.
std::uint32_t exp_data_sn_after_r2t_write(const SessionQuirks& quirks) {
  Harness h({.immediate_data = false, .initial_r2t = true, .quirks = quirks});
  const Bytes data = pattern_bytes(16384, 3);
  const std::vector<pdu::Pdu> r2ts =
      of_opcode(h.send(scsi_write10({.itt = 0x10, .cmd_sn = 1, .exp_stat_sn = 1},
                                    {.lun = 1, .blocks = 32}, {})),
                pdu::Opcode::r2t);
  EXPECT_EQ(r2ts.size(), 1u);
  if (r2ts.empty()) return ~0u;
  const auto& r2t = header<pdu::R2t>(r2ts[0]);
  EXPECT_EQ(r2t.desired_data_transfer_length, 16384u);
  for (std::uint32_t offset = 0; offset < 16384; offset += 8192) {
    (void)h.send(data_out({.itt = 0x10,
                           .ttt = r2t.ttt,
                           .data_sn = offset / 8192,
                           .buffer_offset = offset,
                           .lun = 1,
                           .final = offset == 8192},
                          1, Bytes(data.begin() + offset, data.begin() + offset + 8192)));
  }
  const std::vector<pdu::Pdu> responses =
      of_opcode(h.complete(result(scsi::kStatusGood, {}, {}, 16384)), pdu::Opcode::scsi_response);
  EXPECT_EQ(responses.size(), 1u);
  return responses.empty() ? ~0u : header<pdu::ScsiResponse>(responses[0]).exp_data_sn;
}

TEST(SessionTgtQuirksTest, ResponseExpDataSnCountsTheR2tUnderTheRfc) {
  EXPECT_EQ(exp_data_sn_after_r2t_write({}), 1u);
}

TEST(SessionTgtQuirksTest, ResponseExpDataSnIsZeroAfterAnR2tUnderTgt) {
  EXPECT_EQ(exp_data_sn_after_r2t_write(kTgtQuirks), 0u);
}

// The F bits of a 1 MiB read in 8 KiB Data-In PDUs with MaxBurstLength 256 KiB.
std::vector<std::uint32_t> final_pdus_of_read(const SessionQuirks& quirks) {
  Harness h({.initiator_mrdsl = 8192, .max_burst_length = 262144, .quirks = quirks});
  (void)h.send(scsi_read10({.itt = 0x21, .cmd_sn = 1}, {.lun = 1, .blocks = 2048}));
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.complete(result(scsi::kStatusGood, pattern_bytes(kMiB, 4))));
  EXPECT_EQ(pdus.size(), 128u);  // the same PDUs either way; only the F bits differ
  std::vector<std::uint32_t> finals;
  for (std::uint32_t i = 0; i < pdus.size(); ++i) {
    const auto& data_in = header<pdu::ScsiDataIn>(pdus[i]);
    EXPECT_EQ(data_in.data_sn, i);
    EXPECT_EQ(data_in.buffer_offset, i * 8192);
    if (data_in.final) finals.push_back(i);
  }
  return finals;
}

TEST(SessionTgtQuirksTest, ReadSequencesEndAtMaxBurstLengthUnderTheRfc) {
  EXPECT_EQ(final_pdus_of_read({}), (std::vector<std::uint32_t>{31, 63, 95, 127}));
}

TEST(SessionTgtQuirksTest, ReadIsOneSequenceUnderTgt) {
  EXPECT_EQ(final_pdus_of_read(kTgtQuirks), (std::vector<std::uint32_t>{127}));
}

}  // namespace
}  // namespace iscsi::target::session::test
