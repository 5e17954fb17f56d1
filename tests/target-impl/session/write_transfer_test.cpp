// WriteTransfer: immediate, unsolicited and solicited write data (RFC 7143 §4.2.5, §11.7,
// §11.8, §13.10-§13.17; C139-C147).
#include "target-impl/session/write_transfer.hpp"

#include <gtest/gtest.h>

#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::session {
namespace {

constexpr std::uint32_t kOneMiB = 1 << 20;

pdu::ScsiDataOut data_out(std::uint32_t ttt, std::uint32_t data_sn, std::uint32_t offset,
                          bool final) {
  pdu::ScsiDataOut h;
  h.itt = 1;
  h.ttt = ttt;
  h.data_sn = data_sn;
  h.buffer_offset = offset;
  h.final = final;
  return h;
}

struct TttCounter {
  std::uint32_t next = 100;
  std::function<std::uint32_t()> fn() {
    return [this] { return next++; };
  }
};

// Sends [begin, end) of `data` in PDUs of `segment` bytes for one sequence.
void send_sequence(WriteTransfer& transfer, const Bytes& data, std::uint32_t ttt,
                   std::uint32_t begin, std::uint32_t end, std::uint32_t segment) {
  std::uint32_t data_sn = 0;
  for (std::uint32_t offset = begin; offset < end; offset += segment) {
    const std::uint32_t size = std::min(segment, end - offset);
    const DataVerdict verdict = transfer.accept_data_out(
        data_out(ttt, data_sn++, offset, offset + size == end),
        ByteView(data).subspan(offset, size));
    ASSERT_TRUE(verdict.violations.empty()) << verdict.violations.front().to_string();
    ASSERT_FALSE(verdict.reject);
  }
}

void one_mebibyte_write(std::uint32_t max_outstanding_r2t) {
  const WriteLimits limits{true, false, 65536, 262144, max_outstanding_r2t};
  const Bytes data = iscsi::test::pattern_bytes(kOneMiB, 11);
  WriteTransfer transfer(1, kOneMiB, true, limits);
  ASSERT_TRUE(transfer.start(ByteView(data).first(8192)).violations.empty());
  TttCounter ttts;
  std::vector<R2tGrant> grants = transfer.grant_r2ts(ttts.fn());
  // R2Ts cover what follows the first burst, MaxBurstLength each, up to MaxOutstandingR2T.
  const std::vector<R2tGrant> expected{{100, 0, 65536, 262144},
                                       {101, 1, 327680, 262144},
                                       {102, 2, 589824, 262144},
                                       {103, 3, 851968, 196608}};
  if (max_outstanding_r2t >= 4) {
    EXPECT_EQ(grants, expected);
  } else {
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0], expected[0]);
  }
  send_sequence(transfer, data, pdu::kReservedTag, 8192, 65536, 8192);
  std::vector<R2tGrant> all = grants;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(transfer.finished());
    const R2tGrant grant = all[i];
    send_sequence(transfer, data, grant.ttt, grant.buffer_offset,
                  grant.buffer_offset + grant.desired_data_transfer_length, 8192);
    for (const R2tGrant& more : transfer.grant_r2ts(ttts.fn())) all.push_back(more);
  }
  EXPECT_EQ(all, expected);
  EXPECT_TRUE(transfer.finished());
  EXPECT_FALSE(transfer.failure());
  EXPECT_EQ(transfer.r2t_count(), 4u);
  EXPECT_EQ(transfer.take_data(), data);
}

TEST(WriteTransferTest, OneMebibyteWithOneOutstandingR2t) { one_mebibyte_write(1); }
TEST(WriteTransferTest, OneMebibyteWithFourOutstandingR2ts) { one_mebibyte_write(4); }

TEST(WriteTransferTest, InitialR2tYesSolicitsEverythingAfterImmediateData) {
  WriteTransfer transfer(1, 20000, false, {true, true, 65536, 8192, 2});
  ASSERT_TRUE(transfer.start(Bytes(1000, 1)).violations.empty());
  TttCounter ttts;
  const std::vector<R2tGrant> grants = transfer.grant_r2ts(ttts.fn());
  EXPECT_EQ(grants, (std::vector<R2tGrant>{{100, 0, 1000, 8192}, {101, 1, 9192, 8192}}));
}

