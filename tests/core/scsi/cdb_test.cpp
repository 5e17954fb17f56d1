// CDB decoding (SPC-4 §4.2, SBC-3 §5): lengths by group code, the READ/WRITE/VERIFY family,
// allocation lengths, and every truncation of every CDB.
#include <gtest/gtest.h>

#include "core/scsi/cdb.hpp"
#include "core/scsi/opcodes.hpp"

namespace iscsi::scsi {
namespace {

TEST(CdbLength, FollowsGroupCode) {
  EXPECT_EQ(cdb_length_for_opcode(0x00), 6u);
  EXPECT_EQ(cdb_length_for_opcode(0x1f), 6u);
  EXPECT_EQ(cdb_length_for_opcode(0x28), 10u);
  EXPECT_EQ(cdb_length_for_opcode(0x5f), 10u);
  EXPECT_EQ(cdb_length_for_opcode(0x88), 16u);
  EXPECT_EQ(cdb_length_for_opcode(0xa0), 12u);
  EXPECT_FALSE(cdb_length_for_opcode(0x60).has_value());  // group 3, reserved
  EXPECT_FALSE(cdb_length_for_opcode(0xc0).has_value());  // group 6, vendor specific
  EXPECT_FALSE(cdb_length_for_opcode(0xff).has_value());  // group 7, vendor specific
}

TEST(CdbLength, VariableLengthUsesAdditionalLength) {
  Bytes cdb(32, 0);
  cdb[0] = op::kVariableLength;
  cdb[7] = 0x18;
  EXPECT_EQ(cdb_length(cdb), 32u);
  EXPECT_FALSE(cdb_length(ByteView(cdb).first(7)).has_value());
  EXPECT_FALSE(cdb_length(ByteView{}).has_value());
}

TEST(DecodeRw, Read6ZeroMeans256AndLba21Bits) {
  const Bytes cdb{op::kRead6, 0xff, 0x12, 0x34, 0x00, 0x00};
  const auto rw = decode_rw(cdb);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(rw->kind, RwKind::read);
  EXPECT_EQ(rw->lba, 0x1f1234u);
  EXPECT_EQ(rw->transfer_length, 256u);
  EXPECT_EQ(rw->cdb_length, 6u);
}

TEST(DecodeRw, Write10Fields) {
  const Bytes cdb{op::kWrite10, 0x78, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x08, 0x00};
  const auto rw = decode_rw(cdb);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(rw->kind, RwKind::write);
  EXPECT_EQ(rw->lba, 0x1000u);
  EXPECT_EQ(rw->transfer_length, 8u);
  EXPECT_EQ(rw->protect, 3);
  EXPECT_TRUE(rw->dpo);
  EXPECT_TRUE(rw->fua);
  EXPECT_EQ(rw->group_number, 5);
}

TEST(DecodeRw, Verify12Bytchk) {
  const Bytes cdb{op::kVerify12, 0x02, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0};
  const auto rw = decode_rw(cdb);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(rw->kind, RwKind::verify);
  EXPECT_EQ(rw->lba, 7u);
  EXPECT_EQ(rw->transfer_length, 3u);
  EXPECT_EQ(rw->bytchk, 1);
}

TEST(DecodeRw, Read16SixtyFourBitLba) {
  Bytes cdb(16, 0);
  cdb[0] = op::kRead16;
  store_be64(&cdb[2], 0xfffffffffffffff0ull);
  store_be32(&cdb[10], 0x10000);
  cdb[14] = 0x3f;
  const auto rw = decode_rw(cdb);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(rw->lba, 0xfffffffffffffff0ull);
  EXPECT_EQ(rw->transfer_length, 0x10000u);
  EXPECT_EQ(rw->group_number, 0x3f);
}

TEST(DecodeRw, PrefetchImmed) {
  Bytes cdb(10, 0);
  cdb[0] = op::kPreFetch10;
  cdb[1] = 0x02;
  const auto rw = decode_rw(cdb);
  ASSERT_TRUE(rw.ok());
  EXPECT_EQ(rw->kind, RwKind::prefetch);
  EXPECT_TRUE(rw->immed);
  EXPECT_EQ(rw->bytchk, 0);
}

TEST(DecodeRw, OtherOpcodesAndTruncationsAreViolations) {
  EXPECT_EQ(decode_rw(Bytes{op::kInquiry, 0, 0, 0, 0, 0}).error().id(), "scsi.cdb-malformed");
  EXPECT_FALSE(decode_rw(ByteView{}).ok());
  for (const std::uint8_t opcode : {op::kRead6, op::kWrite10, op::kRead12, op::kWrite16,
                                    op::kOrWrite16, op::kWriteAndVerify16, op::kPreFetch16}) {
    Bytes cdb(16, 0x5a);
    cdb[0] = opcode;
    const std::size_t needed = *cdb_length_for_opcode(opcode);
    for (std::size_t n = 1; n <= cdb.size(); ++n) {
      EXPECT_EQ(decode_rw(ByteView(cdb).first(n)).ok(), n >= needed) << int{opcode} << " " << n;
    }
  }
}

TEST(AllocationLength, PerOpcode) {
  EXPECT_EQ(allocation_length(Bytes{op::kInquiry, 1, 0x83, 0x01, 0x02, 0}), 0x0102u);
  EXPECT_EQ(allocation_length(Bytes{op::kModeSense6, 0, 0x3f, 0, 0xfc, 0}), 0xfcu);
  EXPECT_EQ(allocation_length(Bytes{op::kRequestSense, 0, 0, 0, 18, 0}), 18u);
  Bytes ten(10, 0);
  ten[0] = op::kModeSense10;
  store_be16(&ten[7], 0x1234);
  EXPECT_EQ(allocation_length(ten), 0x1234u);
  ten[0] = op::kReadCapacity10;
  EXPECT_EQ(allocation_length(ten), 8u);
  Bytes twelve(12, 0);
  twelve[0] = op::kReportLuns;
  store_be32(&twelve[6], 0x00010000);
  EXPECT_EQ(allocation_length(twelve), 0x10000u);
  Bytes sixteen(16, 0);
  sixteen[0] = op::kServiceActionIn16;
  sixteen[1] = 0x10;
  store_be32(&sixteen[10], 32);
  EXPECT_EQ(allocation_length(sixteen), 32u);
  EXPECT_FALSE(allocation_length(Bytes{op::kWrite6, 0, 0, 0, 0, 0}).has_value());
  EXPECT_FALSE(allocation_length(ByteView(twelve).first(11)).has_value());
}

TEST(ControlByte, LastByteOrByteOneForVariableLength) {
  EXPECT_EQ(control_byte(Bytes{0x00, 0, 0, 0, 0, 0x04}), 0x04);
  Bytes var(16, 0);
  var[0] = op::kVariableLength;
  var[1] = 0x07;
  var[7] = 8;
  EXPECT_EQ(control_byte(var), 0x07);
  EXPECT_FALSE(control_byte(Bytes{0x28, 0, 0}).has_value());
}

}  // namespace
}  // namespace iscsi::scsi
