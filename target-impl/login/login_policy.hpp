#pragma once
// What a login at this target negotiates and how it answers, from the configuration and the
// quirk profile (DESIGN.md "Quirk profiles"; peer-behaviour.md "Negotiation defaults of tgt
// 1.0.85"). Profiles are data: the engine reads these structs, never the profile enum.
#include <cstdint>
#include <optional>
#include <string>

#include "core/chap/responder_profile.hpp"
#include "core/common/result.hpp"
#include "core/negotiation/policy.hpp"
#include "target-impl/config/model.hpp"

namespace iscsi::target::login {

// The highest ErrorRecoveryLevel the reference target implements (RFC 7143 §7: ERL 0, session
// recovery only); configured values above it are lowered.
inline constexpr std::uint8_t kImplementedErrorRecoveryLevel = 0;
// Connections per session the target implements; a connection add is refused with 0x0206.
inline constexpr std::uint32_t kImplementedMaxConnections = 1;
// What the reference target declares it can receive under the rfc profile (bytes per data
// segment): large Data-Out PDUs make writes cheaper. tgt 1.0.85 keeps 8192.
inline constexpr std::uint32_t kRfcMaxRecvDataSegmentLength = 262144;

// How the login engine answers where real targets differ (RFC 7143 §11.13.5 leaves the choice).
struct LoginQuirks {
  // ACL denial: 0x0202 Authorization failure (RFC), 0x0203 Not found (tgt).
  std::uint16_t acl_denial_status = 0x0202;
  // A PDU other than a Login Request during login: 0x020b Invalid during login (RFC); tgt
  // answers 0x0200.
  std::uint16_t unexpected_pdu_status = 0x020b;
  // The first Login Response's StatSN: the first request's ExpStatSN (rfc), or 0 (tgt 1.0.85
  // starts every connection at 0 and ignores ExpStatSN).
  bool stat_sn_from_exp_stat_sn = true;
  // tgt 1.0.85 builds a failure response on a zeroed header: ISID, TSIH, StatSN, ExpCmdSN and
  // MaxCmdSN 0, and flags 0 (CSG 0) for its init_err/auth_err paths (0x0200, 0x0201). The rfc
  // profile echoes ISID and TSIH and keeps the request's CSG.
  bool zeroed_failure_header = false;
  // tgt declares TargetPortalGroupTag before it checks authentication, so its 0x0201 for a
  // CHAP target entered at CSG 1 still carries TargetPortalGroupTag=1 (capture frame 15).
  bool failure_carries_declarations = false;
  // tgt skips AuthMethod in the operational stage (its discovery logins from some initiators
  // carry AuthMethod=None at CSG 1); the RFC reading fails the login (C104).
  bool ignore_auth_method_in_operational_stage = false;
  chap::ResponderProfile chap = chap::ResponderProfile::rfc();
};

LoginQuirks login_quirks(config::Profile profile);

// The negotiation policy of a login to `target` (nullptr: a Discovery session, which uses the
// target-less defaults). RFC defaults under `rfc` (digests CRC32C,None accepted, ERL 0,
// MaxRecvDataSegmentLength 262144 declared, Irrelevant answered in discovery); tgt 1.0.85's
// answers under `tgt` (digests None and ERL 0 unless configured, markers answered No,
// MaxRecvDataSegmentLength declared only when configured away from 8192, no Irrelevant).
// Then the target's `--op update --name K --value V` parameters apply: HeaderDigest,
// DataDigest, MaxRecvDataSegmentLength, MaxBurstLength, FirstBurstLength, ImmediateData,
// InitialR2T, MaxOutstandingR2T, DefaultTime2Wait, DefaultTime2Retain, MaxConnections,
// DataPDUInOrder, DataSequenceInOrder, ErrorRecoveryLevel, TargetAlias (others are ignored
// here). ErrorRecoveryLevel and MaxConnections are capped at what the target implements.
// AuthMethod is {"CHAP"} when `chap_required`, else {"None"}.
// Fails with login.target-error when a parameter value is malformed or the policy is invalid
// (for example FirstBurstLength above MaxBurstLength).
Result<negotiation::LocalPolicy> login_policy(const config::TargetConfig* target,
                                              config::Profile profile,
                                              std::uint16_t target_portal_group_tag,
                                              bool chap_required);

// Login redirection configured on a target (tgtadm RedirectAddress / RedirectPort /
// RedirectReason): the Login status (0x0101 Temporary, 0x0102 Permanent) and the
// TargetAddress value "IP:PORT" without a portal group tag, as tgt sends it. nullopt when no
// address is set or the reason is neither Temporary nor Permanent (tgt then does not redirect).
// The port defaults to 3260.
struct Redirect {
  std::uint16_t status = 0x0101;
  std::string target_address;
};
std::optional<Redirect> configured_redirect(const config::TargetConfig& target);

}  // namespace iscsi::target::login
