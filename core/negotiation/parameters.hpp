#pragma once
// The negotiated operational parameters that the login, full-feature, data-transfer and
// recovery engines read (RFC 7143 §13). They start at the RFC defaults; the negotiator updates
// them as results arrive.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/negotiation/key_table.hpp"

namespace iscsi::negotiation {

enum class Digest { none, crc32c };  // RFC 7143 §13.1
enum class SessionType { normal, discovery };  // RFC 7143 §13.21
enum class TaskReporting { rfc3720, response_fence, fast_abort };  // RFC 7143 §13.23

std::string_view to_string(Digest digest);
std::string_view to_string(SessionType type);
std::string_view to_string(TaskReporting reporting);
std::optional<Digest> parse_digest(std::string_view value);
std::optional<SessionType> parse_session_type(std::string_view value);
std::optional<TaskReporting> parse_task_reporting(std::string_view value);

// Session-wide results (Scope SW).
struct SessionParameters {
  SessionType session_type = SessionType::normal;
  std::string initiator_name;
  std::string initiator_alias;
  std::string target_name;
  std::string target_alias;
  std::optional<std::uint16_t> target_portal_group_tag;
  std::vector<std::string> initiator_node_architecture;  // X#NodeArchitecture
  std::vector<std::string> target_node_architecture;
  std::uint32_t max_connections = 1;
  bool initial_r2t = true;
  bool immediate_data = true;
  std::uint32_t max_burst_length = 262144;
  std::uint32_t first_burst_length = 65536;  // never above max_burst_length (C059)
  std::uint32_t default_time2wait = 2;
  std::uint32_t default_time2retain = 20;
  std::uint32_t max_outstanding_r2t = 1;
  bool data_pdu_in_order = true;
  bool data_sequence_in_order = true;
  std::uint8_t error_recovery_level = 0;
  TaskReporting task_reporting = TaskReporting::rfc3720;
  std::uint8_t iscsi_protocol_level = 1;
  bool operator==(const SessionParameters&) const = default;
};

// Connection-only results (Scope CO). MaxRecvDataSegmentLength is declared by each side for
// what it can receive (RFC 7143 §13.12), so both directions are kept.
struct ConnectionParameters {
  std::string auth_method = "None";  // the AuthMethod result (RFC 7143 §12.1)
  Digest header_digest = Digest::none;
  Digest data_digest = Digest::none;
  std::uint32_t initiator_max_recv_data_segment_length = 8192;
  std::uint32_t target_max_recv_data_segment_length = 8192;

  // The largest data segment `sender` may send: what its peer declared it can receive.
  std::uint32_t max_send_data_segment_length(Role sender) const {
    return sender == Role::initiator ? target_max_recv_data_segment_length
                                     : initiator_max_recv_data_segment_length;
  }
  std::uint32_t max_recv_data_segment_length(Role receiver) const {
    return receiver == Role::initiator ? initiator_max_recv_data_segment_length
                                       : target_max_recv_data_segment_length;
  }
  bool operator==(const ConnectionParameters&) const = default;
};

// Stores one result: `value` is already validated against the key's row. `declarer` is the
// side that stated it (for the per-direction declaratives: MaxRecvDataSegmentLength and
// X#NodeArchitecture). Keys without a typed field are ignored.
void apply_result(std::string_view key, std::string_view value, Role declarer,
                  SessionParameters& session, ConnectionParameters& connection);

}  // namespace iscsi::negotiation
