#include "tests/core/pdu/tshark_view.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

#include <fmt/format.h>

#include "core/common/bytes.hpp"
#include "core/pdu/ahs.hpp"
#include "core/pdu/codec.hpp"

namespace iscsi::pdu::testing {
namespace {

template <class E>
unsigned code(E value) {
  return static_cast<unsigned>(static_cast<std::underlying_type_t<E>>(value));
}
std::string hex2(unsigned v) { return fmt::format("0x{:02x}", v); }
std::string hex4(unsigned v) { return fmt::format("0x{:04x}", v); }
std::string hex8(std::uint32_t v) { return fmt::format("0x{:08x}", v); }
std::string dec(std::uint64_t v) { return std::to_string(v); }
std::string bit(bool b) { return b ? "1" : "0"; }

// tshark shows the LUN's first level without the address-method bits.
std::string lun_text(const Lun& lun) { return hex4(load_be16(lun.bytes.data()) & 0x3fffu); }

// Key=value pairs of a text data segment, joined with '|' as scripts/tshark-fields.sh does.
std::string keys_text(const Bytes& data) {
  std::string out;
  std::string_view rest = as_text(data);
  while (!rest.empty()) {
    const std::size_t nul = rest.find('\0');
    if (!out.empty()) out += '|';
    out += rest.substr(0, nul);
    if (nul == std::string_view::npos) break;
    rest.remove_prefix(nul + 1);
  }
  return out;
}

struct FieldWriter {
  TsharkFields& f;

