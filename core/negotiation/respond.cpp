// Answers to the peer's offers and acceptance of its declarations, by result function
// (RFC 7143 §6.2.1 lists, §6.2.2 simple values, §13 per key).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/receiver.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation::detail {
namespace {

std::uint64_t policy_number(const LocalPolicy& policy, const KeyRow& row) {
  const auto value = policy_value(policy, row.name);
  auto number = value ? text::parse_number(*value) : Result<std::uint64_t>(std::uint64_t{0});
  // A policy outside the key's range (not validated) must still never produce an answer
  // outside it.
  return std::clamp(number ? *number : row.min_value, row.min_value, row.max_value);
}

}  // namespace

void Receiver::accept_declaration(const KeyRow& row, const text::KeyValue& pair) {
  // TargetName and TargetAddress records in full feature phase are SendTargets output for the
  // discovery logic, not facts about this session.
  if (context_.phase == Phase::full_feature && row.repeatable) return;
  set_result(row, pair.value, peer());
}

// RFC 7143 §6.2.1: the responder picks the first value of the originator's list that it
// supports, and answers exactly one value (C064, C065, C076).
void Receiver::answer_list(const KeyRow& row, const text::KeyValue& pair) {
  auto offered = text::parse_list(pair.value);
  const std::string ours_text = policy_value(policy_, row.name).value_or("");
  auto ours = text::parse_list(ours_text);
  if (offered && ours) {
    for (const auto item : *offered) {
      const bool defined = std::find(row.vocabulary.begin(), row.vocabulary.end(), item) !=
                           row.vocabulary.end();
      if (defined && std::find(ours->begin(), ours->end(), item) != ours->end()) {
        reply(row.name, item);
        set_result(row, std::string(item), peer());
        return;
      }
    }
  }
  reject(row, pair, kNoAcceptableValue,
         fmt::format("no offered value is in our list '{}'", ours_text));
}

// RFC 7143 §6.2.2: AND and OR. The answer to AND+No and OR+Yes is optional (C055, C080).
void Receiver::answer_boolean(const KeyRow& row, const text::KeyValue& pair) {
  const bool offered = pair.value == text::kYes;
  const bool ours = policy_value(policy_, row.name) == std::optional<std::string>("Yes");
  const bool is_and = row.function == ResultFunction::logical_and;
  const bool result = is_and ? (offered && ours) : (offered || ours);
  const std::string answer(text::format_boolean(result));
  set_result(row, answer, peer());
  const bool optional = is_and ? !offered : offered;
  if (!(optional && policy_.omit_optional_boolean_answers)) reply(row.name, answer);
}

// RFC 7143 §6.2.2: Minimum and Maximum; the answer lies between the offer and our value, so
// it is always on the correct side of the offer and inside the key's range (C058, C060, C061,
// C077). FirstBurstLength is also kept within MaxBurstLength (C059).
void Receiver::answer_numeric(const KeyRow& row, const text::KeyValue& pair) {
  const std::uint64_t offered = text::parse_number(pair.value).value();
  const std::uint64_t ours = policy_number(policy_, row);
  std::uint64_t result = row.function == ResultFunction::minimum ? std::min(offered, ours)
                                                                 : std::max(offered, ours);
  if (row.name == "FirstBurstLength") result = std::min(result, first_burst_bound());
  const std::string answer = text::format_number(result);
  reply(row.name, answer);
  set_result(row, answer, peer());
}

std::uint64_t Receiver::first_burst_bound() const {
  const KeyRow& max_burst = *find_key("MaxBurstLength");
  if (offered_max_burst_ && *offered_max_burst_ >= max_burst.min_value &&
      *offered_max_burst_ <= max_burst.max_value) {
    return std::min<std::uint64_t>(*offered_max_burst_, policy_number(policy_, max_burst));
  }
  return outcome_.state.session.max_burst_length;
}

// RFC 7143 §13.25: markers are obsolete. IFMarker/OFMarker SHOULD be answered Reject (No is
// allowed and is what tgt sends); OFMarkInt/IFMarkInt MUST be answered Reject (C072).
void Receiver::answer_obsolete(const KeyRow& row, const text::KeyValue& /*pair*/) {
  const bool say_no = policy_.answer_markers_with_no && row.type == ValueType::boolean;
  reply(row.name, say_no ? text::kNo : text::kReject);
}

}  // namespace iscsi::negotiation::detail
