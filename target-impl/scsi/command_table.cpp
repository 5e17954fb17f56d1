// The table of commands a Port dispatches (command_table.hpp).
#include "target-impl/scsi/command_table.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace iscsi::target::scsi {
namespace {

auto sort_key(const CommandInfo& info) {
  return std::make_tuple(info.opcode, info.service_action.has_value(),
                         info.service_action.value_or(0));
}

}  // namespace

std::uint16_t service_action_of(ByteView cdb) {
  if (cdb.size() < 2) return 0;
  return static_cast<std::uint16_t>(cdb[1] & 0x1f);
}

void CommandTable::add(CommandInfo info) {
  const auto same = [&](const CommandInfo& other) {
    return other.opcode == info.opcode && other.service_action == info.service_action;
  };
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), same), entries_.end());
  const auto at = std::upper_bound(
      entries_.begin(), entries_.end(), info,
      [](const CommandInfo& a, const CommandInfo& b) { return sort_key(a) < sort_key(b); });
  entries_.insert(at, std::move(info));
}

const CommandInfo* CommandTable::find(std::uint8_t opcode,
                                      std::optional<std::uint16_t> service_action) const {
  for (const auto& entry : entries_) {
    if (entry.opcode == opcode && entry.service_action == service_action) return &entry;
  }
  return nullptr;
}

const CommandInfo* CommandTable::find_for_cdb(ByteView cdb) const {
  if (cdb.empty()) return nullptr;
  if (opcode_has_service_actions(cdb[0])) return find(cdb[0], service_action_of(cdb));
  return find(cdb[0], std::nullopt);
}

bool CommandTable::knows_opcode(std::uint8_t opcode) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const CommandInfo& entry) { return entry.opcode == opcode; });
}

bool CommandTable::opcode_has_service_actions(std::uint8_t opcode) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const CommandInfo& entry) {
    return entry.opcode == opcode && entry.service_action.has_value();
  });
}

Bytes cdb_usage(std::uint8_t opcode, std::initializer_list<std::uint8_t> bytes) {
  Bytes usage;
  usage.reserve(bytes.size() + 1);
  usage.push_back(opcode);
  usage.insert(usage.end(), bytes.begin(), bytes.end());
  return usage;
}

}  // namespace iscsi::target::scsi