  void operator()(const NopOut& h) const {
    f["iscsi.I"] = bit(h.immediate);
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
  }
  void operator()(const NopIn& h) const {
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    target_sns(h);
  }
  void operator()(const ScsiCommand& h) const {
    f["iscsi.I"] = bit(h.immediate);
    f["iscsi.flags"] = hex2((h.final ? 0x80u : 0u) | (h.read ? 0x40u : 0u) |
                            (h.write ? 0x20u : 0u) | code(h.attr));
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.scsicommand.expecteddatatransferlength"] = dec(h.expected_data_transfer_length);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
    f["scsi_sbc.opcode"] = hex2(h.cdb[0]);
  }
  void operator()(const ScsiResponse& h) const {
    f["iscsi.flags"] = hex2(0x80u | (h.bidi_read_residual_overflow ? 0x10u : 0u) |
                            (h.bidi_read_residual_underflow ? 0x08u : 0u) |
                            (h.residual_overflow ? 0x04u : 0u) |
                            (h.residual_underflow ? 0x02u : 0u));
    f["iscsi.scsiresponse.response"] = hex2(code(h.response));
    f["iscsi.scsiresponse.status"] = hex2(h.status);
    f["iscsi.scsiresponse.residualcount"] = dec(h.residual_count);
    f["iscsi.expdatasn"] = hex8(h.exp_data_sn);
    target_sns(h);
  }
  void operator()(const TaskMgmtRequest& h) const {
    f["iscsi.I"] = bit(h.immediate);
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.taskmanfun.function"] = hex2(code(h.function));
    f["iscsi.taskmanfun.referencedtasktag"] = hex8(h.referenced_task_tag);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
    f["iscsi.refcmdsn"] = dec(h.ref_cmd_sn);
  }
  void operator()(const TaskMgmtResponse& h) const {
    f["iscsi.taskmanfun.response"] = hex2(code(h.response));
    target_sns(h);
  }
  void operator()(const LoginRequest& h) const {
    login_common(h);
    f["iscsi.versionmin"] = hex2(h.version_min);
    f["iscsi.cid"] = hex4(h.cid);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
  }
  void operator()(const LoginResponse& h) const {
    login_common(h);
    f["iscsi.versionactive"] = hex2(h.version_active);
    f["iscsi.login.status"] = hex4(code(h.status()));
    target_sns(h);
  }
  void operator()(const TextRequest& h) const {
    f["iscsi.I"] = bit(h.immediate);
    text_common(h);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
  }
  void operator()(const TextResponse& h) const {
    text_common(h);
    target_sns(h);
  }
  void operator()(const ScsiDataOut& h) const {
    f["iscsi.flags"] = hex2(h.final ? 0x80u : 0u);
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
    f["iscsi.datasn"] = dec(h.data_sn);
    f["iscsi.bufferOffset"] = dec(h.buffer_offset);
  }
  void operator()(const ScsiDataIn& h) const {
    f["iscsi.flags"] = hex2((h.final ? 0x80u : 0u) | (h.acknowledge ? 0x40u : 0u) |
                            (h.residual_overflow ? 0x04u : 0u) |
                            (h.residual_underflow ? 0x02u : 0u) | (h.status_present ? 1u : 0u));
    f["iscsi.scsiresponse.status"] = hex2(h.status);
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    f["iscsi.datasn"] = dec(h.data_sn);
    f["iscsi.bufferOffset"] = dec(h.buffer_offset);
    f["iscsi.scsidata.readresidualcount"] = dec(h.residual_count);
    target_sns(h);
  }
  void operator()(const LogoutRequest& h) const {
    f["iscsi.I"] = bit(h.immediate);
    f["iscsi.logout.reason"] = hex2(code(h.reason_code));
    f["iscsi.cid"] = hex4(h.cid);
    f["iscsi.cmdsn"] = dec(h.cmd_sn);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
  }
  void operator()(const LogoutResponse& h) const {
    f["iscsi.logout.response"] = hex2(code(h.response));
    f["iscsi.time2wait"] = hex4(h.time2wait);
    f["iscsi.time2retain"] = hex4(h.time2retain);
    target_sns(h);
  }
  void operator()(const SnackRequest& h) const {
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    f["iscsi.expstatsn"] = dec(h.exp_stat_sn);
    f["iscsi.snack.type"] = dec(code(h.type));
    f["iscsi.snack.begrun"] = hex8(h.beg_run);
    f["iscsi.snack.runlength"] = dec(h.run_length);
  }
  void operator()(const R2t& h) const {
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
    f["iscsi.r2tsn"] = dec(h.r2t_sn);
    f["iscsi.bufferOffset"] = dec(h.buffer_offset);
    f["iscsi.desireddatalength"] = dec(h.desired_data_transfer_length);
    target_sns(h);
  }
  void operator()(const AsyncMessage& h) const {
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.asyncevent"] = hex2(code(h.async_event));
    f["iscsi.eventvendorcode"] = hex2(h.async_vcode);
    f["iscsi.parameter1"] = hex4(h.parameter1);
    f["iscsi.parameter2"] = hex4(h.parameter2);
    f["iscsi.parameter3"] = hex4(h.parameter3);
    target_sns(h);
  }
  void operator()(const Reject& h) const {
    f["iscsi.reject.reason"] = hex2(code(h.reason));
    f["iscsi.datasn"] = dec(h.data_sn_r2t_sn);
    target_sns(h);
  }

