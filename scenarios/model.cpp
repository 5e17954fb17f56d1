#include "scenarios/model.hpp"

namespace iscsi::scenarios {

std::string_view to_string(Profile profile) {
  switch (profile) {
    case Profile::rfc:
      return "rfc";
    case Profile::tgt:
      return "tgt";
  }
  return "?";
}

std::string_view to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::stall:
      return "stall";
    case FaultKind::partition:
      return "partition";
    case FaultKind::heal:
      return "heal";
    case FaultKind::host_down:
      return "host_down";
    case FaultKind::host_up:
      return "host_up";
    case FaultKind::delay:
      return "delay";
    case FaultKind::reset:
      return "reset";
    case FaultKind::corrupt:
      return "corrupt";
    case FaultKind::close_listener:
      return "close_listener";
  }
  return "?";
}

namespace {

template <class T>
void take(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

template <class T>
void take(std::vector<T>& into, const std::vector<T>& from) {
  if (!from.empty()) into = from;
}

}  // namespace

Expect expectation_for(const Step& step, Profile profile) {
  Expect merged = step.expect;
  auto found = step.profile_expect.find(profile);
  if (found == step.profile_expect.end()) return merged;
  const Expect& over = found->second;
  take(merged.exit_code, over.exit_code);
  take(merged.stdout_exact, over.stdout_exact);
  take(merged.stdout_contains, over.stdout_contains);
  take(merged.stderr_exact, over.stderr_exact);
  take(merged.stderr_contains, over.stderr_contains);
  take(merged.login_status, over.login_status);
  take(merged.discovered, over.discovered);
  take(merged.data_verified, over.data_verified);
  take(merged.io_error, over.io_error);
  // A profile that names violations replaces the whole violations expectation.
  if (over.no_violations || !over.violations_required.empty() ||
      !over.violations_forbidden.empty()) {
    merged.no_violations = over.no_violations;
    merged.violations_required = over.violations_required;
    merged.violations_forbidden = over.violations_forbidden;
  }
  take(merged.session, over.session);
  take(merged.reject_reason, over.reject_reason);
  merged.at = over.at;
  return merged;
}

const HostSpec* Scenario::host(std::string_view wanted) const {
  for (const HostSpec& spec : hosts) {
    if (spec.name == wanted) return &spec;
  }
  return nullptr;
}

const InitiatorSpec* Scenario::initiator(std::string_view wanted) const {
  for (const InitiatorSpec& spec : initiators) {
    if (spec.name == wanted) return &spec;
  }
  return nullptr;
}

const std::vector<std::string_view>& raw_pdu_field_names() {
  // BHS fields by their RFC 7143 names (§11); `flags` is byte 1 whole, `immediate` the I bit.
  static const std::vector<std::string_view> names = {
      "buffer_offset",
      "cid",
      "cmd_sn",
      "data_segment_length",
      "data_sn",
      "exp_stat_sn",
      "expected_data_transfer_length",
      "flags",
      "immediate",
      "isid",
      "itt",
      "lun",
      "r2t_sn",
      "total_ahs_length",
      "tsih",
      "ttt",
      "version_max",
      "version_min",
  };
  return names;
}

}  // namespace iscsi::scenarios
