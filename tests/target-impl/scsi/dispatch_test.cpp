// The Port's dispatch (SAM-5 §5.14): unknown LUNs, unknown operation codes and service
// actions, reserved CDB bits, deferred completion, and a Port destroyed with work in flight.
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class DispatchTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
};

TEST_F(DispatchTest, InquiryOnUnknownLunAnswersQualifierThree) {
  const CommandResult result = run(7, cdb16({0x12, 0x00, 0x00, 0x00, 0x24, 0x00}));
  expect_good(result);
  ASSERT_EQ(result.data_in.size(), 36u);
  EXPECT_EQ(result.data_in[0], 0x7f);  // peripheral qualifier 011b, type 1Fh
}

TEST_F(DispatchTest, ReportLunsWorksOnUnknownLun) {
  const CommandResult result =
      run(9, cdb16({0xa0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x01, 0x00, 0, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "00000010000000000000000000000000" "0001000000000000");
}

TEST_F(DispatchTest, RequestSenseOnUnknownLunReportsLunNotSupported) {
  const CommandResult result = run(9, cdb16({0x03, 0, 0, 0, 0xff, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in),
            to_hex(expected_fixed_sense(SenseKey::illegal_request, asc::kLogicalUnitNotSupported)));
}

TEST_F(DispatchTest, OtherCommandsOnUnknownLunFail) {
  expect_check_condition(run(9, cdb16({0x00})), SenseKey::illegal_request,
                         asc::kLogicalUnitNotSupported);
  // A LUN in an addressing method this target does not use names no logical unit either.
  Command command;
  command.nexus = kNexusA;
  command.lun = pdu::Lun::from_raw(0xc100000000000000ull);
  command.cdb = cdb16({0x00});
  expect_check_condition(run(std::move(command)), SenseKey::illegal_request,
                         asc::kLogicalUnitNotSupported);
}

TEST_F(DispatchTest, UnknownOperationCode) {
  expect_check_condition(run(1, cdb16({0xc7})), SenseKey::illegal_request,
                         asc::kInvalidCommandOperationCode);
  expect_check_condition(run(0, cdb16({0x02})), SenseKey::illegal_request,
                         asc::kInvalidCommandOperationCode);
}

TEST_F(DispatchTest, UnknownServiceActionOfKnownOpcode) {
  // PERSISTENT RESERVE IN with service action 1Fh.
  expect_check_condition(run(1, cdb16({0x5e, 0x1f, 0, 0, 0, 0, 0, 0x10, 0x00, 0})),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(1, 4));
}

TEST_F(DispatchTest, ReservedCdbBitsAreRejectedWithPointer) {
  // TEST UNIT READY with a bit set in reserved byte 2.
  expect_check_condition(run(1, cdb16({0x00, 0x00, 0x20})), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb,
                         cdb_field(2, 5));
  // NACA in the CONTROL byte: ACA is not supported (SAM-5 §5.9.3).
  expect_check_condition(run(1, cdb16({0x12, 0, 0, 0, 0x24, 0x04})), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb,
                         cdb_field(5, 2));
}

TEST_F(DispatchTest, EmptyCdbIsAnInvalidField) {
  Command command;
  command.nexus = kNexusA;
  command.lun = *pdu::Lun::from_number(1);
  expect_check_condition(run(std::move(command)), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(0));
}

TEST_F(DispatchTest, ControllerAnswersTestUnitReady) {
  expect_good(run(0, cdb16({0x00})));
  EXPECT_TRUE(port_->has_lun(*pdu::Lun::from_number(0)));
  EXPECT_TRUE(port_->has_lun(*pdu::Lun::from_number(1)));
  EXPECT_FALSE(port_->has_lun(*pdu::Lun::from_number(2)));
}

TEST_F(DispatchTest, CompletionIsDroppedWhenThePortGoesFirst) {
  int calls = 0;
  Command command;
  command.nexus = kNexusA;
  command.lun = *pdu::Lun::from_number(1);
  command.cdb = cdb16({0x00});
  port_->execute(std::move(command), [&](CommandResult) { ++calls; });
  EXPECT_EQ(calls, 0);
  port_.reset();
  clock_.advance_by(runtime::Duration{0});
  EXPECT_EQ(calls, 0);
}

TEST_F(DispatchTest, EarlyRejectionOfAWriteStillReportsTheWantedBytes) {
  build({memory_lun(1, 64, kReadonly)});
  // WRITE(10) of 3 blocks to a readonly LUN fails before its handler runs.
  const CommandResult result =
      run(1, cdb16({0x2a, 0, 0, 0, 0, 0, 0, 0, 3, 0}), kNexusA, Bytes(3 * 512, 0));
  expect_check_condition(result, SenseKey::data_protect, asc::kWriteProtected);
  EXPECT_EQ(result.data_out_wanted, 3u * 512u);
  // A TEST UNIT READY wants nothing.
  EXPECT_EQ(run(1, cdb16({0x00})).data_out_wanted, 0u);
}

TEST_F(DispatchTest, CommandsFromUnknownNexusRun) {
  // A nexus the session layer never announced has no unit attentions and still works.
  expect_good(run(1, cdb16({0x00}), 77));
}

// The Port wraps a thin LU's plain store in the allocation tracker, so what WRITE SAME with
// UNMAP deallocates shows in GET LBA STATUS (libiscsi's Sanitize.BlockErase checks it).
TEST_F(DispatchTest, ThinLunOnAPlainStoreTracksDeallocation) {
  build({memory_lun(1, 64, kThin), memory_lun(2, 64)});
  Bytes write_same = cdb16({0x93, 0x08});
  store_be64(&write_same[2], 8);
  store_be32(&write_same[10], 16);
  expect_good(run(1, write_same, kNexusA, Bytes(512, 0)));
  Bytes status = cdb16({0x9e, 0x12});
  store_be64(&status[2], 8);
  store_be32(&status[10], 24);
  const CommandResult thin = run(1, status);
  expect_good(thin);
  // One descriptor: LBA 8, 16 blocks, deallocated (1).
  EXPECT_EQ(to_hex(ByteView(thin.data_in).subspan(8, 16)), "0000000000000008" "00000010" "01000000");
  // A fully provisioned LU keeps every block mapped (0).
  const CommandResult thick = run(2, status);
  expect_good(thick);
  ASSERT_GE(thick.data_in.size(), 24u);
  EXPECT_EQ(thick.data_in[20], 0x00);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
