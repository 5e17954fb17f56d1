#pragma once
// Peer-side PDU builders for tests and fuzz harnesses: realistic PDUs as an initiator or a
// target would send them, ready to encode. Parameters come in small structs so call sites
// name what they set: scsi_read10({.itt = 7, .cmd_sn = 3}, {.lun = 1, .lba = 64, .blocks = 8}).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/pdu.hpp"

namespace iscsi::test {

// Tags and sequence numbers an initiator PDU carries.
struct InitiatorSn {
  std::uint32_t itt = 0x10;
  std::uint32_t cmd_sn = 1;
  std::uint32_t exp_stat_sn = 1;
  bool immediate = false;
};

// Tags and sequence numbers a target PDU carries.
struct TargetSn {
  std::uint32_t itt = 0x10;
  std::uint32_t stat_sn = 1;
  std::uint32_t exp_cmd_sn = 2;
  std::uint32_t max_cmd_sn = 33;
};

// "Key=Value\0Key=Value\0" (RFC 7143 §6.1: every pair ends with one NUL).
Bytes key_text(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs);

// ---- Login ---------------------------------------------------------------------------------
struct LoginParams {
  pdu::Stage csg = pdu::Stage::security_negotiation;
  pdu::Stage nsg = pdu::Stage::login_operational_negotiation;
  bool transit = true;
  bool continue_ = false;
  pdu::Isid isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001);
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
};
pdu::Pdu login_request(const LoginParams& login, const InitiatorSn& sn, Bytes text);
pdu::Pdu login_response(const LoginParams& login, const TargetSn& sn, pdu::LoginStatus status,
                        Bytes text);
// The first Login Request of a discovery session: InitiatorName, SessionType=Discovery,
// AuthMethod=None, straight to the operational stage.
pdu::Pdu discovery_login_request(std::string_view initiator_name);

// ---- SCSI ------------------------------------------------------------------------------------
struct Rw10 {
  std::uint16_t lun = 0;
  std::uint32_t lba = 0;
  std::uint16_t blocks = 1;
  std::uint32_t block_size = 512;
};
pdu::Pdu scsi_read10(const InitiatorSn& sn, const Rw10& io);
// WRITE(10); `immediate_data` goes into the command's data segment. F=1 unless unsolicited
// Data-Out PDUs follow (`unsolicited_follows`).
pdu::Pdu scsi_write10(const InitiatorSn& sn, const Rw10& io, Bytes immediate_data,
                      bool unsolicited_follows = false);
// A command with any CDB (longer than 16 bytes goes into an Extended-CDB AHS).
pdu::Pdu scsi_command(const InitiatorSn& sn, std::uint16_t lun, ByteView cdb,
                      std::uint32_t expected_data_transfer_length, bool read, bool write);

struct DataParams {
  std::uint32_t itt = 0x10;
  std::uint32_t ttt = pdu::kReservedTag;
  std::uint32_t data_sn = 0;
  std::uint32_t buffer_offset = 0;
  std::uint16_t lun = 0;
  bool final = true;
};
pdu::Pdu data_out(const DataParams& data, std::uint32_t exp_stat_sn, Bytes payload);
// Data-In; with `status` set, S=1 carries the SCSI status (phase collapse, RFC 7143 §11.7.3).
pdu::Pdu data_in(const DataParams& data, const TargetSn& sn, Bytes payload,
                 std::optional<std::uint8_t> status = std::nullopt);
pdu::Pdu r2t(const TargetSn& sn, std::uint32_t ttt, std::uint32_t r2t_sn,
             std::uint32_t buffer_offset, std::uint32_t desired_length);
// SCSI Response; non-empty `sense` is sent as SenseLength + sense (RFC 7143 §11.4.7).
pdu::Pdu scsi_response(const TargetSn& sn, std::uint8_t status, ByteView sense = {},
                       std::uint32_t residual_underflow = 0);

// ---- Other requests and responses ------------------------------------------------------------
pdu::Pdu nop_out_ping(const InitiatorSn& sn, Bytes ping_data);
pdu::Pdu nop_in_reply(const TargetSn& sn, Bytes ping_data);
// Target-initiated ping: ITT = 0xffffffff, a valid TTT the initiator must echo.
pdu::Pdu nop_in_ping(const TargetSn& sn, std::uint32_t ttt);
pdu::Pdu text_request(const InitiatorSn& sn, Bytes text);
pdu::Pdu text_response(const TargetSn& sn, Bytes text);
pdu::Pdu logout_request(const InitiatorSn& sn, pdu::LogoutReason reason, std::uint16_t cid = 0);
pdu::Pdu logout_response(const TargetSn& sn, pdu::LogoutResponseCode response);
pdu::Pdu tmf_request(const InitiatorSn& sn, pdu::TmfFunction function, std::uint16_t lun,
                     std::uint32_t referenced_task_tag, std::uint32_t ref_cmd_sn);
pdu::Pdu tmf_response(const TargetSn& sn, pdu::TmfResponse response);
pdu::Pdu snack_request(pdu::SnackType type, std::uint32_t itt, std::uint32_t beg_run,
                       std::uint32_t run_length);
pdu::Pdu async_message(const TargetSn& sn, pdu::AsyncEvent event, std::uint16_t parameter3);
// Reject carrying the complete BHS of the rejected PDU (RFC 7143 §11.17).
pdu::Pdu reject(const TargetSn& sn, pdu::RejectReason reason, ByteView rejected_bhs);

// ---- Wire helpers ----------------------------------------------------------------------------
Bytes wire(const pdu::Pdu& pdu, const pdu::DigestOptions& digests = {});
Bytes wire_stream(const std::vector<pdu::Pdu>& pdus, const pdu::DigestOptions& digests = {});
// `count` bytes of a recognisable pattern (byte i = (i * 7 + seed) mod 251).
Bytes pattern_bytes(std::size_t count, std::uint8_t seed = 0);

// A short full-feature-phase exchange in both directions with every one of the 18 opcodes,
// data segments needing 0-3 pad bytes, an Extended-CDB AHS and a Bidirectional AHS; used by
// framer tests and as fuzz seeds.
std::vector<pdu::Pdu> mixed_pdus();

}  // namespace iscsi::test
