// The rules a Login Response with Status-Class 0 must keep (RFC 7143 §11.13): version, ISID,
// flags and stages, TSIH, numbering, and TargetPortalGroupTag (§13.9).
#include <fmt/format.h>

#include "core/common/serial.hpp"
#include "initiator-impl/login/engine_impl.hpp"
#include "initiator-impl/login/login_violations.hpp"

namespace iscsi::initiator::login {
namespace {

unsigned stage_number(pdu::Stage stage) { return static_cast<unsigned>(stage); }

}  // namespace

std::optional<Violation> LoginEngine::Impl::check_success_header(const pdu::LoginResponse& response,
                                                                 LoginStep& step) {
  // RFC 7143 §11.13.1: Version-active is the version in use, and 0 is the only one (C050).
  if (response.version_active != 0) {
    return Violation{violations::kBadVersion,
                     fmt::format("Login Response Version-active {}, the only version is 0",
                                 response.version_active)};
  }
  if (response.isid != setup.isid) {
    return Violation{violations::kIsidMismatch,
                     fmt::format("Login Response ISID 0x{:012x}, the Login Request's is 0x{:012x}",
                                 response.isid.value(), setup.isid.value())};
  }
  if (auto bad = check_flags(response)) return bad;
  if (auto bad = check_tsih(response)) return bad;
  check_numbers(response, step);
  return std::nullopt;
}

// RFC 7143 §11.13: the same CSG as the request; T=1 only when the request had T=1 (C031);
// NSG greater than CSG, not reserved, and not beyond the NSG we asked for; never T with C.
std::optional<Violation> LoginEngine::Impl::check_flags(const pdu::LoginResponse& response) const {
  if (response.transit && response.continue_) {
    return Violation{violations::kTransitAndContinue, "Login Response with both T=1 and C=1"};
  }
  if (response.csg != csg) {
    return Violation{violations::kStageMismatch,
                     fmt::format("Login Response CSG {}, the Login Request's is {}",
                                 stage_number(response.csg), stage_number(csg))};
  }
  if (!response.transit) return std::nullopt;
  if (!asked_transit) {
    return Violation{violations::kUnrequestedTransit,
                     fmt::format("Login Response T=1 (NSG {}) to a Login Request with T=0",
                                 stage_number(response.nsg))};
  }
  const bool reserved = response.nsg == pdu::Stage::reserved;
  if (reserved || stage_number(response.nsg) <= stage_number(csg) ||
      stage_number(response.nsg) > stage_number(asked_nsg)) {
    return Violation{
        violations::kBadNextStage,
        fmt::format("Login Response T=1 with NSG {} (CSG {}, we asked for NSG {})",
                    stage_number(response.nsg), stage_number(csg), stage_number(asked_nsg))};
  }
  return std::nullopt;
}

// RFC 7143 §11.13.4, §6.3 (C032): a new session's TSIH is 0 until the Final-Response, which
// carries the non-zero TSIH the target chose; a connection added to a session sees its TSIH.
std::optional<Violation> LoginEngine::Impl::check_tsih(const pdu::LoginResponse& response) const {
  const bool final = response.transit && response.nsg == pdu::Stage::full_feature_phase;
  if (setup.tsih != 0) {
    if (response.tsih == setup.tsih) return std::nullopt;
    return Violation{violations::kTsihMismatch,
                     fmt::format("Login Response TSIH 0x{:04x}, the session's is 0x{:04x}",
                                 response.tsih, setup.tsih)};
  }
  if (final && response.tsih == 0) {
    return Violation{violations::kTsihMismatch,
                     "the Final-Response of a new session carries TSIH 0"};
  }
  if (!final && response.tsih != 0) {
    return Violation{violations::kTsihMismatch,
                     fmt::format("Login Response TSIH 0x{:04x} before the Final-Response of a "
                                 "new session (must be 0)",
                                 response.tsih)};
  }
  return std::nullopt;
}

// RFC 7143 §11.13, §4.2.2 (C034): StatSN counts from the first response by one; ExpCmdSN is
// the login's CmdSN; MaxCmdSN is not below ExpCmdSN - 1. Warnings: we resynchronize.
void LoginEngine::Impl::check_numbers(const pdu::LoginResponse& response, LoginStep& step) {
  if (last_stat_sn && response.stat_sn != *last_stat_sn + 1) {
    step.violations.push_back(Violation{
        violations::kStatSnGap,
        fmt::format("Login Response StatSN {}, expected {}", response.stat_sn, *last_stat_sn + 1)});
  }
  last_stat_sn = response.stat_sn;
  if (response.exp_cmd_sn != setup.cmd_sn) {
    step.violations.push_back(Violation{
        violations::kBadExpCmdSn, fmt::format("Login Response ExpCmdSN {}, the login's CmdSN is {}",
                                              response.exp_cmd_sn, setup.cmd_sn)});
  }
  if (serial_lt(response.max_cmd_sn, response.exp_cmd_sn - 1)) {
    step.violations.push_back(Violation{
        violations::kBadMaxCmdSn, fmt::format("Login Response MaxCmdSN {} below ExpCmdSN {} - 1",
                                              response.max_cmd_sn, response.exp_cmd_sn)});
  }
}

// RFC 7143 §13.9 (C044): the response to the first request with TargetName carries
// TargetPortalGroupTag in a Normal session.
void LoginEngine::Impl::check_portal_group_tag(const text::KeyValueList& pairs, LoginStep& step) {
  if (first_text_seen) return;
  first_text_seen = true;
  if (setup.target_name.empty() || setup.tsih != 0) return;
  if (text::find_value(pairs, "TargetPortalGroupTag")) return;
  step.violations.push_back(
      Violation{violations::kMissingPortalGroupTag,
                "the first Login Response of a Normal session has no TargetPortalGroupTag"});
}

}  // namespace iscsi::initiator::login
