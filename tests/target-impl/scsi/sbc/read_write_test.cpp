// READ, WRITE, WRITE AND VERIFY and WRITE ATOMIC through the Port (target-impl/scsi/sbc/).
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;

using ReadWriteTest = SbcFixture;

TEST_F(ReadWriteTest, Write10ThenRead10RoundTripsOnBothStores) {
  for (const std::uint16_t lun : {kThinLun, kThickLun}) {
    Bytes data(3 * 512);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 + lun);
    const CommandResult written = run(lun, cdb10(op::kWrite10, 0, 100, 3), kNexusA, data);
    expect_good(written);
    EXPECT_EQ(written.data_out_wanted, 3u * 512);
    const CommandResult read = run(lun, cdb10(op::kRead10, 0, 100, 3));
    expect_good(read);
    EXPECT_EQ(read.data_in, data);
    EXPECT_EQ(read.data_out_wanted, 0u);
  }
}

TEST_F(ReadWriteTest, Read12AndRead16SeeWhatWrite12AndWrite16Wrote) {
  expect_good(run(kThinLun, cdb12(op::kWrite12, 0, 7, 2), kNexusA, Bytes(1024, 0x12)));
  expect_good(run(kThinLun, cdb16_rw(op::kWrite16, 0x08, 9, 1), kNexusA, Bytes(512, 0x16)));
  const CommandResult r12 = run(kThinLun, cdb12(op::kRead12, 0, 7, 3));
  expect_good(r12);
  Bytes expected(1024, 0x12);
  expected.insert(expected.end(), 512, 0x16);
  EXPECT_EQ(r12.data_in, expected);
  // DPO and FUA are accepted (MODE SENSE reports DPOFUA).
  const CommandResult r16 = run(kThinLun, cdb16_rw(op::kRead16, 0x18, 9, 1));
  expect_good(r16);
  EXPECT_EQ(r16.data_in, Bytes(512, 0x16));
}

