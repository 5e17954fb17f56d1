#pragma once
// Local negotiation policy: our configured value for every key, and the few behaviour choices
// that the RFC leaves open. Profiles of real peers are values of this struct, never code
// (e.g. tgt 1.0.85: digests {"None"}, ERL 0, Irrelevant never answered, markers answered No,
// MaxRecvDataSegmentLength not declared; see reference/peer-behaviour.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "core/negotiation/key_table.hpp"
#include "core/negotiation/parameters.hpp"

namespace iscsi::negotiation {

struct LocalPolicy {
  // Identity, declared by the side that owns it (empty = not declared).
  std::string initiator_name;   // initiator: declared in the first Login Request
  std::string initiator_alias;  // initiator
  std::string target_name;      // initiator: the target to log in to (Normal sessions)
  std::string target_alias;     // target
  std::optional<std::uint16_t> target_portal_group_tag;  // target (RFC 7143 §13.9)
  SessionType session_type = SessionType::normal;         // initiator: declared unless Normal
  bool declare_session_type = true;  // initiator: send SessionType even when Normal
  std::vector<std::string> node_architecture;  // X#NodeArchitecture, declared when non-empty

  // Values of the negotiated keys: what we offer as originator, and what we accept as
  // responder. Lists are in our order of preference. RFC defaults unless configured.
  std::vector<std::string> auth_methods{"None"};
  std::vector<std::string> header_digests{"None"};
  std::vector<std::string> data_digests{"None"};
  std::uint32_t max_connections = 1;
  bool initial_r2t = true;
  bool immediate_data = true;
  std::uint32_t max_recv_data_segment_length = 8192;  // what we can receive (declared)
  std::uint32_t max_burst_length = 262144;
  std::uint32_t first_burst_length = 65536;
  std::uint32_t default_time2wait = 2;
  std::uint32_t default_time2retain = 20;
  std::uint32_t max_outstanding_r2t = 1;
  bool data_pdu_in_order = true;
  bool data_sequence_in_order = true;
  std::uint8_t error_recovery_level = 0;
  std::vector<std::string> task_reporting{"RFC3720"};
  std::uint8_t iscsi_protocol_level = 1;

  // The negotiated (non-declarative) keys we originate, in this order. AuthMethod is offered
  // in the security stage, the others in the operational stage.
  std::vector<std::string> offer_keys;
  // Declare MaxRecvDataSegmentLength in the operational stage (tgt 1.0.85 does not).
  bool declare_max_recv_data_segment_length = true;
  // RFC 7143 §6.2 MAY: answer Irrelevant to keys that do not apply to a Discovery session
  // (C068); tgt and libiscsi-era targets negotiate them normally instead.
  bool answer_irrelevant_in_discovery = true;
  // RFC 7143 §13.25: IFMarker/OFMarker SHOULD be answered Reject; tgt answers "No".
  bool answer_markers_with_no = false;
  // RFC 7143 §6.2.2: the answer to an AND key offered No or an OR key offered Yes may be
  // omitted. Answering is always legal, and is what tgt and LIO do.
  bool omit_optional_boolean_answers = false;
};

// RFC defaults, AuthMethod None, offering the operational keys open-iscsi offers.
LocalPolicy initiator_policy();
// RFC defaults, AuthMethod None, offering nothing (a target answers and declares).
LocalPolicy target_policy();

// Checks a configuration against the key table: numbers within range, list values from the
// key's vocabulary, FirstBurstLength <= MaxBurstLength (C059), names within 223 bytes,
// offer_keys naming negotiated keys. Fails with negotiation.bad-policy.
Result<void> validate_policy(const LocalPolicy& policy);

// Our value of a negotiated key as text ("CRC32C,None", "262144", "Yes"), nullopt for keys the
// policy has no value for (declaratives, auth items, unknown keys).
std::optional<std::string> policy_value(const LocalPolicy& policy, std::string_view key);

}  // namespace iscsi::negotiation
