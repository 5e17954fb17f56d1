// READ CAPACITY(10/16) and GET LBA STATUS through the Port (target-impl/scsi/sbc/capacity.cpp).
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

using CapacityTest = SbcFixture;

struct LbaStatus {
  std::uint64_t lba;
  std::uint32_t blocks;
  std::uint8_t status;
};

std::vector<LbaStatus> descriptors(const Bytes& data) {
  std::vector<LbaStatus> out;
  for (std::size_t at = 8; at + 16 <= data.size(); at += 16) {
    out.push_back({load_be64(&data[at]), load_be32(&data[at + 8]), data[at + 12]});
  }
  return out;
}

TEST_F(CapacityTest, ReadCapacity10ReportsTheLastLbaAndBlockLength) {
  const CommandResult result = run(kThinLun, cdb16({op::kReadCapacity10}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "000007ff00000200");
  // With PMI 0 the LBA field must be 0.
  expect_check_condition(run(kThinLun, cdb10(op::kReadCapacity10, 0, 5, 0)),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(2));
}

TEST_F(CapacityTest, ReadCapacity16ReportsGeometryAndThinProvisioning) {
  const CommandResult thin = run(kThinLun, service_action_in(sa::kReadCapacity16, 0, 32));
  expect_good(thin);
  ASSERT_EQ(thin.data_in.size(), 32u);
  EXPECT_EQ(load_be64(&thin.data_in[0]), kBlocks - 1);
  EXPECT_EQ(load_be32(&thin.data_in[8]), 512u);
  EXPECT_EQ(thin.data_in[13], 3);     // LBPPBE: 8 logical blocks per physical block
  EXPECT_EQ(thin.data_in[14], 0xc0);  // LBPME and LBPRZ
  const CommandResult thick = run(kThickLun, service_action_in(sa::kReadCapacity16, 0, 32));
  expect_good(thick);
  EXPECT_EQ(thick.data_in[13], 3);
  EXPECT_EQ(thick.data_in[14], 0x00);
  // The ALLOCATION LENGTH cuts the data.
  const CommandResult cut = run(kThinLun, service_action_in(sa::kReadCapacity16, 0, 12));
  expect_good(cut);
  EXPECT_EQ(cut.data_in.size(), 12u);
}

TEST_F(CapacityTest, GetLbaStatusFollowsWritesAndUnmaps) {
  const CommandResult fresh = run(kThinLun, service_action_in(sa::kGetLbaStatus, 0, 1024));
  expect_good(fresh);
  auto d = descriptors(fresh.data_in);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].lba, 0u);
  EXPECT_EQ(d[0].blocks, kBlocks);
  EXPECT_EQ(d[0].status, 1);  // deallocated
  EXPECT_EQ(load_be32(&fresh.data_in[0]), 4u + 16u);

  fill(kThinLun, 16, 8, 'm');
  const CommandResult after = run(kThinLun, service_action_in(sa::kGetLbaStatus, 10, 1024));
  expect_good(after);
  d = descriptors(after.data_in);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].lba, 10u);
  EXPECT_EQ(d[0].blocks, 6u);
  EXPECT_EQ(d[0].status, 1);
  EXPECT_EQ(d[1].lba, 16u);
  EXPECT_EQ(d[1].blocks, 8u);
  EXPECT_EQ(d[1].status, 0);  // mapped
  EXPECT_EQ(d[2].lba, 24u);
  EXPECT_EQ(d[2].blocks, kBlocks - 24);

  // An allocation length with room for one descriptor gets exactly one (24 bytes).
  const CommandResult one = run(kThinLun, service_action_in(sa::kGetLbaStatus, 16, 24));
  expect_good(one);
  EXPECT_EQ(one.data_in.size(), 24u);
  EXPECT_EQ(descriptors(one.data_in)[0].status, 0);
}

TEST_F(CapacityTest, GetLbaStatusOnAFullyProvisionedLunReportsMapped) {
  const CommandResult result = run(kThickLun, service_action_in(sa::kGetLbaStatus, 100, 24));
  expect_good(result);
  const auto d = descriptors(result.data_in);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].lba, 100u);
  EXPECT_EQ(d[0].blocks, kBlocks - 100);
  EXPECT_EQ(d[0].status, 0);
}

TEST_F(CapacityTest, GetLbaStatusBeyondTheEndIsOutOfRange) {
  for (const std::uint64_t lba : {kBlocks, kBlocks + 1, std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    expect_check_condition(run(kThinLun, service_action_in(sa::kGetLbaStatus, lba, 24)),
                           SenseKey::illegal_request, asc::kLbaOutOfRange);
  }
}

}  // namespace
}  // namespace iscsi::target::scsi::test
