// The originator's side: checking the peer's answer to one of our offers (RFC 7143 §6.2).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/receiver.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation::detail {

void Receiver::check_answer(const KeyRow& row, const text::KeyValue& pair, std::string offer) {
  if (check_reserved_answer(row, pair)) return;
  if (pair.value.empty()) {
    violation(kBadAnswer, fmt::format("{} answered {} with an empty value to our offer '{}'",
                                      to_string(peer()), row.name, shown(offer)));
    return;
  }
  if (const auto problem = value_problem(row, pair.value)) {
    violation(kBadAnswer, fmt::format("{} answered {}={} to our offer '{}': {}",
                                      to_string(peer()), row.name, shown(pair.value),
                                      shown(offer), *problem));
    return;
  }
  if (auto result = answer_result(row, pair, offer)) set_result(row, *result, peer());
}

// Reject, Irrelevant and NotUnderstood as answers (RFC 7143 §6.2). Returns true when the
// answer was one of them.
bool Receiver::check_reserved_answer(const KeyRow& row, const text::KeyValue& pair) {
  const auto reserved = text::as_reserved_answer(pair.value);
  if (!reserved) return false;
  switch (*reserved) {
    case text::ReservedAnswer::irrelevant:
      return true;  // the key keeps its default (RFC 7143 §6.2 MAY)
    case text::ReservedAnswer::reject:
      if (row.function != ResultFunction::obsolete) {
        violation(kAnswerRejected, fmt::format("{} answered {}=Reject; the key keeps its "
                                               "default '{}'",
                                               to_string(peer()), row.name, row.default_value));
      }
      return true;
    case text::ReservedAnswer::not_understood:
      // RFC 3720 peers do not know the keys RFC 7143 added; every peer knows the others.
      if (!row.since_rfc7143 && row.function != ResultFunction::obsolete) {
        violation(kAnswerNotUnderstood,
                  fmt::format("{} answered {}=NotUnderstood, but {} defines it",
                              to_string(peer()), row.name, row.rfc_section));
      }
      return true;
  }
  return true;
}

// The result an answer gives, or nullopt (with a violation) when the answer is not allowed
// for our offer.
std::optional<std::string> Receiver::answer_result(const KeyRow& row, const text::KeyValue& pair,
                                                   const std::string& offer) {
  const auto out_of_bounds = [&](std::string_view rule) -> std::optional<std::string> {
    violation(kAnswerOutOfBounds, fmt::format("{} answered {}={} to our offer {}: {}",
                                              to_string(peer()), row.name, shown(pair.value),
                                              shown(offer), rule));
    return std::nullopt;
  };
  switch (row.function) {
    case ResultFunction::list_select: {
      auto ours = text::parse_list(offer);
      const bool offered =
          ours && std::find(ours->begin(), ours->end(), pair.value) != ours->end();
      if (!offered) {
        violation(kAnswerNotOffered,
                  fmt::format("{} answered {}={}, which is not one value of our list '{}'",
                              to_string(peer()), row.name, shown(pair.value), shown(offer)));
        return std::nullopt;
      }
      return pair.value;
    }
    case ResultFunction::logical_and:
      if (offer == text::kNo && pair.value == text::kYes) return out_of_bounds("AND with No is No");
      return pair.value;
    case ResultFunction::logical_or:
      if (offer == text::kYes && pair.value == text::kNo) return out_of_bounds("OR with Yes is Yes");
      return pair.value;
    case ResultFunction::minimum:
    case ResultFunction::maximum: {
      const auto ours = text::parse_number(offer);
      const auto theirs = text::parse_number(pair.value);
      if (!ours || !theirs) return std::nullopt;  // both were validated
      const bool is_min = row.function == ResultFunction::minimum;
      if (is_min ? *theirs > *ours : *theirs < *ours) {
        return out_of_bounds(is_min ? "a Minimum answer must not exceed the offer"
                                    : "a Maximum answer must not be below the offer");
      }
      return pair.value;
    }
    case ResultFunction::declarative:
    case ResultFunction::query:
    case ResultFunction::auth_method:
    case ResultFunction::obsolete:
      return pair.value;  // we never await answers for these, but a record_sent may
  }
  return std::nullopt;
}

}  // namespace iscsi::negotiation::detail
