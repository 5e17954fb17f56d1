// io: and raw_pdu: steps.
#include <fmt/format.h>

#include <array>

#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

// Offsets and lengths are whole 512-byte blocks, the smallest block size a LU can have.
constexpr std::uint64_t kSector = 512;

std::uint64_t sectors(const YAML::Node& node, std::string_view what) {
  std::uint64_t bytes = size(node, what);
  if (bytes % kSector != 0) fail(node, fmt::format("{} must be a multiple of 512 bytes", what));
  return bytes;
}

IoOp load_op(const YAML::Node& node, IoOpKind kind, std::string_view name, std::uint64_t seed,
             std::string_view what) {
  IoOp op{kind, 0, 0, seed};
  if (node.IsNull()) return op;
  std::string op_what = fmt::format("'{}' of {}", name, what);
  if (kind == IoOpKind::read) {
    check_keys(node, op_what, {"offset", "bytes"});
  } else {
    check_keys(node, op_what, {"offset", "bytes", "pattern"});
  }
  if (node["offset"]) op.offset = sectors(node["offset"], fmt::format("'offset' of {}", op_what));
  if (node["bytes"]) {
    const YAML::Node& bytes = node["bytes"];
    bool all = bytes.IsScalar() && bytes.Scalar() == "all";
    op.bytes = all ? 0 : sectors(bytes, fmt::format("'bytes' of {}", op_what));
    if (!all && op.bytes == 0)
      fail(bytes, fmt::format("'bytes' of {} is zero (use 'all' for the whole LU)", op_what));
  }
  if (node["pattern"])
    op.pattern = number(node["pattern"], fmt::format("'pattern' of {}", op_what), UINT64_MAX);
  return op;
}

}  // namespace

IoStep load_io(const YAML::Node& node, const Scenario& scenario, std::string_view what) {
  std::string io_what = fmt::format("'io' of {}", what);
  check_keys(node, io_what, {"lun", "target", "block", "queue_depth", "write", "read", "verify"});
  require(node, "lun", io_what);
  IoStep step;
  // `lun: 3` or `lun: [1, 2, 3]` (transfers on every LUN at once).
  const YAML::Node& luns = node["lun"];
  const std::string lun_what = fmt::format("'lun' of {}", io_what);
  if (luns.IsSequence()) {
    expect_list(luns, lun_what);
    if (luns.size() == 0) fail(luns, fmt::format("{} lists no LUN", lun_what));
    for (const YAML::Node& item : luns) {
      const std::uint64_t lun = number(item, lun_what, 65535);
      for (std::uint64_t seen : step.luns) {
        if (seen == lun) fail(item, fmt::format("{} lists LUN {} twice", lun_what, lun));
      }
      step.luns.push_back(lun);
    }
  } else {
    step.luns.push_back(number(luns, lun_what, 65535));
  }
  step.lun = step.luns.front();
  if (node["target"]) step.target = text(node["target"], fmt::format("'target' of {}", io_what));
  if (node["block"]) {
    std::uint64_t block = sectors(node["block"], fmt::format("'block' of {}", io_what));
    if (block == 0 || block > (16U << 20))
      fail(node["block"], fmt::format("'block' of {} must be from 512 bytes to 16MiB", io_what));
    step.block_bytes = static_cast<std::uint32_t>(block);
  }
  if (node["queue_depth"]) {
    std::uint64_t depth =
        number(node["queue_depth"], fmt::format("'queue_depth' of {}", io_what), 1024);
    if (depth == 0)
      fail(node["queue_depth"], fmt::format("'queue_depth' of {} must be from 1 to 1024", io_what));
    step.queue_depth = static_cast<unsigned>(depth);
  }
  // Transfers run in the order the file lists them.
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& key = it->first.Scalar();
    if (key == "write")
      step.ops.push_back(load_op(it->second, IoOpKind::write, key, scenario.seed, io_what));
    if (key == "read")
      step.ops.push_back(load_op(it->second, IoOpKind::read, key, scenario.seed, io_what));
    if (key == "verify")
      step.ops.push_back(load_op(it->second, IoOpKind::verify, key, scenario.seed, io_what));
  }
  if (step.ops.empty())
    fail(node, fmt::format("{} transfers nothing (expected write, read or verify)", io_what));
  return step;
}

