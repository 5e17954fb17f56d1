// MODE SELECT(6) and MODE SELECT(10) (SPC-4 §6.9, §6.10): changing D_SENSE, SWP and WCE,
// parameter list validation, and the unit attention for the other nexuses.
#include <string>

#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

Bytes hex(const std::string& text) {
  Bytes out;
  EXPECT_TRUE(parse_hex(text, out)) << text;
  return out;
}

// The control page with D_SENSE (byte 2 bit 2) and SWP (byte 4 bit 3) as given.
std::string control_page(bool d_sense, bool swp) {
  return std::string("0a0a") + (d_sense ? "06" : "02") + "00" + (swp ? "08" : "00") +
         "000000ffff0000";
}

class ModeSelectTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
  CommandResult select6(const std::string& list, std::uint8_t byte1 = 0x10,
                        std::optional<std::uint8_t> length = std::nullopt,
                        NexusId nexus = kNexusA) {
    const Bytes data = hex(list);
    const auto list_length = length.value_or(static_cast<std::uint8_t>(data.size()));
    return run(1, cdb16({0x15, byte1, 0, 0, list_length, 0}), nexus, data);
  }
  Bytes control_now() {
    return run(1, cdb16({0x1a, 0x08, 0x0a, 0, 0xff, 0})).data_in;
  }
};

TEST_F(ModeSelectTest, SetsSwpAndTellsTheOtherNexus) {
  const CommandResult result = select6("00000000" + control_page(false, true));
  expect_good(result);
  EXPECT_EQ(result.data_out_wanted, 16u);
  EXPECT_EQ(to_hex(control_now()), "0f009000" + control_page(false, true));
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kModeParametersChanged);
  expect_good(run(1, cdb16({0x00}), kNexusB));
  expect_good(run(1, cdb16({0x00}), kNexusA));  // the changer is not told
}

TEST_F(ModeSelectTest, SwpWriteProtectsTheMedium) {
  expect_good(select6("00000000" + control_page(false, true)));
  // WRITE(10) of one block (an SBC command flagged writes_medium).
  expect_check_condition(run(1, cdb16({0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0}), kNexusA, Bytes(512, 0)),
                         SenseKey::data_protect, asc::kSoftwareWriteProtected);
  expect_good(select6("00000000" + control_page(false, false)));
  expect_good(run(1, cdb16({0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0}), kNexusA, Bytes(512, 0)));
}

TEST_F(ModeSelectTest, DSenseSwitchesToDescriptorSense) {
  expect_good(select6("00000000" + control_page(true, false)));
  const CommandResult failed = run(1, cdb16({0xc7}));
  EXPECT_EQ(failed.status, kStatusCheckCondition);
  EXPECT_EQ(to_hex(failed.sense), "7205200000000000");
  // Descriptor format carries the field pointer in a sense-key-specific descriptor.
  const CommandResult pointer = run(1, cdb16({0x00, 0x00, 0x20}));
  EXPECT_EQ(to_hex(pointer.sense), "7205240000000008" "02060000cd000200");
}

TEST_F(ModeSelectTest, SameValuesChangeNothingAndQueueNoAttention) {
  expect_good(select6("00000000" + control_page(false, false)));
  expect_good(run(1, cdb16({0x00}), kNexusB));
}

TEST_F(ModeSelectTest, CachingPageWce) {
  expect_good(select6("00000000" "0812" "00" + std::string(34, '0')));
  const CommandResult result = run(1, cdb16({0x1a, 0x08, 0x08, 0, 0xff, 0}));
  EXPECT_EQ(to_hex(result.data_in), "17001000" "0812" "00" + std::string(34, '0'));
}

TEST_F(ModeSelectTest, NonChangeableBitIsAnInvalidFieldWithPointer) {
  // GLTSD (byte 2 bit 1) cleared: header 4 bytes, so page byte 2 is list byte 6.
  std::string page = control_page(false, false);
  page.replace(4, 2, "00");
  expect_check_condition(select6("00000000" + page), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(6, 1));
  EXPECT_EQ(to_hex(control_now()), "0f001000" + control_page(false, false));
}

TEST_F(ModeSelectTest, BadPagesAndLengths) {
  // Unknown page 19h.
  expect_check_condition(select6("00000000" "190a" + std::string(20, '0')),
                         SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                         parameter_field(4, 5));
  // Wrong PAGE LENGTH.
  expect_check_condition(select6("00000000" "0a08" + std::string(16, '0')),
                         SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                         parameter_field(5, 7));
  // Subpage format.
  expect_check_condition(select6("00000000" "4a0a" + std::string(20, '0')),
                         SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                         parameter_field(4, 6));
  // A page cut short by the parameter list length.
  expect_check_condition(select6("00000000" + control_page(false, true), 0x10, 10),
                         SenseKey::illegal_request, asc::kParameterListLengthError);
  // Fewer bytes sent than the CDB announces.
  expect_check_condition(select6("0000", 0x10, 16), SenseKey::illegal_request,
                         asc::kParameterListLengthError);
}

TEST_F(ModeSelectTest, BlockDescriptorMustKeepTheBlockLength) {
  expect_good(select6("00000008" "0000080000000200" + control_page(false, false)));
  expect_check_condition(select6("00000008" "0000080000001000" + control_page(false, false)),
                         SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                         parameter_field(8));
  expect_check_condition(select6("00000004" "00000000"), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(3));
}

TEST_F(ModeSelectTest, CdbChecks) {
  // SP: saving is not supported; PF clear: vendor-specific format.
  expect_check_condition(select6("00000000" + control_page(false, true), 0x11),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 0));
  expect_check_condition(select6("00000000" + control_page(false, true), 0x00),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb, cdb_field(1, 4));
  // An empty parameter list is fine.
  expect_good(select6("", 0x10, 0));
}

TEST_F(ModeSelectTest, Select10WithLongHeader) {
  const Bytes list = hex("0000000000000000" + control_page(true, false));
  expect_good(run(1, cdb16({0x55, 0x10, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(list.size()), 0}),
                  kNexusA, list));
  EXPECT_EQ(to_hex(control_now()), "0f001000" + control_page(true, false));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
