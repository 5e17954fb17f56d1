#include "core/negotiation/key_table.hpp"

#include <algorithm>
#include <array>

namespace iscsi::negotiation {
namespace {

// Vocabularies (RFC 7143 §12.1, §13.1, §13.21, §13.23).
constexpr std::array<std::string_view, 4> kAuthMethods{"KRB5", "SRP", "CHAP", "None"};
constexpr std::array<std::string_view, 2> kDigests{"CRC32C", "None"};
constexpr std::array<std::string_view, 2> kSessionTypes{"Discovery", "Normal"};
constexpr std::array<std::string_view, 3> kTaskReporting{"RFC3720", "ResponseFence",
                                                         "FastAbort"};
constexpr std::span<const std::string_view> kNoVocabulary{};

constexpr std::uint64_t kMaxDataLength = 16777215;  // 2^24 - 1 (RFC 7143 §13.12-§13.14)
constexpr std::uint64_t kMaxNameBytes = 223;        // iSCSI names (RFC 7143 §4.2.7.1 ≈)
constexpr std::uint64_t kMaxLocalNameBytes = 255;   // aliases (RFC 7143 §13.6, §13.7)

constexpr auto SW = Scope::session_wide;
constexpr auto CO = Scope::connection_only;

// Shorthand builders keep the table one readable line per column group.
constexpr KeyRow auth_row(std::string_view name, std::string_view section, Senders senders) {
  const PhaseSet i = senders == Senders::target ? kNoPhase : kSecurityStage;
  const PhaseSet t = senders == Senders::initiator ? kNoPhase : kSecurityStage;
  return KeyRow{name, section, ValueType::auth_item, ResultFunction::auth_method, CO,
                Use::security, senders, i, t, "", 0, 0, kNoVocabulary, false, false, false,
                false};
}

constexpr KeyRow numeric_row(std::string_view name, std::string_view section, ResultFunction fn,
                             std::string_view default_value, std::uint64_t min_value,
                             std::uint64_t max_value, bool irrelevant_in_discovery,
                             bool since_rfc7143 = false) {
  return KeyRow{name, section, ValueType::numeric, fn, SW, Use::leading_only, Senders::both,
                kOperationalStage, kOperationalStage, default_value, min_value, max_value,
                kNoVocabulary, irrelevant_in_discovery, false, false, since_rfc7143};
}

constexpr KeyRow boolean_row(std::string_view name, std::string_view section, ResultFunction fn,
                             std::string_view default_value) {
  return KeyRow{name, section, ValueType::boolean, fn, SW, Use::leading_only, Senders::both,
                kOperationalStage, kOperationalStage, default_value, 0, 0, kNoVocabulary, true,
                false, false, false};
}

constexpr KeyRow marker_row(std::string_view name, ValueType type,
                            std::string_view default_value) {
  return KeyRow{name, "RFC 7143 §13.25", type, ResultFunction::obsolete, CO, Use::initial_only,
                Senders::both, kOperationalStage, kOperationalStage, default_value,
                type == ValueType::numeric_range ? 1U : 0U,
                type == ValueType::numeric_range ? 65535U : 0U, kNoVocabulary, false, false,
                false, false};
}

using F = ResultFunction;
using V = ValueType;

// clang-format off
constexpr std::array kTable{
  KeyRow{"AuthMethod", "RFC 7143 §12.1", V::list, F::list_select, CO, Use::security,
         Senders::both, kSecurityStage, kSecurityStage, "None", 0, 0, kAuthMethods,
         false, false, false, false},
  auth_row("KRB_AP_REQ", "RFC 7143 §12.1.1", Senders::initiator),
  auth_row("KRB_AP_REP", "RFC 7143 §12.1.1", Senders::target),
  auth_row("SRP_U", "RFC 7143 §12.1.2", Senders::initiator),
  auth_row("TargetAuth", "RFC 7143 §12.1.2", Senders::initiator),
  auth_row("SRP_GROUP", "RFC 7143 §12.1.2", Senders::target),
  auth_row("SRP_s", "RFC 7143 §12.1.2", Senders::target),
  auth_row("SRP_A", "RFC 7143 §12.1.2", Senders::initiator),
  auth_row("SRP_B", "RFC 7143 §12.1.2", Senders::target),
  auth_row("SRP_M", "RFC 7143 §12.1.2", Senders::initiator),
  auth_row("SRP_HM", "RFC 7143 §12.1.2", Senders::target),
  auth_row("CHAP_A", "RFC 7143 §12.1.3", Senders::both),
  auth_row("CHAP_I", "RFC 7143 §12.1.3", Senders::both),
  auth_row("CHAP_C", "RFC 7143 §12.1.3", Senders::both),
  auth_row("CHAP_N", "RFC 7143 §12.1.3", Senders::both),
  auth_row("CHAP_R", "RFC 7143 §12.1.3", Senders::both),
  KeyRow{"HeaderDigest", "RFC 7143 §13.1", V::list, F::list_select, CO, Use::initial_only,
         Senders::both, kOperationalStage, kOperationalStage, "None", 0, 0, kDigests,
         false, false, false, false},
  KeyRow{"DataDigest", "RFC 7143 §13.1", V::list, F::list_select, CO, Use::initial_only,
         Senders::both, kOperationalStage, kOperationalStage, "None", 0, 0, kDigests,
         false, false, false, false},
  numeric_row("MaxConnections", "RFC 7143 §13.2", F::minimum, "1", 1, 65535, true),
  KeyRow{"SendTargets", "RFC 7143 §13.3", V::text, F::query, SW, Use::full_feature_only,
         Senders::initiator, kFullFeature, kNoPhase, "", 0, 255, kNoVocabulary,
         false, false, true, false},
  KeyRow{"TargetName", "RFC 7143 §13.4", V::iscsi_name, F::declarative, SW, Use::initial_only,
         Senders::both, kLoginStages, kFullFeature, "", 1, kMaxNameBytes, kNoVocabulary,
         false, true, false, false},
  KeyRow{"InitiatorName", "RFC 7143 §13.5", V::iscsi_name, F::declarative, SW,
         Use::initial_only, Senders::initiator, kLoginStages, kNoPhase, "", 1, kMaxNameBytes,
         kNoVocabulary, false, false, false, false},
  KeyRow{"TargetAlias", "RFC 7143 §13.6", V::local_name, F::declarative, SW, Use::all,
         Senders::target, kNoPhase, kAllPhases, "", 0, kMaxLocalNameBytes, kNoVocabulary,
         false, false, false, false},
  KeyRow{"InitiatorAlias", "RFC 7143 §13.7", V::local_name, F::declarative, SW, Use::all,
         Senders::initiator, kAllPhases, kNoPhase, "", 0, kMaxLocalNameBytes, kNoVocabulary,
         false, false, false, false},
  KeyRow{"TargetAddress", "RFC 7143 §13.8", V::target_address, F::declarative, SW, Use::all,
         Senders::target, kNoPhase, kAllPhases, "", 0, 0, kNoVocabulary,
         false, true, false, false},
  KeyRow{"TargetPortalGroupTag", "RFC 7143 §13.9", V::numeric, F::declarative, SW,
         Use::initial_only, Senders::target, kNoPhase, kLoginStages, "", 0, 65535,
         kNoVocabulary, false, false, false, false},
  boolean_row("InitialR2T", "RFC 7143 §13.10", F::logical_or, "Yes"),
  boolean_row("ImmediateData", "RFC 7143 §13.11", F::logical_and, "Yes"),
  KeyRow{"MaxRecvDataSegmentLength", "RFC 7143 §13.12", V::numeric, F::declarative, CO,
         Use::all, Senders::both, kOperationalAndFullFeature, kOperationalAndFullFeature,
         "8192", 512, kMaxDataLength, kNoVocabulary, false, false, false, false},
  numeric_row("MaxBurstLength", "RFC 7143 §13.13", F::minimum, "262144", 512, kMaxDataLength,
              true),
  numeric_row("FirstBurstLength", "RFC 7143 §13.14", F::minimum, "65536", 512, kMaxDataLength,
              true),
  numeric_row("DefaultTime2Wait", "RFC 7143 §13.15", F::maximum, "2", 0, 3600, false),
  numeric_row("DefaultTime2Retain", "RFC 7143 §13.16", F::minimum, "20", 0, 3600, false),
  numeric_row("MaxOutstandingR2T", "RFC 7143 §13.17", F::minimum, "1", 1, 65535, true),
  boolean_row("DataPDUInOrder", "RFC 7143 §13.18", F::logical_or, "Yes"),
  boolean_row("DataSequenceInOrder", "RFC 7143 §13.19", F::logical_or, "Yes"),
  numeric_row("ErrorRecoveryLevel", "RFC 7143 §13.20", F::minimum, "0", 0, 2, false),
  KeyRow{"SessionType", "RFC 7143 §13.21", V::enumerated, F::declarative, SW,
         Use::leading_only, Senders::initiator, kLoginStages, kNoPhase, "Normal", 0, 0,
         kSessionTypes, false, false, false, false},
  KeyRow{"TaskReporting", "RFC 7143 §13.23", V::list, F::list_select, SW, Use::leading_only,
         Senders::both, kOperationalStage, kOperationalStage, "RFC3720", 0, 0, kTaskReporting,
         true, false, false, true},
  numeric_row("iSCSIProtocolLevel", "RFC 7143 §13.24", F::minimum, "1", 0, 31, true, true),
  marker_row("IFMarker", V::boolean, "No"),
  marker_row("OFMarker", V::boolean, "No"),
  marker_row("OFMarkInt", V::numeric_range, "2048"),
  marker_row("IFMarkInt", V::numeric_range, "2048"),
  KeyRow{"X#NodeArchitecture", "RFC 7143 §13.26", V::string_list, F::declarative, SW,
         Use::leading_only, Senders::both, kLoginStages, kLoginStages, "", 0, 255,
         kNoVocabulary, false, false, false, true},
};
// clang-format on

}  // namespace

std::span<const KeyRow> key_table() { return kTable; }

const KeyRow* find_key(std::string_view name) {
  const auto it = std::find_if(kTable.begin(), kTable.end(),
                               [&](const KeyRow& row) { return row.name == name; });
  return it == kTable.end() ? nullptr : &*it;
}

PhaseSet allowed_phases(const KeyRow& row, Role sender) {
  return sender == Role::initiator ? row.initiator_phases : row.target_phases;
}

bool may_send(const KeyRow& row, Role sender) {
  switch (row.senders) {
    case Senders::initiator:
      return sender == Role::initiator;
    case Senders::target:
      return sender == Role::target;
    case Senders::both:
      return true;
  }
  return false;
}

Role peer_of(Role role) { return role == Role::initiator ? Role::target : Role::initiator; }

std::string_view to_string(Role role) {
  switch (role) {
    case Role::initiator:
      return "initiator";
    case Role::target:
      return "target";
  }
  return "?";
}

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::security:
      return "security";
    case Phase::operational:
      return "operational";
    case Phase::full_feature:
      return "full-feature";
  }
  return "?";
}

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::list:
      return "list";
    case ValueType::boolean:
      return "boolean";
    case ValueType::numeric:
      return "numeric";
    case ValueType::enumerated:
      return "enumerated";
    case ValueType::iscsi_name:
      return "iscsi-name";
    case ValueType::local_name:
      return "local-name";
    case ValueType::target_address:
      return "target-address";
    case ValueType::text:
      return "text";
    case ValueType::numeric_range:
      return "numeric-range";
    case ValueType::string_list:
      return "string-list";
    case ValueType::auth_item:
      return "auth-item";
  }
  return "?";
}

