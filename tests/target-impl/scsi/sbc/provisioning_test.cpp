// WRITE SAME and UNMAP through the Port (target-impl/scsi/sbc/provisioning.cpp).
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;

class ProvisioningTest : public SbcFixture {
 protected:
  bool mapped(std::uint64_t lba) const { return thin_store_->tracker().run_at(lba).mapped; }
};

Bytes unmap_cdb(std::uint16_t list_length, std::uint8_t byte1 = 0) {
  Bytes cdb = cdb16({op::kUnmap, byte1});
  store_be16(&cdb[7], list_length);
  return cdb;
}

// An UNMAP parameter list with these (lba, blocks) descriptors.
Bytes unmap_list(std::initializer_list<std::pair<std::uint64_t, std::uint32_t>> ranges) {
  Bytes list(8, 0);
  for (const auto& [lba, blocks] : ranges) {
    Bytes d(16, 0);
    store_be64(&d[0], lba);
    store_be32(&d[8], blocks);
    list.insert(list.end(), d.begin(), d.end());
  }
  store_be16(&list[0], static_cast<std::uint16_t>(list.size() - 2));
  store_be16(&list[2], static_cast<std::uint16_t>(list.size() - 8));
  return list;
}


TEST_F(ProvisioningTest, WriteSame10FillsTheRangeWithTheBlock) {
  Bytes block(512);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<std::uint8_t>(i);
  const CommandResult result = run(kThinLun, cdb10(op::kWriteSame10, 0, 100, 300), kNexusA, block);
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 512u);
  const Bytes data = read(kThinLun, 100, 300);
  for (std::size_t b = 0; b < 300; ++b) {
    ASSERT_TRUE(std::equal(block.begin(), block.end(), data.begin() + static_cast<long>(b * 512)));
  }
  EXPECT_EQ(read(kThinLun, 400, 1), Bytes(512, 0));
  EXPECT_TRUE(mapped(100) && mapped(399) && !mapped(400));
}