  template <class H>
  void target_sns(const H& h) const {
    f["iscsi.statsn"] = dec(h.stat_sn);
    f["iscsi.expcmdsn"] = dec(h.exp_cmd_sn);
    f["iscsi.maxcmdsn"] = dec(h.max_cmd_sn);
  }
  template <class H>
  void login_common(const H& h) const {
    f["iscsi.login.T"] = bit(h.transit);
    f["iscsi.login.C"] = bit(h.continue_);
    f["iscsi.login.csg"] = hex2(code(h.csg));
    // tshark shows NSG only when T=1 (it is meaningless otherwise, RFC 7143 §11.12.3).
    if (h.transit) f["iscsi.login.nsg"] = hex2(code(h.nsg));
    f["iscsi.versionmax"] = hex2(h.version_max);
    f["iscsi.isid"] = to_hex(h.isid.bytes);
    f["iscsi.tsih"] = hex4(h.tsih);
  }
  template <class H>
  void text_common(const H& h) const {
    f["iscsi.flags"] = hex2((h.final ? 0x80u : 0u) | (h.continue_ ? 0x40u : 0u));
    f["iscsi.text.F"] = bit(h.final);
    f["iscsi.text.C"] = bit(h.continue_);
    f["scsi.lun"] = lun_text(h.lun);
    f["iscsi.targettransfertag"] = hex8(h.ttt);
  }
};

std::size_t total_ahs_words(const Pdu& pdu) {
  std::size_t bytes = 0;
  for (const Ahs& ahs : pdu.ahs) bytes += ahs_wire_length(ahs);
  return bytes / 4;
}

}  // namespace

TsharkFields tshark_view(const Pdu& pdu) {
  TsharkFields fields;
  const Opcode op = opcode(pdu);
  if (op == Opcode::reject && pdu.data.size() >= 48) {
    // The rejected BHS comes first in tshark's field order only where the Reject has no field.
    Result<DecodedPdu> inner = decode_bhs(ByteView(pdu.data).first(48));
    if (inner) fields = tshark_view(inner->pdu);
  }
  fields["iscsi.opcode"] = hex2(code(op));
  fields["iscsi.initiatortasktag"] = hex8(itt(pdu));
  fields["iscsi.totalahslength"] = dec(total_ahs_words(pdu));
  fields["iscsi.datasegmentlength"] = dec(pdu.data.size());
  if (op == Opcode::reject) {
    fields.erase("iscsi.initiatortasktag");  // offset 16 is 0xffffffff; tshark shows the inner ITT
    if (pdu.data.size() >= 48) fields["iscsi.initiatortasktag"] = hex8(load_be32(&pdu.data[16]));
  }
  if (op == Opcode::login_request || op == Opcode::login_response ||
      op == Opcode::text_request || op == Opcode::text_response) {
    fields["iscsi.keyvalue"] = keys_text(pdu.data);
  }
  if ((op == Opcode::nop_out || op == Opcode::nop_in) && !pdu.data.empty()) {
    fields["iscsi.pingdata"] = to_hex(pdu.data);
  }
  std::visit(FieldWriter{fields}, pdu.header);
  return fields;
}

std::vector<TsharkRow> parse_tshark_tsv(const std::string& tsv) {
  std::vector<TsharkRow> rows;
  std::istringstream in(tsv);
  std::string line;
  std::vector<std::string> columns;
  auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = text.find('\t', start)) != std::string::npos; start = tab + 1) {
      cells.push_back(text.substr(start, tab - start));
    }
    cells.push_back(text.substr(start));
    return cells;
  };
  if (!std::getline(in, line)) return rows;
  columns = split(line);
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split(line);
    EXPECT_EQ(cells.size(), columns.size()) << "malformed TSV line: " << line;
    TsharkRow row;
    for (std::size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      if (!cells[i].empty()) row.fields[columns[i]] = cells[i];
    }
    row.frame_number = static_cast<unsigned>(std::stoul(row.fields["frame.number"]));
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_context_field(const std::string& field, const TsharkFields& row) {
  const auto op = row.find("iscsi.opcode");
  if (op == row.end()) return false;
  const std::string& opcode_text = op->second;
  // The SCSI dissector repeats the command's LUN and opcode on the PDUs that answer it. A
  // SCSI Response has no LUN field, and a Data-In's is reserved unless it asks for a DataACK
  // (A bit, RFC 7143 §11.7.4): tgt leaves it zero, tshark shows the command's LUN.
  if (field == "scsi.lun") {
    if (opcode_text == "0x21" || opcode_text == "0x22") return true;
    const auto flags = row.find("iscsi.flags");
    return opcode_text == "0x25" && flags != row.end() &&
           (std::stoul(flags->second, nullptr, 16) & 0x40u) == 0;
  }
  if (field == "scsi_sbc.opcode") return opcode_text != "0x01";
  return false;
}

}  // namespace iscsi::pdu::testing
