// LunSetup values that shape a disk LU: the LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (READ
// CAPACITY(16), Block Limits VPD page) and the initial allocation state of a thin LUN.
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

using LunSetupTest = PortFixture;

constexpr std::uint64_t kLunBlocks = 2048;

struct Geometry {
  std::uint8_t rc16_lbppbe = 0xff;          // READ CAPACITY(16) byte 13
  std::uint16_t transfer_granularity = 0;   // Block Limits bytes 2-3
  std::uint32_t unmap_granularity = 0;      // Block Limits bytes 24-27
};

class GeometryTest : public PortFixture {
 protected:
  Geometry geometry_of(std::optional<std::uint8_t> lbppbe) {
    LunSetup setup = memory_lun(1, kLunBlocks, kThin);
    if (lbppbe) setup.lbppbe = *lbppbe;
    build({std::move(setup)});
    Geometry out;
    const CommandResult rc16 = run(1, service_action_in(sa::kReadCapacity16, 0, 32));
    expect_good(rc16);
    if (rc16.data_in.size() == 32) out.rc16_lbppbe = rc16.data_in[13];
    const CommandResult limits = run(1, cdb16({op::kInquiry, 0x01, 0xb0, 0, 0xff}));
    expect_good(limits);
    if (limits.data_in.size() >= 32) {
      out.transfer_granularity = load_be16(&limits.data_in[6]);
      out.unmap_granularity = load_be32(&limits.data_in[28]);
    }
    return out;
  }
};

TEST_F(GeometryTest, DefaultIsEightLogicalBlocksPerPhysicalBlock) {
  const Geometry g = geometry_of(std::nullopt);
  EXPECT_EQ(g.rc16_lbppbe, 3);
  EXPECT_EQ(g.transfer_granularity, 8);
  EXPECT_EQ(g.unmap_granularity, 8u);
}

TEST_F(GeometryTest, LbppbeZeroMakesPhysicalBlocksOneLogicalBlock) {
  const Geometry g = geometry_of(0);
  EXPECT_EQ(g.rc16_lbppbe, 0);
  EXPECT_EQ(g.transfer_granularity, 1);
  EXPECT_EQ(g.unmap_granularity, 1u);
}

TEST_F(GeometryTest, LbppbeFollowsTheSetupAndStaysWithinItsFourBits) {
  const Geometry one = geometry_of(1);
  EXPECT_EQ(one.rc16_lbppbe, 1);
  EXPECT_EQ(one.transfer_granularity, 2);
  EXPECT_EQ(one.unmap_granularity, 2u);
  const Geometry too_big = geometry_of(200);
  EXPECT_EQ(too_big.rc16_lbppbe, 15);
  EXPECT_EQ(too_big.unmap_granularity, 1u << 15);
}

// The provisioning status (byte 12 of the first descriptor) GET LBA STATUS gives for `lba`.
std::uint8_t status_at(const CommandResult& result) {
  EXPECT_GE(result.data_in.size(), 24u);
  return result.data_in.size() >= 24 ? result.data_in[8 + 12] : 0xff;
}

TEST_F(LunSetupTest, AThinLunStartsMappedUnlessTheStoreIsKnownEmpty) {
  LunSetup file_like = memory_lun(1, kLunBlocks, kThin);
  LunSetup ram_like = memory_lun(2, kLunBlocks, kThin);
  ram_like.initially_deallocated = true;
  build({std::move(file_like), std::move(ram_like)});
  EXPECT_EQ(status_at(run(1, service_action_in(sa::kGetLbaStatus, 0, 24))), 0);  // mapped
  EXPECT_EQ(status_at(run(2, service_action_in(sa::kGetLbaStatus, 0, 24))), 1);  // deallocated
  // Written blocks of the RAM-like LUN become mapped; the rest stays deallocated.
  expect_good(run(2, cdb16_rw(op::kWrite16, 0, 8, 8), kNexusA, Bytes(8 * 512, 0x5a)));
  EXPECT_EQ(status_at(run(2, service_action_in(sa::kGetLbaStatus, 8, 24))), 0);
  EXPECT_EQ(status_at(run(2, service_action_in(sa::kGetLbaStatus, 16, 24))), 1);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