std::string_view to_string(ResultFunction function) {
  switch (function) {
    case ResultFunction::list_select:
      return "list";
    case ResultFunction::logical_and:
      return "AND";
    case ResultFunction::logical_or:
      return "OR";
    case ResultFunction::minimum:
      return "Min";
    case ResultFunction::maximum:
      return "Max";
    case ResultFunction::declarative:
      return "declarative";
    case ResultFunction::query:
      return "query";
    case ResultFunction::auth_method:
      return "auth";
    case ResultFunction::obsolete:
      return "obsolete";
  }
  return "?";
}

std::string_view to_string(Scope scope) {
  switch (scope) {
    case Scope::session_wide:
      return "SW";
    case Scope::connection_only:
      return "CO";
  }
  return "?";
}

std::string_view to_string(Use use) {
  switch (use) {
    case Use::security:
      return "security";
    case Use::leading_only:
      return "LO";
    case Use::initial_only:
      return "IO";
    case Use::full_feature_only:
      return "FFPO";
    case Use::all:
      return "ALL";
  }
  return "?";
}

std::string_view to_string(Senders senders) {
  switch (senders) {
    case Senders::initiator:
      return "I";
    case Senders::target:
      return "T";
    case Senders::both:
      return "I,T";
  }
  return "?";
}

}  // namespace iscsi::negotiation
