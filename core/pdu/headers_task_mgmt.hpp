#pragma once
// Task Management Function Request (RFC 7143 §11.5) and Response (§11.6).
#include <cstdint>

#include "core/pdu/codes.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 1 = 1 + Function (7 bits); bytes 2-3 and 40-47 reserved. No data segment.
struct TaskMgmtRequest {
  static constexpr Opcode kOpcode = Opcode::task_mgmt_request;
  bool immediate = true;  // TMFs are normally immediate (RFC 7143 §11.5)
  TmfFunction function = TmfFunction::abort_task;
  Lun lun{};
  std::uint32_t itt = 0;
  std::uint32_t referenced_task_tag = kReservedTag;
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  std::uint32_t ref_cmd_sn = 0;
  std::uint32_t exp_data_sn = 0;
  bool operator==(const TaskMgmtRequest&) const = default;
};

// Byte 1 is F=1 (always); byte 3, 8-15, 20-23 and 36-47 reserved. No data segment.
struct TaskMgmtResponse {
  static constexpr Opcode kOpcode = Opcode::task_mgmt_response;
  TmfResponse response = TmfResponse::function_complete;
  std::uint32_t itt = 0;
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  bool operator==(const TaskMgmtResponse&) const = default;
};

}  // namespace iscsi::pdu