TEST(WriteTransferTest, DataSnErrorFailsTheTaskButWaitsForTheFinalBit) {
  WriteTransfer transfer(1, 16384, false, {false, true, 65536, 262144, 1});
  ASSERT_TRUE(transfer.start({}).violations.empty());
  TttCounter ttts;
  ASSERT_EQ(transfer.grant_r2ts(ttts.fn()).size(), 1u);
  DataVerdict verdict = transfer.accept_data_out(data_out(100, 1, 0, false), Bytes(8192, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.data-out-data-sn");
  EXPECT_EQ(verdict.reject, pdu::RejectReason::invalid_pdu_field);
  EXPECT_EQ(transfer.failure(), TaskFailure::data_phase_error);
  EXPECT_FALSE(transfer.finished());
  verdict = transfer.accept_data_out(data_out(100, 1, 8192, true), Bytes(8192, 0));
  EXPECT_TRUE(verdict.violations.empty());
  EXPECT_TRUE(transfer.finished());
  EXPECT_TRUE(transfer.grant_r2ts(ttts.fn()).empty());
}

TEST(WriteTransferTest, OffsetOutsideTheR2tWindowIsRejected) {
  WriteTransfer transfer(1, 8192, false, {false, true, 65536, 262144, 1});
  (void)transfer.start({});
  TttCounter ttts;
  (void)transfer.grant_r2ts(ttts.fn());
  const DataVerdict verdict =
      transfer.accept_data_out(data_out(100, 0, 4096, true), Bytes(8192, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.data-out-buffer-offset");
  EXPECT_EQ(verdict.reject, pdu::RejectReason::invalid_pdu_field);
  EXPECT_TRUE(transfer.finished());
  EXPECT_EQ(transfer.failure(), TaskFailure::data_phase_error);
}

TEST(WriteTransferTest, UnknownTttIsRejectedWithoutFailingTheTask) {
  WriteTransfer transfer(1, 8192, false, {false, true, 65536, 262144, 1});
  (void)transfer.start({});
  TttCounter ttts;
  (void)transfer.grant_r2ts(ttts.fn());
  const DataVerdict verdict = transfer.accept_data_out(data_out(555, 0, 0, true), Bytes(8192, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.data-out-unknown-ttt");
  EXPECT_FALSE(transfer.failure());
  EXPECT_TRUE(transfer.has_ttt(100));
}

TEST(WriteTransferTest, UnsolicitedDataRules) {
  // InitialR2T=Yes and F=0: unexpected unsolicited data, absorbed up to its F bit (C143).
  WriteTransfer yes(1, 16384, true, {true, true, 65536, 262144, 1});
  DataVerdict verdict = yes.start({});
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.unexpected-unsolicited-data");
  EXPECT_EQ(yes.failure(), TaskFailure::unexpected_unsolicited_data);
  EXPECT_FALSE(yes.finished());
  (void)yes.accept_data_out(data_out(pdu::kReservedTag, 0, 0, true), Bytes(16384, 0));
  EXPECT_TRUE(yes.finished());

  // Beyond FirstBurstLength.
  WriteTransfer beyond(1, 65536, true, {true, false, 8192, 262144, 1});
  (void)beyond.start({});
  verdict = beyond.accept_data_out(data_out(pdu::kReservedTag, 0, 0, true), Bytes(16384, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.unexpected-unsolicited-data");
  EXPECT_TRUE(beyond.finished());

  // Ended short of min(FirstBurstLength, EDTL) (C147).
  WriteTransfer short_burst(1, 65536, true, {true, false, 16384, 262144, 1});
  (void)short_burst.start({});
  verdict = short_burst.accept_data_out(data_out(pdu::kReservedTag, 0, 0, true), Bytes(4096, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.incorrect-data-amount");
  EXPECT_EQ(short_burst.failure(), TaskFailure::incorrect_amount_of_data);
  EXPECT_TRUE(short_burst.finished());

  // Immediate data with ImmediateData=No.
  WriteTransfer no_immediate(1, 4096, false, {false, true, 65536, 262144, 1});
  verdict = no_immediate.start(Bytes(512, 0));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(no_immediate.failure(), TaskFailure::unexpected_unsolicited_data);
  EXPECT_TRUE(no_immediate.finished());
}

TEST(WriteTransferTest, LostDataOutEndsItsSequence) {
  WriteTransfer transfer(1, 8192, false, {false, true, 65536, 262144, 1});
  (void)transfer.start({});
  TttCounter ttts;
  (void)transfer.grant_r2ts(ttts.fn());
  transfer.lose_data_out(data_out(100, 0, 0, true), TaskFailure::protocol_service_crc_error);
  EXPECT_TRUE(transfer.finished());
  EXPECT_EQ(transfer.failure(), TaskFailure::protocol_service_crc_error);
}

TEST(WriteTransferTest, MissingFinalBitIsReportedAndTheSequenceCompletes) {
  WriteTransfer transfer(1, 4096, false, {false, true, 65536, 262144, 1});
  (void)transfer.start({});
  TttCounter ttts;
  (void)transfer.grant_r2ts(ttts.fn());
  const DataVerdict verdict = transfer.accept_data_out(data_out(100, 0, 0, false), Bytes(4096, 7));
  ASSERT_EQ(verdict.violations.size(), 1u);
  EXPECT_EQ(verdict.violations[0].id(), "session.data-out-missing-final");
  EXPECT_TRUE(transfer.finished());
  EXPECT_FALSE(transfer.failure());
  EXPECT_EQ(transfer.take_data(), Bytes(4096, 7));
}

}  // namespace
}  // namespace iscsi::target::session
