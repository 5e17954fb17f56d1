#pragma once
// The table of every RFC 7143 text key (RFC 7143 §12, §13; digest §3.3): one row per key,
// read by the negotiator, by tests (one test per row) and printed by `iscsim`.
#include <cstdint>
#include <span>
#include <string_view>

namespace iscsi::negotiation {

enum class Role { initiator, target };

// Where a key is exchanged. Login stages are CSG 0 and 1 (RFC 7143 §6.3); full feature phase
// is Text Request/Response negotiation (RFC 7143 §6.4 ≈).
enum class Phase { security, operational, full_feature };

// The syntax of a value (RFC 7143 §6.1).
enum class ValueType {
  list,            // list-of-values from a fixed vocabulary (HeaderDigest, AuthMethod...)
  boolean,         // Yes / No
  numeric,         // numerical-value within [min_value, max_value]
  enumerated,      // one word from a fixed vocabulary (SessionType)
  iscsi_name,      // iSCSI-name-value, 1..223 bytes (RFC 7143 §4.2.7.1 ≈)
  local_name,      // iSCSI-local-name-value: any UTF-8 up to 255 bytes (aliases)
  target_address,  // domainname[:port][,tag] (RFC 7143 §13.8)
  text,            // free text (SendTargets: All, a name, or empty)
  numeric_range,   // low~high (obsolete marker intervals)
  string_list,     // list of free strings (X#NodeArchitecture)
  auth_item,       // an authentication item; its syntax belongs to the auth method
};

// How the two sides' values combine (RFC 7143 §6.2.1, §6.2.2).
enum class ResultFunction {
  list_select,  // the responder picks the first value of the originator's list it supports
  logical_and,  // boolean AND (ImmediateData)
  logical_or,   // boolean OR (InitialR2T, DataPDUInOrder, DataSequenceInOrder)
  minimum,      // numerical Min
  maximum,      // numerical Max (DefaultTime2Wait)
  declarative,  // each side states its own value; never answered
  query,        // SendTargets: answered by the discovery logic with target records
  auth_method,  // security-stage items handled by the authentication engine (CHAP, SRP, KRB5)
  obsolete,     // markers (RFC 7143 §13.25): answered Reject
};

enum class Scope { session_wide, connection_only };

// RFC 7143 §13 "Use": LO (leading connection login only), IO (login only, any connection),
// FFPO (full feature phase only), ALL; plus the security-stage authentication keys.
enum class Use { security, leading_only, initial_only, full_feature_only, all };

enum class Senders { initiator, target, both };

// A set of phases, as bits.
using PhaseSet = std::uint8_t;
inline constexpr PhaseSet phase_bit(Phase phase) {
  return static_cast<PhaseSet>(1U << static_cast<unsigned>(phase));
}
inline constexpr PhaseSet kNoPhase = 0;
inline constexpr PhaseSet kSecurityStage = phase_bit(Phase::security);
inline constexpr PhaseSet kOperationalStage = phase_bit(Phase::operational);
inline constexpr PhaseSet kLoginStages = kSecurityStage | kOperationalStage;
inline constexpr PhaseSet kFullFeature = phase_bit(Phase::full_feature);
inline constexpr PhaseSet kOperationalAndFullFeature = kOperationalStage | kFullFeature;
inline constexpr PhaseSet kAllPhases = kLoginStages | kFullFeature;

struct KeyRow {
  std::string_view name;
  std::string_view rfc_section;  // "RFC 7143 §13.13"
  ValueType type;
  ResultFunction function;
  Scope scope;
  Use use;
  Senders senders;
  // The phases in which each side may send the key. Declarative identity keys travel in either
  // login stage (they are in the first Login Request, RFC 7143 §6.3.1), negotiated operational
  // keys only in the operational stage (RFC 7143 §6.3.3), security keys only in the security
  // stage (C104).
  PhaseSet initiator_phases;
  PhaseSet target_phases;
  std::string_view default_value;  // RFC default, "" when the RFC states none
  // Numeric range for numeric keys; for names and text, the length limit in max_value.
  std::uint64_t min_value;
  std::uint64_t max_value;
  std::span<const std::string_view> vocabulary;  // list and enumerated values
  bool irrelevant_in_discovery;  // answered Irrelevant in a Discovery session (C068)
  bool repeatable;               // may repeat in SendTargets output (RFC 7143 §6.2)
  bool empty_value_allowed;      // SendTargets= (RFC 7143 §13.3)
  bool since_rfc7143;            // new in RFC 7143 or later: RFC 3720 peers answer NotUnderstood
};

// Every row, in RFC section order.
std::span<const KeyRow> key_table();

// The row of a key (case-sensitive, RFC 7143 §6.1), or nullptr for unknown and private keys.
const KeyRow* find_key(std::string_view name);

// The phases in which `sender` may send the row's key.
PhaseSet allowed_phases(const KeyRow& row, Role sender);
bool may_send(const KeyRow& row, Role sender);

Role peer_of(Role role);

std::string_view to_string(Role role);
std::string_view to_string(Phase phase);
std::string_view to_string(ValueType type);
std::string_view to_string(ResultFunction function);
std::string_view to_string(Scope scope);
std::string_view to_string(Use use);  // "LO", "IO", "FFPO", "ALL", "security"
std::string_view to_string(Senders senders);

}  // namespace iscsi::negotiation
