#include "core/negotiation/parameters.hpp"

#include "core/text/values.hpp"

namespace iscsi::negotiation {
namespace {

// Numbers were range-checked against the key's row, so they fit their fields.
std::uint32_t as_u32(std::string_view value) {
  auto number = text::parse_number(value);
  return number ? static_cast<std::uint32_t>(*number) : 0;
}

bool as_bool(std::string_view value) { return value == text::kYes; }

std::vector<std::string> as_strings(std::string_view value) {
  std::vector<std::string> out;
  auto items = text::parse_list(value);
  if (!items) return out;
  for (const auto item : *items) out.emplace_back(item);
  return out;
}

bool apply_connection_result(std::string_view key, std::string_view value, Role declarer,
                             ConnectionParameters& connection) {
  if (key == "AuthMethod") {
    connection.auth_method = std::string(value);
  } else if (key == "HeaderDigest") {
    connection.header_digest = parse_digest(value).value_or(Digest::none);
  } else if (key == "DataDigest") {
    connection.data_digest = parse_digest(value).value_or(Digest::none);
  } else if (key == "MaxRecvDataSegmentLength") {
    auto& field = declarer == Role::initiator ? connection.initiator_max_recv_data_segment_length
                                              : connection.target_max_recv_data_segment_length;
    field = as_u32(value);
  } else {
    return false;
  }
  return true;
}

bool apply_identity_result(std::string_view key, std::string_view value, Role declarer,
                           SessionParameters& session) {
  if (key == "SessionType") {
    session.session_type = parse_session_type(value).value_or(SessionType::normal);
  } else if (key == "InitiatorName") {
    session.initiator_name = std::string(value);
  } else if (key == "InitiatorAlias") {
    session.initiator_alias = std::string(value);
  } else if (key == "TargetName") {
    session.target_name = std::string(value);
  } else if (key == "TargetAlias") {
    session.target_alias = std::string(value);
  } else if (key == "TargetPortalGroupTag") {
    session.target_portal_group_tag = static_cast<std::uint16_t>(as_u32(value));
  } else if (key == "X#NodeArchitecture") {
    (declarer == Role::initiator ? session.initiator_node_architecture
                                 : session.target_node_architecture) = as_strings(value);
  } else {
    return false;
  }
  return true;
}

void apply_operational_result(std::string_view key, std::string_view value,
                              SessionParameters& session) {
  if (key == "MaxConnections") session.max_connections = as_u32(value);
  if (key == "InitialR2T") session.initial_r2t = as_bool(value);
  if (key == "ImmediateData") session.immediate_data = as_bool(value);
  if (key == "MaxBurstLength") session.max_burst_length = as_u32(value);
  if (key == "FirstBurstLength") session.first_burst_length = as_u32(value);
  if (key == "DefaultTime2Wait") session.default_time2wait = as_u32(value);
  if (key == "DefaultTime2Retain") session.default_time2retain = as_u32(value);
  if (key == "MaxOutstandingR2T") session.max_outstanding_r2t = as_u32(value);
  if (key == "DataPDUInOrder") session.data_pdu_in_order = as_bool(value);
  if (key == "DataSequenceInOrder") session.data_sequence_in_order = as_bool(value);
  if (key == "ErrorRecoveryLevel") {
    session.error_recovery_level = static_cast<std::uint8_t>(as_u32(value));
  }
  if (key == "TaskReporting") {
    session.task_reporting = parse_task_reporting(value).value_or(TaskReporting::rfc3720);
  }
  if (key == "iSCSIProtocolLevel") {
    session.iscsi_protocol_level = static_cast<std::uint8_t>(as_u32(value));
  }
}

}  // namespace

std::string_view to_string(Digest digest) {
  switch (digest) {
    case Digest::none:
      return "None";
    case Digest::crc32c:
      return "CRC32C";
  }
  return "None";
}

std::string_view to_string(SessionType type) {
  switch (type) {
    case SessionType::normal:
      return "Normal";
    case SessionType::discovery:
      return "Discovery";
  }
  return "Normal";
}

std::string_view to_string(TaskReporting reporting) {
  switch (reporting) {
    case TaskReporting::rfc3720:
      return "RFC3720";
    case TaskReporting::response_fence:
      return "ResponseFence";
    case TaskReporting::fast_abort:
      return "FastAbort";
  }
  return "RFC3720";
}

std::optional<Digest> parse_digest(std::string_view value) {
  if (value == "None") return Digest::none;
  if (value == "CRC32C") return Digest::crc32c;
  return std::nullopt;
}

std::optional<SessionType> parse_session_type(std::string_view value) {
  if (value == "Normal") return SessionType::normal;
  if (value == "Discovery") return SessionType::discovery;
  return std::nullopt;
}

std::optional<TaskReporting> parse_task_reporting(std::string_view value) {
  if (value == "RFC3720") return TaskReporting::rfc3720;
  if (value == "ResponseFence") return TaskReporting::response_fence;
  if (value == "FastAbort") return TaskReporting::fast_abort;
  return std::nullopt;
}

void apply_result(std::string_view key, std::string_view value, Role declarer,
                  SessionParameters& session, ConnectionParameters& connection) {
  if (apply_connection_result(key, value, declarer, connection)) return;
  if (apply_identity_result(key, value, declarer, session)) return;
  apply_operational_result(key, value, session);
}

}  // namespace iscsi::negotiation
