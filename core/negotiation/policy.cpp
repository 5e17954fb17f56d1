#include "core/negotiation/policy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/negotiation_violations.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation {
namespace {

Violation bad_policy(std::string detail) { return Violation{kBadPolicy, std::move(detail)}; }

Result<void> check_list(const KeyRow& row, const std::vector<std::string>& values) {
  if (values.empty()) return bad_policy(fmt::format("{} has no value", row.name));
  for (const auto& value : values) {
    if (std::find(row.vocabulary.begin(), row.vocabulary.end(), value) == row.vocabulary.end()) {
      return bad_policy(fmt::format("{} value '{}' is not defined by {}", row.name, value,
                                    row.rfc_section));
    }
  }
  return success();
}

Result<void> check_value(const KeyRow& row, const LocalPolicy& policy) {
  if (row.name == "AuthMethod") return check_list(row, policy.auth_methods);
  if (row.name == "HeaderDigest") return check_list(row, policy.header_digests);
  if (row.name == "DataDigest") return check_list(row, policy.data_digests);
  if (row.name == "TaskReporting") return check_list(row, policy.task_reporting);
  if (row.type != ValueType::numeric || row.function == ResultFunction::obsolete) {
    return success();
  }
  const auto value = policy_value(policy, row.name);
  if (!value) return success();  // declaratives without a policy value (TargetPortalGroupTag)
  const auto number = text::parse_number(*value);
  if (!number || *number < row.min_value || *number > row.max_value) {
    return bad_policy(fmt::format("{}={} is outside {}..{} ({})", row.name, *value,
                                  row.min_value, row.max_value, row.rfc_section));
  }
  return success();
}

Result<void> check_offer_keys(const LocalPolicy& policy) {
  for (const auto& key : policy.offer_keys) {
    const KeyRow* row = find_key(key);
    const bool negotiated = row != nullptr && row->function != ResultFunction::declarative &&
                            row->function != ResultFunction::auth_method &&
                            row->function != ResultFunction::query;
    if (!negotiated) {
      return bad_policy(fmt::format("offer_keys names '{}', which is not a negotiated key", key));
    }
  }
  return success();
}

Result<void> check_identity(const LocalPolicy& policy) {
  constexpr std::size_t kMaxName = 223;
  constexpr std::size_t kMaxAlias = 255;
  if (policy.initiator_name.size() > kMaxName || policy.target_name.size() > kMaxName) {
    return bad_policy("an iSCSI name is longer than 223 bytes (RFC 7143 §4.2.7.1)");
  }
  if (policy.initiator_alias.size() > kMaxAlias || policy.target_alias.size() > kMaxAlias) {
    return bad_policy("an alias is longer than 255 bytes (RFC 7143 §13.6, §13.7)");
  }
  return success();
}

}  // namespace

LocalPolicy initiator_policy() {
  LocalPolicy policy;
  // open-iscsi's operational offer (usr/login.c), minus the obsolete markers.
  policy.offer_keys = {"HeaderDigest",       "DataDigest",         "InitialR2T",
                       "ImmediateData",      "MaxBurstLength",     "FirstBurstLength",
                       "DefaultTime2Wait",   "DefaultTime2Retain", "MaxOutstandingR2T",
                       "ErrorRecoveryLevel", "MaxConnections",     "DataPDUInOrder",
                       "DataSequenceInOrder"};
  return policy;
}

LocalPolicy target_policy() { return LocalPolicy{}; }

Result<void> validate_policy(const LocalPolicy& policy) {
  for (const KeyRow& row : key_table()) {
    if (auto ok = check_value(row, policy); !ok) return ok;
  }
  if (policy.first_burst_length > policy.max_burst_length) {
    return bad_policy(fmt::format("FirstBurstLength {} exceeds MaxBurstLength {} (RFC 7143 §13.14)",
                                  policy.first_burst_length, policy.max_burst_length));
  }
  if (auto ok = check_offer_keys(policy); !ok) return ok;
  return check_identity(policy);
}

std::optional<std::string> policy_value(const LocalPolicy& policy, std::string_view key) {
  const auto number = [](std::uint64_t value) { return std::optional(text::format_number(value)); };
  const auto boolean = [](bool value) {
    return std::optional(std::string(text::format_boolean(value)));
  };
  if (key == "AuthMethod") return text::join_list(policy.auth_methods);
  if (key == "HeaderDigest") return text::join_list(policy.header_digests);
  if (key == "DataDigest") return text::join_list(policy.data_digests);
  if (key == "TaskReporting") return text::join_list(policy.task_reporting);
  if (key == "MaxConnections") return number(policy.max_connections);
  if (key == "InitialR2T") return boolean(policy.initial_r2t);
  if (key == "ImmediateData") return boolean(policy.immediate_data);
  if (key == "MaxRecvDataSegmentLength") return number(policy.max_recv_data_segment_length);
  if (key == "MaxBurstLength") return number(policy.max_burst_length);
  if (key == "FirstBurstLength") return number(policy.first_burst_length);
  if (key == "DefaultTime2Wait") return number(policy.default_time2wait);
  if (key == "DefaultTime2Retain") return number(policy.default_time2retain);
  if (key == "MaxOutstandingR2T") return number(policy.max_outstanding_r2t);
  if (key == "DataPDUInOrder") return boolean(policy.data_pdu_in_order);
  if (key == "DataSequenceInOrder") return boolean(policy.data_sequence_in_order);
  if (key == "ErrorRecoveryLevel") return number(policy.error_recovery_level);
  if (key == "iSCSIProtocolLevel") return number(policy.iscsi_protocol_level);
  return std::nullopt;
}

}  // namespace iscsi::negotiation
