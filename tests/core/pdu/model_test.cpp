// Opcodes, LUN and ISID helpers, coded-value names, and the Header accessors.
#include <gtest/gtest.h>

#include "core/pdu/pdu.hpp"

namespace iscsi::pdu {
namespace {

TEST(PduOpcode, RfcNames) {
  EXPECT_EQ(to_string(Opcode::nop_out), "NOP-Out");
  EXPECT_EQ(to_string(Opcode::scsi_command), "SCSI Command");
  EXPECT_EQ(to_string(Opcode::task_mgmt_request), "Task Management Function Request");
  EXPECT_EQ(to_string(Opcode::scsi_data_in), "SCSI Data-In");
  EXPECT_EQ(to_string(Opcode::r2t), "Ready To Transfer");
  EXPECT_EQ(to_string(Opcode::reject), "Reject");
  EXPECT_EQ(to_string(static_cast<Opcode>(0x07)), "Unknown");
}

TEST(PduOpcode, DirectionFollowsBit0x20) {
  for (Opcode op : kAllOpcodes) {
    const bool target = (static_cast<std::uint8_t>(op) & 0x20) != 0;
    EXPECT_EQ(is_target_opcode(op), target) << to_string(op);
    EXPECT_EQ(is_initiator_opcode(op), !target) << to_string(op);
  }
  EXPECT_TRUE(is_initiator_opcode(Opcode::snack_request));
  EXPECT_TRUE(is_target_opcode(Opcode::r2t));
}

TEST(PduOpcode, ClassifiesEveryByteValue) {
  int standard = 0;
  int vendor_initiator = 0;
  int vendor_target = 0;
  for (int byte = 0; byte < 256; ++byte) {
    const ClassifiedOpcode c = opcode_from_byte(static_cast<std::uint8_t>(byte));
    EXPECT_EQ(c.code, byte & 0x3f);
    standard += c.kind == OpcodeKind::standard;
    vendor_initiator += c.kind == OpcodeKind::vendor_initiator;
    vendor_target += c.kind == OpcodeKind::vendor_target;
  }
  // Each 6-bit code appears 4 times (I bit and reserved bit vary).
  EXPECT_EQ(standard, 18 * 4);
  EXPECT_EQ(vendor_initiator, 3 * 4);
  EXPECT_EQ(vendor_target, 3 * 4);
  EXPECT_EQ(opcode_from_byte(0x43).opcode(), Opcode::login_request);
  EXPECT_EQ(opcode_from_byte(0x07).kind, OpcodeKind::reserved);
  EXPECT_EQ(opcode_from_byte(0x3b).kind, OpcodeKind::reserved);
  EXPECT_EQ(opcode_from_byte(0x1f).kind, OpcodeKind::reserved);
  EXPECT_EQ(opcode_from_byte(0x1c).kind, OpcodeKind::vendor_initiator);
  EXPECT_EQ(opcode_from_byte(0x3e).kind, OpcodeKind::vendor_target);
}

TEST(PduLun, PeripheralAndFlatAddressing) {
  EXPECT_EQ(Lun::from_number(0)->bytes, (std::array<std::uint8_t, 8>{0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Lun::from_number(1)->bytes, (std::array<std::uint8_t, 8>{0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Lun::from_number(255)->bytes, (std::array<std::uint8_t, 8>{0, 0xff, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Lun::from_number(256)->bytes,
            (std::array<std::uint8_t, 8>{0x41, 0x00, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Lun::from_number(16383)->bytes,
            (std::array<std::uint8_t, 8>{0x7f, 0xff, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Lun::from_number(16384), std::nullopt);
  for (std::uint32_t n : {0u, 1u, 7u, 255u, 256u, 1000u, 16383u}) {
    EXPECT_EQ(Lun::from_number(n)->to_number(), n);
  }
}

TEST(PduLun, OtherFormsHaveNoNumber) {
  EXPECT_EQ(Lun::from_raw(0x0001000100000000).to_number(), std::nullopt);  // second level
  EXPECT_EQ(Lun::from_raw(0x0101000000000000).to_number(), std::nullopt);  // bus 1
  EXPECT_EQ(Lun::from_raw(0x8001000000000000).to_number(), std::nullopt);  // logical unit addr
  EXPECT_EQ(Lun::from_raw(0x0102030405060708).raw(), 0x0102030405060708u);
  EXPECT_EQ(Lun::from_raw(0x0102030405060708).to_string(), "0x0102030405060708");
  EXPECT_EQ(Lun::from_number(300)->to_string(), "300");
}

TEST(PduIsid, FieldsFromBytes) {
  // RFC 7143 §11.12.5: byte 0 = T(2) A(6), bytes 1-2 = B, byte 3 = C, bytes 4-5 = D.
  const Isid isid{{0x80, 0x12, 0x34, 0x56, 0x78, 0x9a}};
  EXPECT_EQ(isid.t(), IsidType::random);
  EXPECT_EQ(isid.a(), 0);
  EXPECT_EQ(isid.b(), 0x1234);
  EXPECT_EQ(isid.c(), 0x56);
  EXPECT_EQ(isid.d(), 0x789a);
  EXPECT_EQ(isid.value(), 0x80123456789au);
  EXPECT_EQ(Isid::make(IsidType::random, 0, 0x1234, 0x56, 0x789a), isid);
  const Isid en = Isid::make(IsidType::en, 0x3f, 0, 0, 1);
  EXPECT_EQ(en.bytes[0], 0x7f);
  EXPECT_EQ(en.t(), IsidType::en);
  EXPECT_EQ(en.a(), 0x3f);
}

TEST(PduLoginStatus, TableNamesAndMeanings) {
  EXPECT_EQ(to_string(LoginStatus::authorization_failure), "Authorization failure");
  EXPECT_EQ(describe(LoginStatus::not_found),
            "the requested target name does not exist at this address");
  EXPECT_EQ(make_login_status(2, 0x0a), LoginStatus::session_does_not_exist);
  EXPECT_EQ(status_class(LoginStatus::service_unavailable), 3);
  EXPECT_EQ(status_detail(LoginStatus::service_unavailable), 1);
  // Unknown details fall back to the meaning of their class.
  EXPECT_EQ(to_string(make_login_status(2, 0x77)), "Unknown");
  EXPECT_EQ(describe(make_login_status(2, 0x77)),
            "initiator error: the request should not be retried unchanged");
  LoginResponse response;
  response.set_status(LoginStatus::target_moved_temporarily);
  EXPECT_EQ(response.status_class, 1);
  EXPECT_EQ(response.status_detail, 1);
}

TEST(PduCodes, NamesAndReservedValues) {
  EXPECT_EQ(to_string(TmfFunction::logical_unit_reset), "LOGICAL UNIT RESET");
  EXPECT_EQ(to_string(static_cast<TmfFunction>(0)), "reserved");
  EXPECT_EQ(to_string(RejectReason::data_digest_error), "Data (payload) digest error");
  EXPECT_EQ(to_string(static_cast<RejectReason>(0x01)), "reserved");
  EXPECT_EQ(to_string(static_cast<ScsiResponseCode>(0x85)), "vendor-specific");
  EXPECT_EQ(to_string(SnackType::data_ack), "DataACK");
  EXPECT_EQ(to_string(TaskAttribute::aca), "ACA");
  EXPECT_EQ(to_string(Stage::full_feature_phase), "FullFeaturePhase");
  EXPECT_TRUE(reject_allows_resend(RejectReason::data_digest_error));
  EXPECT_TRUE(reject_allows_resend(RejectReason::long_operation_reject));
  EXPECT_FALSE(reject_allows_resend(RejectReason::protocol_error));
}

TEST(PduHeader, Accessors) {
  const Header command = ScsiCommand{.immediate = true, .itt = 9, .cmd_sn = 4, .exp_stat_sn = 2};
  EXPECT_EQ(opcode(command), Opcode::scsi_command);
  EXPECT_EQ(itt(command), 9u);
  EXPECT_EQ(cmd_sn(command), 4u);
  EXPECT_EQ(exp_stat_sn(command), 2u);
  EXPECT_EQ(stat_sn(command), std::nullopt);
  EXPECT_EQ(ttt(command), std::nullopt);
  EXPECT_TRUE(immediate(command));
  const Header data_in = ScsiDataIn{.itt = 3, .ttt = 5, .stat_sn = 6};
  EXPECT_EQ(ttt(data_in), 5u);
  EXPECT_EQ(stat_sn(data_in), 6u);
  EXPECT_EQ(cmd_sn(data_in), std::nullopt);
  EXPECT_FALSE(immediate(data_in));
  EXPECT_TRUE(immediate(LoginRequest{}));
  EXPECT_EQ(itt(Reject{}), kReservedTag);
  EXPECT_EQ(lun(LogoutRequest{}), std::nullopt);
  for (Opcode op : kAllOpcodes) {
    const std::optional<Header> made = make_header(op);
    ASSERT_TRUE(made.has_value());
    EXPECT_EQ(opcode(*made), op);
  }
  EXPECT_EQ(make_header(static_cast<Opcode>(0x3b)), std::nullopt);
}

}  // namespace
}  // namespace iscsi::pdu
