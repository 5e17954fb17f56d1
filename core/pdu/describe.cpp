#include "core/pdu/describe.hpp"

#include <iterator>
#include <utility>

#include <fmt/format.h>

namespace iscsi::pdu {
namespace {

template <class... Args>
void add(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  out.push_back(' ');
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

void add_flag(std::string& out, bool set, std::string_view letter) {
  if (!set) return;
  out.push_back(' ');
  out += letter;
}

template <class Code>
void add_code(std::string& out, std::string_view key, Code code) {
  add(out, "{}={}(0x{:02x})", key, to_string(code), static_cast<unsigned>(code));
}

template <class H>
void add_target_sn(std::string& out, const H& h) {
  add(out, "StatSN={} ExpCmdSN={} MaxCmdSN={}", h.stat_sn, h.exp_cmd_sn, h.max_cmd_sn);
}

void add_isid(std::string& out, const Isid& isid) { add(out, "ISID=0x{:012x}", isid.value()); }

// SPC: the CDB length follows from the group code (top 3 bits of the operation code).
std::size_t cdb_length(std::uint8_t operation_code, std::size_t available) {
  constexpr std::size_t kGroupLengths[8] = {6, 10, 10, 0, 16, 12, 0, 0};
  const std::size_t length = kGroupLengths[operation_code >> 5];
  return length == 0 || length > available ? available : length;
}

// The whole CDB when the PDU (with its Extended-CDB AHS) is known, else the 16 BHS bytes;
// a CDB that fits the BHS is cut to the length its operation code implies.
void add_cdb(std::string& out, const ScsiCommand& h, const Pdu* pdu) {
  Bytes cdb(h.cdb.begin(), h.cdb.end());
  if (pdu != nullptr) cdb = full_cdb(*pdu).value_or(cdb);
  const std::size_t length =
      cdb.size() == kBhsCdbLength ? cdb_length(cdb[0], cdb.size()) : cdb.size();
  add(out, "CDB={:02x}",
      fmt::join(cdb.begin(), cdb.begin() + static_cast<std::ptrdiff_t>(length), " "));
}

void fields(std::string& out, const NopOut& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={} CmdSN={} ExpStatSN={}", h.itt, h.ttt,
      h.lun.to_string(), h.cmd_sn, h.exp_stat_sn);
  add_flag(out, h.immediate, "I");
}
void fields(std::string& out, const ScsiCommand& h, const Pdu* pdu) {
  add(out, "ITT=0x{:08x} LUN={} CmdSN={} ExpStatSN={} EDTL={}", h.itt, h.lun.to_string(), h.cmd_sn,
      h.exp_stat_sn, h.expected_data_transfer_length);
  add_cdb(out, h, pdu);
  add_code(out, "attr", h.attr);
  add_flag(out, h.immediate, "I");
  add_flag(out, h.final, "F");
  add_flag(out, h.read, "R");
  add_flag(out, h.write, "W");
}
void fields(std::string& out, const TaskMgmtRequest& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} LUN={} CmdSN={} ExpStatSN={}", h.itt, h.lun.to_string(), h.cmd_sn,
      h.exp_stat_sn);
  add_code(out, "Function", h.function);
  add(out, "RTT=0x{:08x} RefCmdSN={} ExpDataSN={}", h.referenced_task_tag, h.ref_cmd_sn,
      h.exp_data_sn);
  add_flag(out, h.immediate, "I");
}
void fields(std::string& out, const LoginRequest& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_isid(out, h.isid);
  add(out, "TSIH={} CID={} CmdSN={} ExpStatSN={} CSG={} NSG={} Version={}-{}", h.tsih, h.cid,
      h.cmd_sn, h.exp_stat_sn, static_cast<unsigned>(h.csg), static_cast<unsigned>(h.nsg),
      h.version_min, h.version_max);
  add_flag(out, h.transit, "T");
  add_flag(out, h.continue_, "C");
}
void fields(std::string& out, const TextRequest& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} CmdSN={} ExpStatSN={}", h.itt, h.ttt, h.cmd_sn,
      h.exp_stat_sn);
  add_flag(out, h.immediate, "I");
  add_flag(out, h.final, "F");
  add_flag(out, h.continue_, "C");
}
void fields(std::string& out, const ScsiDataOut& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={} ExpStatSN={} DataSN={} BufferOffset={}", h.itt, h.ttt,
      h.lun.to_string(), h.exp_stat_sn, h.data_sn, h.buffer_offset);
  add_flag(out, h.final, "F");
}
void fields(std::string& out, const LogoutRequest& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} CID={} CmdSN={} ExpStatSN={}", h.itt, h.cid, h.cmd_sn, h.exp_stat_sn);
  add_code(out, "Reason", h.reason_code);
  add_flag(out, h.immediate, "I");
}
void fields(std::string& out, const SnackRequest& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={} ExpStatSN={}", h.itt, h.ttt, h.lun.to_string(),
      h.exp_stat_sn);
  add_code(out, "Type", h.type);
  add(out, "BegRun={} RunLength={}", h.beg_run, h.run_length);
}
void fields(std::string& out, const NopIn& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={}", h.itt, h.ttt, h.lun.to_string());
  add_target_sn(out, h);
}
void fields(std::string& out, const ScsiResponse& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_target_sn(out, h);
  add_code(out, "Response", h.response);
  add(out, "Status={}(0x{:02x}) ExpDataSN={} ResidualCount={} BidiReadResidualCount={}",
      scsi_status_name(h.status), h.status, h.exp_data_sn, h.residual_count,
      h.bidi_read_residual_count);
  add_flag(out, h.bidi_read_residual_overflow, "o");
  add_flag(out, h.bidi_read_residual_underflow, "u");
  add_flag(out, h.residual_overflow, "O");
  add_flag(out, h.residual_underflow, "U");
}
void fields(std::string& out, const TaskMgmtResponse& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_target_sn(out, h);
  add_code(out, "Response", h.response);
}
void fields(std::string& out, const LoginResponse& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_isid(out, h.isid);
  add(out, "TSIH={}", h.tsih);
  add_target_sn(out, h);
  add(out, "Status=0x{:04x}({}) CSG={} NSG={} Version-max={} Version-active={}",
      static_cast<unsigned>(h.status()), to_string(h.status()), static_cast<unsigned>(h.csg),
      static_cast<unsigned>(h.nsg), h.version_max, h.version_active);
  add_flag(out, h.transit, "T");
  add_flag(out, h.continue_, "C");
}
void fields(std::string& out, const TextResponse& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x}", h.itt, h.ttt);
  add_target_sn(out, h);
  add_flag(out, h.final, "F");
  add_flag(out, h.continue_, "C");
}
void fields(std::string& out, const ScsiDataIn& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={}", h.itt, h.ttt, h.lun.to_string());
  add_target_sn(out, h);
  add(out, "DataSN={} BufferOffset={}", h.data_sn, h.buffer_offset);
  if (h.status_present) {
    add(out, "Status={}(0x{:02x}) ResidualCount={}", scsi_status_name(h.status), h.status,
        h.residual_count);
  }
  add_flag(out, h.final, "F");
  add_flag(out, h.acknowledge, "A");
  add_flag(out, h.residual_overflow, "O");
  add_flag(out, h.residual_underflow, "U");
  add_flag(out, h.status_present, "S");
}
void fields(std::string& out, const LogoutResponse& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_target_sn(out, h);
  add_code(out, "Response", h.response);
  add(out, "Time2Wait={} Time2Retain={}", h.time2wait, h.time2retain);
}
void fields(std::string& out, const R2t& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} TTT=0x{:08x} LUN={}", h.itt, h.ttt, h.lun.to_string());
  add_target_sn(out, h);
  add(out, "R2TSN={} BufferOffset={} DDTL={}", h.r2t_sn, h.buffer_offset,
      h.desired_data_transfer_length);
}
void fields(std::string& out, const AsyncMessage& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x} LUN={}", h.itt, h.lun.to_string());
  add_target_sn(out, h);
  add_code(out, "AsyncEvent", h.async_event);
  add(out, "AsyncVCode={} Parameter1={} Parameter2={} Parameter3={}", h.async_vcode, h.parameter1,
      h.parameter2, h.parameter3);
}
void fields(std::string& out, const Reject& h, const Pdu* /*pdu*/) {
  add(out, "ITT=0x{:08x}", h.itt);
  add_target_sn(out, h);
  add_code(out, "Reason", h.reason);
  add(out, "DataSN/R2TSN={}", h.data_sn_r2t_sn);
}

