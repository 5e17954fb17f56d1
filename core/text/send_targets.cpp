#include "core/text/send_targets.hpp"

#include <fmt/format.h>

#include "core/text/text_violations.hpp"

namespace iscsi::text {

SendTargetsQuery parse_send_targets_query(std::string_view value) {
  if (value == "All") return SendTargetsQuery{SendTargetsScope::all, {}};
  if (value.empty()) return SendTargetsQuery{SendTargetsScope::session_target, {}};
  return SendTargetsQuery{SendTargetsScope::named_target, std::string(value)};
}

Result<std::vector<SendTargetsRecord>> parse_send_targets_response(const KeyValueList& pairs) {
  std::vector<SendTargetsRecord> records;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const KeyValue& pair = pairs[i];
    if (pair.key == "TargetName") {
      if (pair.value.empty()) {
        return Violation{kBadSendTargetsResponse,
                         fmt::format("pair {} is a TargetName with an empty value", i + 1)};
      }
      records.push_back(SendTargetsRecord{pair.value, {}});
    } else if (pair.key == "TargetAddress") {
      if (records.empty()) {
        return Violation{kBadSendTargetsResponse,
                         fmt::format("pair {} is a TargetAddress before any TargetName", i + 1)};
      }
      auto address = parse_target_address(pair.value);
      if (!address) return std::move(address).error();
      records.back().addresses.push_back(std::move(address).value());
    }
  }
  return records;
}

KeyValueList encode_send_targets_response(std::span<const SendTargetsRecord> records) {
  KeyValueList pairs;
  for (const auto& record : records) {
    pairs.push_back(KeyValue{"TargetName", record.target_name});
    for (const auto& address : record.addresses) {
      pairs.push_back(KeyValue{"TargetAddress", format_target_address(address)});
    }
  }
  return pairs;
}

}  // namespace iscsi::text