namespace {

struct FieldWidth {
  std::string_view name;
  std::uint64_t max;
};

// The largest value of each BHS field (RFC 7143 §11): its width on the wire.
constexpr std::array<FieldWidth, 18> kFieldWidths = {{
    {"buffer_offset", UINT32_MAX},
    {"cid", UINT16_MAX},
    {"cmd_sn", UINT32_MAX},
    {"data_segment_length", 0xffffff},
    {"data_sn", UINT32_MAX},
    {"exp_stat_sn", UINT32_MAX},
    {"expected_data_transfer_length", UINT32_MAX},
    {"flags", 0xff},
    {"immediate", 1},
    {"isid", 0xffffffffffffULL},
    {"itt", UINT32_MAX},
    {"lun", UINT64_MAX},
    {"r2t_sn", UINT32_MAX},
    {"total_ahs_length", 0xff},
    {"tsih", UINT16_MAX},
    {"ttt", UINT32_MAX},
    {"version_max", 0xff},
    {"version_min", 0xff},
}};

std::uint8_t opcode_of(const YAML::Node& node, std::string_view what) {
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 8> names = {{
      {"nop_out", 0x00},
      {"scsi_command", 0x01},
      {"task_management", 0x02},
      {"login", 0x03},
      {"text", 0x04},
      {"data_out", 0x05},
      {"logout", 0x06},
      {"snack", 0x10},
  }};
  std::string value = text(node, what);
  for (const auto& [name, code] : names) {
    if (value == name) return code;
  }
  auto code = parse_unsigned(value, 0x3f);
  if (!code) {
    fail(node, fmt::format("expected an opcode from 0x00 to 0x3f or one of nop_out, scsi_command, "
                           "task_management, login, text, data_out, logout, snack for {}, got '{}'",
                           what, value.substr(0, 60)));
  }
  return static_cast<std::uint8_t>(*code);
}

}  // namespace

RawPduStep load_raw_pdu(const YAML::Node& node, std::string_view what) {
  std::string pdu_what = fmt::format("'raw_pdu' of {}", what);
  check_keys(node, pdu_what, {"hex", "opcode", "fields", "data", "target"});
  RawPduStep step;
  if (node["target"]) step.target = text(node["target"], fmt::format("'target' of {}", pdu_what));
  if (node["hex"]) {
    for (const char* other : {"opcode", "fields", "data"}) {
      if (node[other])
        fail(node[other],
             fmt::format("{} gives 'hex' (the whole PDU): it takes no '{}'", pdu_what, other));
    }
    step.hex = hex(node["hex"], fmt::format("'hex' of {}", pdu_what));
    if (step.hex.size() < 48)
      fail(node["hex"], fmt::format("'hex' of {} is shorter than a 48-byte BHS", pdu_what));
    return step;
  }
  if (!node["opcode"]) fail(node, fmt::format("{} needs 'hex' or 'opcode'", pdu_what));
  step.opcode = opcode_of(node["opcode"], fmt::format("'opcode' of {}", pdu_what));
  if (node["fields"]) {
    std::string fields_what = fmt::format("'fields' of {}", pdu_what);
    std::vector<std::string> keys = map_keys(node["fields"], fields_what);
    std::size_t index = 0;
    const YAML::Node& fields = node["fields"];
    for (auto it = fields.begin(); it != fields.end(); ++it, ++index) {
      const FieldWidth* width = nullptr;
      for (const FieldWidth& candidate : kFieldWidths) {
        if (candidate.name == keys[index]) width = &candidate;
      }
      if (width == nullptr) {
        std::string list;
        for (std::string_view name : raw_pdu_field_names())
          list += (list.empty() ? "" : ", ") + std::string(name);
        fail(it->first, fmt::format("unknown key '{}' in {} (expected one of: {})",
                                    keys[index].substr(0, 60), fields_what, list));
      }
      step.fields[keys[index]] =
          number(it->second, fmt::format("'{}' of {}", keys[index], fields_what), width->max);
    }
  }
  if (node["data"]) step.data = hex(node["data"], fmt::format("'data' of {}", pdu_what));
  return step;
}

}  // namespace iscsi::scenarios::detail
