#pragma once
// SendTargets (RFC 7143 §13.3, Appendix C): the query value and the answer's records, one
// TargetName followed by zero or more TargetAddress pairs each (C105-C110).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "core/text/key_value.hpp"
#include "core/text/target_address.hpp"

namespace iscsi::text {

enum class SendTargetsScope {
  all,             // "All": every target the initiator may see (Discovery sessions only)
  named_target,    // "<iSCSI name>": that target only (an empty answer if unknown, C108)
  session_target,  // "" (empty): the session's own target (Normal sessions, C109)
};

struct SendTargetsQuery {
  SendTargetsScope scope = SendTargetsScope::all;
  std::string target_name;  // for named_target
  bool operator==(const SendTargetsQuery&) const = default;
};

SendTargetsQuery parse_send_targets_query(std::string_view value);

struct SendTargetsRecord {
  std::string target_name;
  std::vector<TargetAddress> addresses;
  bool operator==(const SendTargetsRecord&) const = default;
};

// Reads the answer's pairs. Fails with text.bad-send-targets-response when a TargetAddress
// comes before any TargetName or a TargetName is empty, and with text.bad-target-address on a
// malformed address. Other keys (TargetAlias, extension keys) are skipped.
Result<std::vector<SendTargetsRecord>> parse_send_targets_response(const KeyValueList& pairs);

// The answer's pairs, in record order.
KeyValueList encode_send_targets_response(std::span<const SendTargetsRecord> records);

}  // namespace iscsi::text
