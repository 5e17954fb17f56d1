// DataInStream: Data-In segmentation and sequences (RFC 7143 §11.7; C133, C134, C135, C149).
#include "target-impl/session/data_in_stream.hpp"

#include <gtest/gtest.h>

#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::session {
namespace {

std::vector<pdu::Pdu> all(DataInStream& stream) {
  std::vector<pdu::Pdu> pdus;
  while (!stream.done()) {
    DataInPdu piece = stream.next();
    pdus.push_back(with_data(std::move(piece.pdu), piece.data));
  }
  return pdus;
}

TEST(DataInStreamTest, OneMebibyteReadInSequencesOfMaxBurstLength) {
  const Bytes data = iscsi::test::pattern_bytes(1 << 20, 3);
  DataInStream stream(data, 1 << 20, {.itt = 9, .lun = {}, .max_segment = 8192,
                                      .max_burst = 262144, .first_data_sn = 0},
                      CollapsedStatus{0, {}}, std::nullopt);
  const std::vector<pdu::Pdu> pdus = all(stream);
  ASSERT_EQ(pdus.size(), 128u);
  EXPECT_EQ(DataInStream::count_pdus(1 << 20, 8192, 262144), 128u);
  Bytes joined;
  for (std::size_t i = 0; i < pdus.size(); ++i) {
    const auto& h = std::get<pdu::ScsiDataIn>(pdus[i].header);
    EXPECT_EQ(h.data_sn, i);
    EXPECT_EQ(h.buffer_offset, i * 8192);
    EXPECT_EQ(pdus[i].data.size(), 8192u);
    EXPECT_EQ(h.itt, 9u);
    EXPECT_EQ(h.ttt, pdu::kReservedTag);
    EXPECT_FALSE(h.acknowledge);  // C148: no A bit at ERL 0
    // F closes each 256 KiB sequence: PDUs 31, 63, 95, 127.
    EXPECT_EQ(h.final, i % 32 == 31) << i;
    EXPECT_EQ(h.status_present, i == 127) << i;
    joined.insert(joined.end(), pdus[i].data.begin(), pdus[i].data.end());
  }
  EXPECT_EQ(joined, data);
}

TEST(DataInStreamTest, SegmentsThatDoNotDivideTheBurstAndAResponseAfterTheData) {
  pdu::ScsiResponse response_header;
  response_header.itt = 4;
  DataInStream stream(Bytes(25000, 1), 25000,
                      {.itt = 4, .lun = {}, .max_segment = 10000, .max_burst = 12000,
                       .first_data_sn = 2},
                      std::nullopt, pdu::Pdu{response_header, {}, {}});
  const std::vector<pdu::Pdu> pdus = all(stream);
  // Bursts [0,12000) [12000,24000) [24000,25000): 10000+2000, 10000+2000, 1000, then response.
  ASSERT_EQ(pdus.size(), 6u);
  EXPECT_EQ(DataInStream::count_pdus(25000, 10000, 12000), 5u);
  const std::vector<std::size_t> sizes{10000, 2000, 10000, 2000, 1000};
  const std::vector<bool> finals{false, true, false, true, true};
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& h = std::get<pdu::ScsiDataIn>(pdus[i].header);
    EXPECT_EQ(pdus[i].data.size(), sizes[i]);
    EXPECT_EQ(h.final, finals[i]);
    EXPECT_EQ(h.data_sn, i + 2);
    EXPECT_FALSE(h.status_present);
  }
  EXPECT_EQ(pdu::opcode(pdus[5]), pdu::Opcode::scsi_response);
}

// The PDUs share the read's buffer instead of copying their segments out of it: each points
// at its Buffer Offset in one buffer, the stream lets go of it after the last PDU, and the
// buffer lives exactly as long as a PDU still holds it.
TEST(DataInStreamTest, PdusShareTheReadBufferUntilTheLastIsDropped) {
  const Bytes data = iscsi::test::pattern_bytes(20000, 5);
  DataInStream stream(data, 20000, {.itt = 1, .lun = {}, .max_segment = 8192,
                                    .max_burst = 262144, .first_data_sn = 0},
                      CollapsedStatus{0, {}}, std::nullopt);
  std::vector<DataInPdu> pieces;
  while (!stream.done()) pieces.push_back(stream.next());
  ASSERT_EQ(pieces.size(), 3u);
  const std::weak_ptr<const Bytes> buffer = pieces[0].data.buffer;
  for (const DataInPdu& piece : pieces) {
    EXPECT_TRUE(piece.pdu.data.empty());
    EXPECT_EQ(piece.data.buffer.get(), pieces[0].data.buffer.get());
    const auto& h = std::get<pdu::ScsiDataIn>(piece.pdu.header);
    EXPECT_EQ(piece.data.offset, h.buffer_offset);
    EXPECT_EQ(piece.data.view().data(), pieces[0].data.buffer->data() + h.buffer_offset);
  }
  EXPECT_EQ(buffer.use_count(), 3) << "the finished stream still holds the buffer";
  pieces.erase(pieces.begin(), pieces.begin() + 2);
  EXPECT_FALSE(buffer.expired());
  EXPECT_EQ(Bytes(pieces[0].data.view().begin(), pieces[0].data.view().end()),
            Bytes(data.begin() + 16384, data.end()));
  pieces.clear();
  EXPECT_TRUE(buffer.expired());
}

TEST(DataInStreamTest, ResidualArithmetic) {
  EXPECT_EQ(residual_for(100, 100), (Residual{}));
  EXPECT_EQ(residual_for(36, 255), (Residual{false, true, 219}));
  EXPECT_EQ(residual_for(4096, 512), (Residual{true, false, 3584}));
  EXPECT_EQ(residual_for(0x1'0000'0000ull, 0), (Residual{true, false, 0xffffffff}));
}

}  // namespace
}  // namespace iscsi::target::session
