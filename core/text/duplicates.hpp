#pragma once
// RFC 7143 §6.2: a key MUST NOT be offered or declared more than once in one negotiation (a
// login, or one Text exchange); the only keys that repeat are TargetName and TargetAddress in
// SendTargets output (RFC 7143 §13.3, Appendix C). A target that sees a duplicate fails the
// login (class 2, C054); an initiator that sees one drops the connection.
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/common/result.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::text {

enum class DuplicateRule {
  strict,               // every key at most once (login and Text Requests)
  send_targets_output,  // TargetName and TargetAddress may repeat (SendTargets answers)
};

// True for the keys that DuplicateRule::send_targets_output lets repeat.
bool may_repeat_in_send_targets_output(std::string_view key);

// The index of the first pair whose key already appeared earlier in `pairs`.
std::optional<std::size_t> find_duplicate_key(const KeyValueList& pairs, DuplicateRule rule);

// Fails with text.duplicate-key naming the key and both positions.
Result<void> check_no_duplicate_keys(const KeyValueList& pairs, DuplicateRule rule);

// The violation for a key seen twice; `detail` says where (for callers that track keys across
// several PDUs of one negotiation, such as the negotiator).
Violation duplicate_key_violation(std::string_view key, std::string_view detail);

}  // namespace iscsi::text