TEST_F(ProvisioningTest, WriteSameZeroBlocksRunsToTheEndOfTheLun) {
  expect_good(run(kThinLun, cdb16_rw(op::kWriteSame16, 0, kBlocks - 5, 0), kNexusA,
                  Bytes(512, 0x77)));
  EXPECT_EQ(read(kThinLun, kBlocks - 5, 5), Bytes(5 * 512, 0x77));
  EXPECT_EQ(read(kThinLun, kBlocks - 6, 1), Bytes(512, 0));
  // Beyond the last LBA there is nothing to run to.
  expect_check_condition(run(kThinLun, cdb10(op::kWriteSame10, 0, kBlocks, 0), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  expect_check_condition(run(kThinLun, cdb10(op::kWriteSame10, 0, kBlocks - 1, 2), kNexusA,
                             Bytes(512, 0)),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
}

TEST_F(ProvisioningTest, WriteSameWithUnmapDeallocatesWhateverThePattern) {
  fill(kThinLun, 0, 16, 0xff);
  expect_good(run(kThinLun, cdb10(op::kWriteSame10, 0x08, 0, 9), kNexusA, Bytes(512, 0xff)));
  EXPECT_EQ(read(kThinLun, 0, 9), Bytes(9 * 512, 0));
  EXPECT_FALSE(mapped(0));
  EXPECT_FALSE(mapped(8));
  EXPECT_TRUE(mapped(9));
  // NDOB (WRITE SAME(16) only): no Data-Out at all.
  const CommandResult ndob = run(kThinLun, cdb16_rw(op::kWriteSame16, 0x09, 9, 7));
  expect_good(ndob);
  EXPECT_EQ(ndob.data_out_wanted, 0u);
  EXPECT_FALSE(mapped(15));
}

TEST_F(ProvisioningTest, WriteSameRefusesWhatItDoesNotSupport) {
  const Bytes block(512, 1);
  expect_check_condition(run(kThinLun, cdb10(op::kWriteSame10, 0x10, 0, 1), kNexusA, block),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 4));
  expect_check_condition(run(kThickLun, cdb10(op::kWriteSame10, 0x08, 0, 1), kNexusA, block),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 3));
  expect_check_condition(run(kThinLun, cdb10(op::kWriteSame10, 0x02, 0, 1), kNexusA, block),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 1));
  // Exactly one block of Data-Out: half a block and two blocks both fail.
  expect_check_condition(run(kThinLun, cdb10(op::kWriteSame10, 0x08, 0, 1), kNexusA,
                             Bytes(256, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(7));
  expect_check_condition(run(kThinLun, cdb16_rw(op::kWriteSame16, 0, 0, 1), kNexusA,
                             Bytes(1024, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(10));
  // Above MAXIMUM WRITE SAME LENGTH (0x400000 blocks) on a LUN big enough to hold it.
  LunFlags thin;
  thin.thin_provisioning = true;
  build({sparse_lun(kThinLun, 0x500000, thin, backing::InitialAllocation::deallocated)});
  expect_check_condition(run(kThinLun, cdb16_rw(op::kWriteSame16, 0, 0, 0x400001), kNexusA,
                             block),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(10));
}

TEST_F(ProvisioningTest, UnmapDeallocatesEveryDescriptor) {
  fill(kThinLun, 0, 64, 'u');
  const Bytes list = unmap_list({{0, 8}, {32, 16}, {60, 0}});
  const CommandResult result =
      run(kThinLun, unmap_cdb(static_cast<std::uint16_t>(list.size())), kNexusA, list);
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, list.size());
  EXPECT_FALSE(mapped(0));
  EXPECT_TRUE(mapped(8));
  EXPECT_FALSE(mapped(32));
  EXPECT_FALSE(mapped(47));
  EXPECT_TRUE(mapped(48));
  EXPECT_EQ(read(kThinLun, 32, 16), Bytes(16 * 512, 0));
  EXPECT_EQ(read(kThinLun, 48, 1), Bytes(512, 'u'));
}

TEST_F(ProvisioningTest, UnmapParameterListChecks) {
  // A PARAMETER LIST LENGTH of 0 and a list without descriptors are both fine.
  expect_good(run(kThinLun, unmap_cdb(0)));
  const Bytes empty = unmap_list({});
  expect_good(run(kThinLun, unmap_cdb(8), kNexusA, empty));
  // Shorter than the 8-byte header.
  expect_check_condition(run(kThinLun, unmap_cdb(4), kNexusA, Bytes(4, 0)),
                         SenseKey::illegal_request, asc::kParameterListLengthError);
  // A descriptor past the end is LBA OUT OF RANGE, and nothing is unmapped.
  fill(kThinLun, 0, 8, 'k');
  const Bytes bad = unmap_list({{0, 8}, {kBlocks - 1, 2}});
  expect_check_condition(run(kThinLun, unmap_cdb(static_cast<std::uint16_t>(bad.size())),
                             kNexusA, bad),
                         SenseKey::illegal_request, asc::kLbaOutOfRange);
  EXPECT_TRUE(mapped(0));
  // More descriptors than MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (256).
  Bytes many(8, 0);
  for (int i = 0; i < 257; ++i) {
    Bytes d(16, 0);
    store_be64(&d[0], static_cast<std::uint64_t>(i));
    store_be32(&d[8], 1);
    many.insert(many.end(), d.begin(), d.end());
  }
  store_be16(&many[0], static_cast<std::uint16_t>(many.size() - 2));
  store_be16(&many[2], static_cast<std::uint16_t>(many.size() - 8));
  expect_check_condition(run(kThinLun, unmap_cdb(static_cast<std::uint16_t>(many.size())),
                             kNexusA, many),
                         SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                         list_field(2));
  // ANCHOR is not supported; a fully provisioned LUN does not support UNMAP at all.
  expect_check_condition(run(kThinLun, unmap_cdb(8, 0x01), kNexusA, empty),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 0));
  expect_check_condition(run(kThickLun, unmap_cdb(8), kNexusA, empty),
                         SenseKey::illegal_request, asc::kInvalidCommandOperationCode);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
