// REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35), answered from the Port's command table.
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

// SPC-4 §6.35.1, table 288: REPORTING OPTIONS.
constexpr std::uint8_t kReportAll = 0x0;
constexpr std::uint8_t kReportOpcode = 0x1;
constexpr std::uint8_t kReportServiceAction = 0x2;
constexpr std::uint8_t kReportOpcodeOrServiceAction = 0x3;
constexpr std::uint8_t kRctd = 0x80;
constexpr std::uint8_t kCtdp = 0x02;
constexpr std::uint8_t kServactv = 0x01;
// SPC-4 §6.35.3, table 291: SUPPORT.
constexpr std::uint8_t kSupportNone = 0x1;
constexpr std::uint8_t kSupportStandard = 0x3;

// SPC-4 §6.35.4: the command timeouts descriptor; 0 means "no timeout information".
Bytes timeouts_descriptor() {
  Bytes descriptor(12, 0);
  store_be16(&descriptor[0], 0x0a);
  return descriptor;
}

Bytes all_commands(const CommandTable& table, bool rctd) {
  Bytes data(4, 0);
  for (const CommandInfo& info : table.all()) {
    Bytes descriptor(8, 0);
    descriptor[0] = info.opcode;
    store_be16(&descriptor[2], info.service_action.value_or(0));
    descriptor[5] = static_cast<std::uint8_t>((rctd ? kCtdp : 0) |
                                              (info.service_action ? kServactv : 0));
    store_be16(&descriptor[6], info.cdb_length);
    data.insert(data.end(), descriptor.begin(), descriptor.end());
    if (rctd) {
      const Bytes timeouts = timeouts_descriptor();
      data.insert(data.end(), timeouts.begin(), timeouts.end());
    }
  }
  store_be32(&data[0], static_cast<std::uint32_t>(data.size() - 4));
  return data;
}

Bytes one_command(const CommandInfo* info, bool rctd) {
  Bytes data(4, 0);
  if (info == nullptr) {
    data[1] = kSupportNone;
    return data;
  }
  data[1] = static_cast<std::uint8_t>((rctd ? 0x80 : 0) | kSupportStandard);
  store_be16(&data[2], info->cdb_length);
  data.insert(data.end(), info->cdb_usage.begin(), info->cdb_usage.end());
  data.resize(4 + std::size_t{info->cdb_length}, 0);
  if (rctd) {
    const Bytes timeouts = timeouts_descriptor();
    data.insert(data.end(), timeouts.begin(), timeouts.end());
  }
  return data;
}

}  // namespace

void report_supported_operation_codes(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const CommandTable& table = *task->port().table;
  const bool rctd = (cdb[2] & kRctd) != 0;
  const std::uint8_t options = cdb[2] & 0x07;
  const std::uint8_t opcode = cdb[3];
  const std::uint16_t service_action = load_be16(&cdb[4]);
  const std::uint32_t allocation_length = load_be32(&cdb[6]);
  const bool has_actions = table.opcode_has_service_actions(opcode);
  Bytes data;
  switch (options) {
    case kReportAll:
      data = all_commands(table, rctd);
      break;
    case kReportOpcode:
      // SPC-4 §6.35.1: 001b for an operation code with service actions is an invalid field.
      if (has_actions) {
        task->fail_invalid_field_in_cdb(3, 7);
        return;
      }
      data = one_command(table.find(opcode, std::nullopt), rctd);
      break;
    case kReportServiceAction:
      if (table.knows_opcode(opcode) && !has_actions) {
        task->fail_invalid_field_in_cdb(3, 7);
        return;
      }
      data = one_command(table.find(opcode, service_action), rctd);
      break;
    case kReportOpcodeOrServiceAction:
      data = one_command(has_actions ? table.find(opcode, service_action)
                                     : table.find(opcode, std::nullopt),
                         rctd);
      break;
    default:
      task->fail_invalid_field_in_cdb(2, 2);
      return;
  }
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
