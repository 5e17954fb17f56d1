#include "core/negotiation/state.hpp"

#include <algorithm>

namespace iscsi::negotiation {

const KeyRecord* NegotiationState::find(std::string_view key) const {
  const auto it = keys.find(key);
  return it == keys.end() ? nullptr : &it->second;
}

std::vector<std::string> NegotiationState::pending_offers() const {
  std::vector<std::string> out;
  for (const auto& [key, record] : keys) {
    if (record.pending_offer) out.push_back(key);
  }
  return out;
}

const Violation* Outcome::first_fatal() const {
  const auto it = std::find_if(violations.begin(), violations.end(), [](const Violation& v) {
    return v.severity() == Severity::fatal;
  });
  return it == violations.end() ? nullptr : &*it;
}

bool Outcome::has_violation(std::string_view id) const {
  return std::any_of(violations.begin(), violations.end(),
                     [&](const Violation& v) { return v.id() == id; });
}

}  // namespace iscsi::negotiation
