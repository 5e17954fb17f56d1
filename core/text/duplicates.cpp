#include "core/text/duplicates.hpp"

#include <map>

#include <fmt/format.h>

#include "core/text/text_violations.hpp"

namespace iscsi::text {

bool may_repeat_in_send_targets_output(std::string_view key) {
  return key == "TargetName" || key == "TargetAddress";
}

std::optional<std::size_t> find_duplicate_key(const KeyValueList& pairs, DuplicateRule rule) {
  std::map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string_view key = pairs[i].key;
    if (rule == DuplicateRule::send_targets_output && may_repeat_in_send_targets_output(key)) {
      continue;
    }
    if (!seen.emplace(key, i).second) return i;
  }
  return std::nullopt;
}

Result<void> check_no_duplicate_keys(const KeyValueList& pairs, DuplicateRule rule) {
  const auto index = find_duplicate_key(pairs, rule);
  if (!index) return success();
  const std::string& key = pairs[*index].key;
  std::size_t first = 0;
  while (pairs[first].key != key) ++first;
  return duplicate_key_violation(
      key, fmt::format("pair {} repeats the key of pair {} in the same text", *index + 1,
                       first + 1));
}

Violation duplicate_key_violation(std::string_view key, std::string_view detail) {
  return Violation{kDuplicateKey, fmt::format("key '{}' sent twice in one negotiation: {}",
                                              key.substr(0, kMaxKeyNameBytes), detail)};
}

}  // namespace iscsi::text
