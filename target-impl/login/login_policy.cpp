#include "target-impl/login/login_policy.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "core/negotiation/key_table.hpp"
#include "core/text/values.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {
namespace {

using negotiation::LocalPolicy;

Violation bad_parameter(std::string_view key, std::string_view value, std::string_view why) {
  return Violation{violations::kTargetError,
                   fmt::format("target parameter {}={} {}", key, value, why)};
}

// A numeric key's value within the key's range (RFC 7143 §13, digest §3.3).
Result<std::uint32_t> number_value(std::string_view key, std::string_view value) {
  const auto number = text::parse_number(value);
  const negotiation::KeyRow* row = negotiation::find_key(key);
  if (!number || row == nullptr || *number < row->min_value || *number > row->max_value) {
    return bad_parameter(key, value, "is not a number in the key's range");
  }
  return static_cast<std::uint32_t>(*number);
}

Result<std::vector<std::string>> digest_list(std::string_view key, std::string_view value) {
  const auto items = text::parse_list(value);
  if (!items) return bad_parameter(key, value, "is not a list of CRC32C/None");
  std::vector<std::string> out;
  for (const auto item : *items) {
    if (item != "CRC32C" && item != "None") {
      return bad_parameter(key, value, "names a digest other than CRC32C or None");
    }
    out.emplace_back(item);
  }
  return out;
}

Result<void> apply_boolean(LocalPolicy& policy, std::string_view key, std::string_view value) {
  const auto flag = text::parse_boolean(value);
  if (!flag) return bad_parameter(key, value, "is not Yes or No");
  if (key == "InitialR2T") policy.initial_r2t = *flag;
  if (key == "ImmediateData") policy.immediate_data = *flag;
  if (key == "DataPDUInOrder") policy.data_pdu_in_order = *flag;
  if (key == "DataSequenceInOrder") policy.data_sequence_in_order = *flag;
  return success();
}

// Numeric keys; ERL and MaxConnections are capped at what the target implements.
Result<void> apply_number(LocalPolicy& policy, std::string_view key, std::string_view value) {
  const auto number = number_value(key, value);
  if (!number) return number.error();
  const std::uint32_t n = *number;
  if (key == "MaxRecvDataSegmentLength") {
    policy.max_recv_data_segment_length = n;
    policy.declare_max_recv_data_segment_length = true;
  }
  if (key == "MaxBurstLength") policy.max_burst_length = n;
  if (key == "FirstBurstLength") policy.first_burst_length = n;
  if (key == "MaxOutstandingR2T") policy.max_outstanding_r2t = n;
  if (key == "DefaultTime2Wait") policy.default_time2wait = n;
  if (key == "DefaultTime2Retain") policy.default_time2retain = n;
  if (key == "MaxConnections") policy.max_connections = std::min(n, kImplementedMaxConnections);
  if (key == "ErrorRecoveryLevel") {
    policy.error_recovery_level =
        static_cast<std::uint8_t>(std::min<std::uint32_t>(n, kImplementedErrorRecoveryLevel));
  }
  return success();
}

Result<void> apply_parameter(LocalPolicy& policy, std::string_view key, std::string_view value) {
  if (key == "HeaderDigest" || key == "DataDigest") {
    auto list = digest_list(key, value);
    if (!list) return list.error();
    (key == "HeaderDigest" ? policy.header_digests : policy.data_digests) = std::move(*list);
    return success();
  }
  if (key == "InitialR2T" || key == "ImmediateData" || key == "DataPDUInOrder" ||
      key == "DataSequenceInOrder") {
    return apply_boolean(policy, key, value);
  }
  if (key == "MaxRecvDataSegmentLength" || key == "MaxBurstLength" ||
      key == "FirstBurstLength" || key == "MaxOutstandingR2T" || key == "DefaultTime2Wait" ||
      key == "DefaultTime2Retain" || key == "MaxConnections" || key == "ErrorRecoveryLevel") {
    return apply_number(policy, key, value);
  }
  if (key == "TargetAlias") policy.target_alias = std::string(value);
  // Redirect*, nop_* and anything else are not negotiation keys.
  return success();
}

LocalPolicy profile_defaults(config::Profile profile) {
  LocalPolicy policy = negotiation::target_policy();
  switch (profile) {
    case config::Profile::rfc:
      policy.header_digests = {"CRC32C", "None"};
      policy.data_digests = {"CRC32C", "None"};
      policy.max_recv_data_segment_length = kRfcMaxRecvDataSegmentLength;
      break;
    case config::Profile::tgt:
      // tgt 1.0.85 answers None to CRC32C,None and ERL 0 to 2 until configured, answers the
      // markers No, never Irrelevant, and declares MaxRecvDataSegmentLength only when it
      // differs from its default 8192 (usr/iscsi/iscsid.c text_check_param).
      policy.header_digests = {"None"};
      policy.data_digests = {"None"};
      policy.declare_max_recv_data_segment_length = false;
      policy.answer_irrelevant_in_discovery = false;
      policy.answer_markers_with_no = true;
      break;
  }
  policy.error_recovery_level = kImplementedErrorRecoveryLevel;
  return policy;
}

}  // namespace

LoginQuirks login_quirks(config::Profile profile) {
  LoginQuirks quirks;
  switch (profile) {
    case config::Profile::rfc:
      break;
    case config::Profile::tgt:
      quirks.acl_denial_status = 0x0203;
      quirks.unexpected_pdu_status = 0x0200;
      quirks.stat_sn_from_exp_stat_sn = false;
      quirks.zeroed_failure_header = true;
      quirks.failure_carries_declarations = true;
      quirks.ignore_auth_method_in_operational_stage = true;
      quirks.chap = chap::ResponderProfile::tgt_1_0_85();
      break;
  }
  return quirks;
}

Result<negotiation::LocalPolicy> login_policy(const config::TargetConfig* target,
                                              config::Profile profile,
                                              std::uint16_t target_portal_group_tag,
                                              bool chap_required) {
  LocalPolicy policy = profile_defaults(profile);
  policy.target_portal_group_tag = target_portal_group_tag;
  policy.auth_methods = {chap_required ? "CHAP" : "None"};
  if (target != nullptr) {
    for (const auto& [key, value] : target->params) {
      if (auto applied = apply_parameter(policy, key, value); !applied) return applied.error();
    }
  }
  if (profile == config::Profile::tgt && policy.max_recv_data_segment_length == 8192) {
    policy.declare_max_recv_data_segment_length = false;
  }
  if (auto valid = negotiation::validate_policy(policy); !valid) {
    return Violation{violations::kTargetError,
                     fmt::format("the target's parameters make an invalid policy: {}",
                                 valid.error().detail)};
  }
  return policy;
}

std::optional<Redirect> configured_redirect(const config::TargetConfig& target) {
  const auto find = [&](std::string_view key) -> std::string_view {
    const auto it = target.params.find(key);
    return it == target.params.end() ? std::string_view{} : std::string_view(it->second);
  };
  const std::string_view address = find("RedirectAddress");
  const std::string_view reason = find("RedirectReason");
  if (address.empty()) return std::nullopt;
  Redirect redirect;
  if (reason == "Temporary") {
    redirect.status = 0x0101;
  } else if (reason == "Permanent") {
    redirect.status = 0x0102;
  } else {
    return std::nullopt;
  }
  const std::string_view port = find("RedirectPort");
  redirect.target_address =
      fmt::format("{}:{}", address, port.empty() ? std::string_view("3260") : port);
  return redirect;
}

}  // namespace iscsi::target::login