TEST_F(ReadWriteTest, SixByteCdbsUse21BitLbaAndLengthZeroMeans256) {
  Bytes write6 = cdb16({op::kWrite6, 0x00, 0x00, 0x05, 0x00});
  const CommandResult written = run(kThinLun, write6, kNexusA, Bytes(256 * 512, 0x66));
  expect_good(written);
  EXPECT_EQ(written.data_out_wanted, 256u * 512);
  const CommandResult read = run(kThinLun, cdb16({op::kRead6, 0x00, 0x00, 0x05, 0x00}));
  expect_good(read);
  EXPECT_EQ(read.data_in, Bytes(256 * 512, 0x66));
  // LBA 0x1f0000 is beyond the 2048-block LUN.
  expect_check_condition(run(kThinLun, cdb16({op::kRead6, 0x1f, 0x00, 0x00, 0x01})),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

TEST_F(ReadWriteTest, UnwrittenBlocksReadAsZeros) {
  EXPECT_EQ(read(kThinLun, 2000, 4), Bytes(4 * 512, 0));
}

TEST_F(ReadWriteTest, RangeChecksAtTheEndOfTheLun) {
  // The last block is fine; one more is LBA OUT OF RANGE, and so is a range that wraps.
  expect_good(run(kThinLun, cdb10(op::kRead10, 0, kBlocks - 1, 1)));
  expect_check_condition(run(kThinLun, cdb10(op::kRead10, 0, kBlocks - 1, 2)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb16_rw(op::kRead16, 0, ~std::uint64_t{0}, 2)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb16_rw(op::kWrite16, 0, kBlocks, 1), kNexusA,
                             Bytes(512, 1)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  // Zero blocks transfer nothing: fine at the capacity, out of range beyond it.
  const CommandResult zero = run(kThinLun, cdb10(op::kRead10, 0, kBlocks, 0));
  expect_good(zero);
  EXPECT_TRUE(zero.data_in.empty());
  expect_check_condition(run(kThinLun, cdb10(op::kRead10, 0, kBlocks + 1, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

TEST_F(ReadWriteTest, ProtectionFieldsAreInvalidWithoutProtectionInformation) {
  expect_check_condition(run(kThinLun, cdb10(op::kRead10, 0x20, 0, 1)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 7));
  expect_check_condition(run(kThinLun, cdb16_rw(op::kWrite16, 0xe0, 0, 1), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 7));
}

TEST_F(ReadWriteTest, TransferLengthAboveTheLimitIsAnInvalidField) {
  LunFlags none;
  build({sparse_lun(kThinLun, 200000, none, backing::InitialAllocation::deallocated)});
  expect_check_condition(run(kThinLun, cdb12(op::kRead12, 0, 0, 65537)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(6));
}

TEST_F(ReadWriteTest, OnlyBlocksThatArrivedWholeAreWritten) {
  fill(kThinLun, 0, 2, 'a');
  // The CDB asks for two blocks; the initiator sent one and a half (EDTL below).
  const CommandResult short_write =
      run(kThinLun, cdb10(op::kWrite10, 0, 0, 2), kNexusA, Bytes(768, 'b'));
  expect_good(short_write);
  EXPECT_EQ(short_write.data_out_wanted, 1024u);
  Bytes expected(512, 'b');
  expected.insert(expected.end(), 512, 'a');
  EXPECT_EQ(read(kThinLun, 0, 2), expected);
  // Nothing at all arrived: GOOD, nothing written, residual left to the session.
  const CommandResult nothing = run(kThinLun, cdb10(op::kWrite10, 0, 1, 1));
  expect_good(nothing);
  EXPECT_EQ(nothing.data_out_wanted, 512u);
  EXPECT_EQ(read(kThinLun, 1, 1), Bytes(512, 'a'));
}

TEST_F(ReadWriteTest, ReadonlyLunRefusesWritesWithDataProtect) {
  LunFlags readonly;
  readonly.readonly = true;
  build({sparse_lun(kThinLun, kBlocks, readonly, backing::InitialAllocation::deallocated)});
  const CommandResult result = run(kThinLun, cdb10(op::kWrite10, 0, 0, 1), kNexusA, Bytes(512, 1));
  EXPECT_EQ(result.status, kStatusCheckCondition);
  ASSERT_GE(result.sense.size(), 14u);
  EXPECT_EQ(result.sense[2] & 0x0f, static_cast<int>(SenseKey::data_protect));
  EXPECT_EQ(result.sense[12], 0x27);
  expect_good(run(kThinLun, cdb10(op::kRead10, 0, 0, 1)));
}

TEST_F(ReadWriteTest, WriteAndVerifyWritesAndRejectsReservedBytchk) {
  const CommandResult written =
      run(kThinLun, cdb10(op::kWriteAndVerify10, 0x02, 40, 2), kNexusA, Bytes(1024, 0x5e));
  expect_good(written);
  EXPECT_EQ(written.data_out_wanted, 1024u);
  EXPECT_EQ(read(kThinLun, 40, 2), Bytes(1024, 0x5e));
  expect_good(run(kThinLun, cdb12(op::kWriteAndVerify12, 0x10, 42, 1), kNexusA, Bytes(512, 1)));
  expect_good(run(kThinLun, cdb16_rw(op::kWriteAndVerify16, 0, 43, 1), kNexusA, Bytes(512, 2)));
  Bytes expected(512, 1);
  expected.insert(expected.end(), 512, 2);
  EXPECT_EQ(read(kThinLun, 42, 2), expected);
  expect_check_condition(run(kThinLun, cdb10(op::kWriteAndVerify10, 0x04, 40, 1), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 2));
}

Bytes write_atomic_cdb(std::uint64_t lba, std::uint16_t boundary, std::uint16_t blocks) {
  Bytes cdb = cdb16({op::kWriteAtomic16});
  store_be64(&cdb[2], lba);
  store_be16(&cdb[10], boundary);
  store_be16(&cdb[12], blocks);
  return cdb;
}

TEST_F(ReadWriteTest, WriteAtomic16WritesWithinTheAtomicLimits) {
  const CommandResult written = run(kThinLun, write_atomic_cdb(64, 0, 8), kNexusA, Bytes(4096, 0xa7));
  expect_good(written);
  EXPECT_EQ(written.data_out_wanted, 4096u);
  EXPECT_EQ(read(kThinLun, 64, 8), Bytes(4096, 0xa7));
  // MAXIMUM ATOMIC TRANSFER LENGTH is 1024 blocks; atomic boundaries are not supported.
  expect_good(run(kThinLun, write_atomic_cdb(0, 0, 256), kNexusA, Bytes(256 * 512, 0)));
  expect_good(run(kThinLun, write_atomic_cdb(0, 0, 1024), kNexusA, Bytes(1024 * 512, 0)));
  expect_check_condition(run(kThinLun, write_atomic_cdb(0, 0, 1025), kNexusA,
                             Bytes(1025 * 512, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(12));
  expect_check_condition(run(kThinLun, write_atomic_cdb(0, 8, 8), kNexusA, Bytes(4096, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(10));
  expect_check_condition(run(kThinLun, write_atomic_cdb(kBlocks - 1, 0, 2), kNexusA,
                             Bytes(1024, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  // The range is checked before the atomic limit (libiscsi's BeyondEol uses up to 256 blocks).
  expect_check_condition(run(kThinLun, write_atomic_cdb(kBlocks - 199, 0, 200), kNexusA,
                             Bytes(200 * 512, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
