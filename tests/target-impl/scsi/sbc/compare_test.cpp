// VERIFY, COMPARE AND WRITE and ORWRITE through the Port (target-impl/scsi/sbc/compare.cpp).
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;

using CompareTest = SbcFixture;

Bytes miscompare_sense(std::uint32_t offset) {
  return expected_fixed_sense(SenseKey::miscompare, asc::kMiscompareDuringVerify, std::nullopt,
                              offset);
}

TEST_F(CompareTest, VerifyWithoutByteCheckOnlyChecksTheRange) {
  const CommandResult result = run(kThinLun, cdb10(op::kVerify10, 0x10, 0, 16));
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 0u);
  expect_check_condition(run(kThinLun, cdb16_rw(op::kVerify16, 0, kBlocks, 1)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb12(op::kVerify12, 0x40, 0, 1)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 7));
}

TEST_F(CompareTest, VerifyByteCheckComparesAndReportsTheFirstDifferentByte) {
  fill(kThinLun, 10, 2, 'v');
  Bytes same(1024, 'v');
  const CommandResult match = run(kThinLun, cdb10(op::kVerify10, 0x02, 10, 2), kNexusA, same);
  expect_good(match);
  EXPECT_EQ(match.data_out_wanted, 1024u);
  Bytes different = same;
  different[700] = 'x';
  const CommandResult mismatch =
      run(kThinLun, cdb12(op::kVerify12, 0x02, 10, 2), kNexusA, different);
  EXPECT_EQ(mismatch.status, kStatusCheckCondition);
  EXPECT_EQ(to_hex(mismatch.sense), to_hex(miscompare_sense(700)));
  // BYTCHK 11b: one block compared with every block.
  expect_good(run(kThinLun, cdb16_rw(op::kVerify16, 0x06, 10, 2), kNexusA, Bytes(512, 'v')));
  Bytes block(512, 'v');
  block[3] = 0;
  const CommandResult each = run(kThinLun, cdb16_rw(op::kVerify16, 0x06, 10, 2), kNexusA, block);
  EXPECT_EQ(to_hex(each.sense), to_hex(miscompare_sense(3)));
  // BYTCHK 10b is reserved.
  expect_check_condition(run(kThinLun, cdb10(op::kVerify10, 0x04, 10, 1), kNexusA, same),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 2));
}

Bytes caw_cdb(std::uint64_t lba, std::uint8_t blocks) {
  Bytes cdb = cdb16({op::kCompareAndWrite});
  store_be64(&cdb[2], lba);
  cdb[13] = blocks;
  return cdb;
}

Bytes caw_data(std::uint32_t blocks, std::uint8_t compare, std::uint8_t write) {
  Bytes data(blocks * 512, compare);
  data.insert(data.end(), blocks * 512, write);
  return data;
}

TEST_F(CompareTest, CompareAndWriteWritesWhenTheDataMatches) {
  fill(kThinLun, 20, 2, 'A');
  const CommandResult result = run(kThinLun, caw_cdb(20, 2), kNexusA, caw_data(2, 'A', 'B'));
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 2048u);
  EXPECT_EQ(read(kThinLun, 20, 2), Bytes(1024, 'B'));
}

TEST_F(CompareTest, CompareAndWriteMiscompareLeavesTheDataAndGivesTheOffset) {
  fill(kThinLun, 20, 2, 'A');
  Bytes data = caw_data(2, 'A', 'B');
  data[1024 - 27] = 'C';
  const CommandResult result = run(kThinLun, caw_cdb(20, 2), kNexusA, data);
  EXPECT_EQ(result.status, kStatusCheckCondition);
  EXPECT_EQ(to_hex(result.sense), to_hex(miscompare_sense(1024 - 27)));
  EXPECT_EQ(read(kThinLun, 20, 2), Bytes(1024, 'A'));
}

TEST_F(CompareTest, CompareAndWriteChecksItsFields) {
  // NUMBER OF LOGICAL BLOCKS 0 does nothing.
  expect_good(run(kThinLun, caw_cdb(0, 0)));
  // Data-Out not exactly twice NLB blocks: too little, then too much.
  expect_check_condition(run(kThinLun, caw_cdb(0, 2), kNexusA, Bytes(1024, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(13));
  expect_check_condition(run(kThinLun, caw_cdb(0, 1), kNexusA, Bytes(2048, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(13));
  expect_check_condition(run(kThinLun, caw_cdb(kBlocks - 1, 2), kNexusA, caw_data(2, 0, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

TEST_F(CompareTest, CompareAndWriteOfZeroBlocksWithDataIsRefused) {
  // 256 blocks truncated to NUMBER OF LOGICAL BLOCKS 0 (libiscsi's CompareAndWrite.Simple above
  // MAXIMUM COMPARE AND WRITE LENGTH): the Data-Out disagrees with the CDB.
  expect_check_condition(run(kThinLun, caw_cdb(0, 0), kNexusA, caw_data(256, 'A', 'B')),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(13));
}

TEST_F(CompareTest, CompareAndWriteIsIndivisibleAgainstAConcurrentWrite) {
  fill(kThinLun, 30, 1, 'A');
  // Both commands are issued before either completes: the WRITE must wait for the CAW's
  // exclusive range lock, so the CAW compares against 'A' and the WRITE lands last.
  std::vector<CommandResult> results;
  Command caw;
  caw.nexus = kNexusA;
  caw.lun = *pdu::Lun::from_number(kThinLun);
  caw.cdb = caw_cdb(30, 1);
  caw.data_out = caw_data(1, 'A', 'B');
  caw.expected_data_out_length = 1024;
  Command write = caw;
  write.nexus = kNexusB;
  write.cdb = cdb10(op::kWrite10, 0, 30, 1);
  write.data_out = Bytes(512, 'W');
  write.expected_data_out_length = 512;
  port_->execute(std::move(caw), [&](CommandResult r) { results.push_back(std::move(r)); });
  port_->execute(std::move(write), [&](CommandResult r) { results.push_back(std::move(r)); });
  clock_.advance_by(runtime::Duration{0});
  ASSERT_EQ(results.size(), 2u);
  expect_good(results[0]);
  expect_good(results[1]);
  EXPECT_EQ(read(kThinLun, 30, 1), Bytes(512, 'W'));
  EXPECT_EQ(thin_store_->locks().size(), 0u);
}

TEST_F(CompareTest, OrWriteOrsTheDataIntoTheBlocks) {
  fill(kThinLun, 50, 2, 0xa5);
  const CommandResult result =
      run(kThinLun, cdb16_rw(op::kOrWrite16, 0x08, 50, 2), kNexusA, Bytes(1024, 0x5a));
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 1024u);
  EXPECT_EQ(read(kThinLun, 50, 2), Bytes(1024, 0xff));
  expect_good(run(kThinLun, cdb16_rw(op::kOrWrite16, 0, 50, 0)));
  expect_check_condition(run(kThinLun, cdb16_rw(op::kOrWrite16, 0, kBlocks, 1), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb16_rw(op::kOrWrite16, 0x20, 0, 1), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 7));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
