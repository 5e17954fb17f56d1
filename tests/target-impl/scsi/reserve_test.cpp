// RESERVE(6)/(10) and RELEASE(6)/(10) (SPC-2 §5.5.1) across two nexuses, resets and logouts.
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

const Bytes kReserve6 = cdb16({0x16});
const Bytes kRelease6 = cdb16({0x17});
const Bytes kReserve10 = cdb16({0x56});
const Bytes kRelease10 = cdb16({0x57});
const Bytes kModeSense = cdb16({0x1a, 0x08, 0x3f, 0, 0xff, 0});
const Bytes kInquiry = cdb16({0x12, 0, 0, 0, 0x24, 0});

void expect_conflict(const CommandResult& result) {
  EXPECT_EQ(result.status, kStatusReservationConflict);
  EXPECT_TRUE(result.sense.empty());
  EXPECT_TRUE(result.data_in.empty());
}

class ReserveTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
};

TEST_F(ReserveTest, TwoInitiators) {
  expect_good(run(1, kReserve6, kNexusA));
  expect_good(run(1, kReserve6, kNexusA));  // the holder may reserve again
  expect_conflict(run(1, kReserve6, kNexusB));
  expect_good(run(1, kRelease6, kNexusB));  // a non-holder's RELEASE does nothing
  expect_good(run(1, kModeSense, kNexusA));
  expect_conflict(run(1, kModeSense, kNexusB));
  expect_conflict(run(1, cdb16({0x00}), kNexusB));
  expect_good(run(1, kInquiry, kNexusB));  // INQUIRY is always allowed
  expect_conflict(run(1, kReserve6, kNexusB));
  expect_good(run(1, kRelease6, kNexusA));
  expect_good(run(1, kReserve6, kNexusB));
  expect_good(run(1, kRelease6, kNexusB));
  expect_good(run(1, kModeSense, kNexusA));
}

TEST_F(ReserveTest, TenByteFormsShareTheReservation) {
  expect_good(run(1, kReserve10, kNexusA));
  expect_conflict(run(1, kReserve6, kNexusB));
  expect_good(run(1, kRelease10, kNexusA));
  expect_good(run(1, kReserve6, kNexusB));
}

TEST_F(ReserveTest, ReservationIsPerLogicalUnit) {
  build({memory_lun(1, 64), memory_lun(2, 64)});
  expect_good(run(1, kReserve6, kNexusA));
  expect_good(run(2, kReserve6, kNexusB));
  expect_conflict(run(2, kModeSense, kNexusA));
  expect_good(run(1, kModeSense, kNexusA));
}

TEST_F(ReserveTest, LogicalUnitResetReleases) {
  expect_good(run(1, kReserve6, kNexusA));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset,
                                     *pdu::Lun::from_number(1)));
  clear_unit_attentions(kNexusB);
  expect_good(run(1, kReserve6, kNexusB));
}

TEST_F(ReserveTest, TargetResetsRelease) {
  for (const auto reset : {TaskManagement::target_warm_reset, TaskManagement::target_cold_reset}) {
    expect_good(run(1, kReserve6, kNexusA));
    EXPECT_TRUE(port_->task_management(kNexusA, reset, *pdu::Lun::from_number(0)));
    clear_unit_attentions(kNexusA);
    clear_unit_attentions(kNexusB);
    expect_good(run(1, kReserve6, kNexusB));
    expect_good(run(1, kRelease6, kNexusB));
  }
}

TEST_F(ReserveTest, NexusLossReleases) {
  expect_good(run(1, kReserve6, kNexusA));
  port_->nexus_removed(kNexusA);
  expect_good(run(1, kReserve6, kNexusB));
}

TEST_F(ReserveTest, PersistentRegistrationsMakeReserveConflict) {
  Bytes list(24, 0);
  list[15] = 0x11;  // service action reservation key 0x11
  expect_good(run(1, cdb16({0x5f, 0x06, 0, 0, 0, 0, 0, 0, 24, 0}), kNexusA, list));
  expect_conflict(run(1, kReserve6, kNexusB));
  expect_conflict(run(1, kReserve6, kNexusA));
  expect_good(run(1, kRelease6, kNexusA));
}

TEST_F(ReserveTest, PersistentReserveConflictsWithReserve6OfAnother) {
  expect_good(run(1, kReserve6, kNexusA));
  expect_conflict(run(1, cdb16({0x5e, 0x00, 0, 0, 0, 0, 0, 0x10, 0x00, 0}), kNexusB));
  expect_good(run(1, cdb16({0x5e, 0x00, 0, 0, 0, 0, 0, 0x10, 0x00, 0}), kNexusA));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
