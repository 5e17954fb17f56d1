#pragma once
// SNACK Request (RFC 7143 §11.16), Asynchronous Message (§11.9) and Reject (§11.17).
#include <cstdint>

#include "core/pdu/codes.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 0 has no I bit; byte 1 = 1 . . . Type (4 bits); bytes 2-3, 24-27, 32-39 reserved.
struct SnackRequest {
  static constexpr Opcode kOpcode = Opcode::snack_request;
  SnackType type = SnackType::data_r2t;
  Lun lun{};                         // required for DataACK
  std::uint32_t itt = kReservedTag;  // kReservedTag for Status SNACK is allowed
  std::uint32_t ttt = kReservedTag;  // TTT (DataACK) or SNACK Tag (R-Data)
  std::uint32_t exp_stat_sn = 0;
  std::uint32_t beg_run = 0;
  std::uint32_t run_length = 0;  // 0 = everything from beg_run on
  bool operator==(const SnackRequest&) const = default;
};

// Byte 1 is F=1 (always); bytes 2-3, 20-23, 44-47 reserved. Data = sense or vendor data.
struct AsyncMessage {
  static constexpr Opcode kOpcode = Opcode::async_message;
  Lun lun{};
  std::uint32_t itt = kReservedTag;  // RFC 7143 §11.9: always 0xffffffff
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  AsyncEvent async_event = AsyncEvent::scsi_async_event;
  std::uint8_t async_vcode = 0;
  std::uint16_t parameter1 = 0;
  std::uint16_t parameter2 = 0;
  std::uint16_t parameter3 = 0;
  bool operator==(const AsyncMessage&) const = default;
};

// Byte 1 is F=1 (always); bytes 3, 8-15, 20-23, 40-47 reserved. Data = the rejected BHS.
struct Reject {
  static constexpr Opcode kOpcode = Opcode::reject;
  RejectReason reason = RejectReason::protocol_error;
  std::uint32_t itt = kReservedTag;  // RFC 7143 §11.17: always 0xffffffff
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint32_t data_sn_r2t_sn = 0;  // bytes 36-39 "DataSN/R2TSN or Reserved"
  bool operator==(const Reject&) const = default;
};

}  // namespace iscsi::pdu