// Quotes key=value text with NULs shown as spaces and other control bytes escaped.
void add_text(std::string& out, ByteView data) {
  std::string text;
  for (std::uint8_t byte : data) {
    if (text.size() >= kMaxDescribedTextChars) {
      text += "...";
      break;
    }
    if (byte == 0) {
      text.push_back(' ');
    } else if (byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x7f) {
      fmt::format_to(std::back_inserter(text), "\\x{:02x}", byte);
    } else {
      text.push_back(static_cast<char>(byte));
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  add(out, "text=\"{}\"", text);
}

bool carries_text(Opcode op) {
  return op == Opcode::login_request || op == Opcode::login_response ||
         op == Opcode::text_request || op == Opcode::text_response;
}

}  // namespace

std::string_view scsi_status_name(std::uint8_t status) {
  switch (status) {
    case 0x00:
      return "GOOD";
    case 0x02:
      return "CHECK CONDITION";
    case 0x04:
      return "CONDITION MET";
    case 0x08:
      return "BUSY";
    case 0x18:
      return "RESERVATION CONFLICT";
    case 0x28:
      return "TASK SET FULL";
    case 0x30:
      return "ACA ACTIVE";
    case 0x40:
      return "TASK ABORTED";
    default:  // a raw status byte, not one of our enums
      return "reserved";
  }
}

std::string describe(const Header& header) {
  std::string out(to_string(opcode(header)));
  std::visit([&out](const auto& h) { fields(out, h, nullptr); }, header);
  return out;
}

std::string describe(const Pdu& pdu) {
  std::string out(to_string(opcode(pdu)));
  std::visit([&out, &pdu](const auto& h) { fields(out, h, &pdu); }, pdu.header);
  if (const std::optional<std::uint32_t> bidi = bidi_read_expected_length(pdu)) {
    add(out, "BidiReadEDTL={}", *bidi);
  }
  if (!pdu.ahs.empty()) add(out, "AHS={}", pdu.ahs.size());
  add(out, "DSL={}", pdu.data.size());
  if (carries_text(opcode(pdu)) && !pdu.data.empty()) add_text(out, pdu.data);
  return out;
}

}  // namespace iscsi::pdu
