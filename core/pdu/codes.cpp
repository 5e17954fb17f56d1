#include "core/pdu/codes.hpp"

namespace iscsi::pdu {

std::string_view to_string(TaskAttribute value) {
  switch (value) {
    case TaskAttribute::untagged:
      return "Untagged";
    case TaskAttribute::simple:
      return "Simple";
    case TaskAttribute::ordered:
      return "Ordered";
    case TaskAttribute::head_of_queue:
      return "Head of Queue";
    case TaskAttribute::aca:
      return "ACA";
  }
  return "reserved";
}

std::string_view to_string(Stage value) {
  switch (value) {
    case Stage::security_negotiation:
      return "SecurityNegotiation";
    case Stage::login_operational_negotiation:
      return "LoginOperationalNegotiation";
    case Stage::reserved:
      return "reserved";
    case Stage::full_feature_phase:
      return "FullFeaturePhase";
  }
  return "reserved";
}

std::string_view to_string(ScsiResponseCode value) {
  switch (value) {
    case ScsiResponseCode::command_completed_at_target:
      return "Command Completed at Target";
    case ScsiResponseCode::target_failure:
      return "Target Failure";
  }
  return static_cast<std::uint8_t>(value) >= 0x80 ? "vendor-specific" : "reserved";
}

std::string_view to_string(TmfFunction value) {
  switch (value) {
    case TmfFunction::abort_task:
      return "ABORT TASK";
    case TmfFunction::abort_task_set:
      return "ABORT TASK SET";
    case TmfFunction::clear_aca:
      return "CLEAR ACA";
    case TmfFunction::clear_task_set:
      return "CLEAR TASK SET";
    case TmfFunction::logical_unit_reset:
      return "LOGICAL UNIT RESET";
    case TmfFunction::target_warm_reset:
      return "TARGET WARM RESET";
    case TmfFunction::target_cold_reset:
      return "TARGET COLD RESET";
    case TmfFunction::task_reassign:
      return "TASK REASSIGN";
    case TmfFunction::query_task:
      return "QUERY TASK";
    case TmfFunction::query_task_set:
      return "QUERY TASK SET";
    case TmfFunction::i_t_nexus_reset:
      return "I_T NEXUS RESET";
    case TmfFunction::query_asynchronous_event:
      return "QUERY ASYNCHRONOUS EVENT";
  }
  return "reserved";
}

std::string_view to_string(TmfResponse value) {
  switch (value) {
    case TmfResponse::function_complete:
      return "Function complete";
    case TmfResponse::task_does_not_exist:
      return "Task does not exist";
    case TmfResponse::lun_does_not_exist:
      return "LUN does not exist";
    case TmfResponse::task_still_allegiant:
      return "Task still allegiant";
    case TmfResponse::task_allegiance_reassignment_not_supported:
      return "Task allegiance reassignment not supported";
    case TmfResponse::function_not_supported:
      return "Task management function not supported";
    case TmfResponse::function_authorization_failed:
      return "Function authorization failed";
    case TmfResponse::function_rejected:
      return "Function rejected";
  }
  return "reserved";
}

std::string_view to_string(LogoutReason value) {
  switch (value) {
    case LogoutReason::close_session:
      return "close the session";
    case LogoutReason::close_connection:
      return "close the connection";
    case LogoutReason::remove_connection_for_recovery:
      return "remove the connection for recovery";
  }
  return "reserved";
}

std::string_view to_string(LogoutResponseCode value) {
  switch (value) {
    case LogoutResponseCode::closed_successfully:
      return "connection or session closed successfully";
    case LogoutResponseCode::cid_not_found:
      return "CID not found";
    case LogoutResponseCode::connection_recovery_not_supported:
      return "connection recovery is not supported";
    case LogoutResponseCode::cleanup_failed:
      return "cleanup failed for various reasons";
  }
  return "reserved";
}

std::string_view to_string(RejectReason value) {
  switch (value) {
    case RejectReason::data_digest_error:
      return "Data (payload) digest error";
    case RejectReason::snack_reject:
      return "SNACK Reject";
    case RejectReason::protocol_error:
      return "Protocol Error";
    case RejectReason::command_not_supported:
      return "Command not supported";
    case RejectReason::immediate_command_reject:
      return "Immediate command reject - too many immediate commands";
    case RejectReason::task_in_progress:
      return "Task in progress";
    case RejectReason::invalid_data_ack:
      return "Invalid data ack";
    case RejectReason::invalid_pdu_field:
      return "Invalid PDU field";
    case RejectReason::long_operation_reject:
      return "Long op reject - Can't generate Target Transfer Tag - out of resources";
    case RejectReason::deprecated_negotiation_reset:
      return "Deprecated; MUST NOT be used";
    case RejectReason::waiting_for_logout:
      return "Waiting for Logout";
  }
  return "reserved";
}

std::string_view to_string(AsyncEvent value) {
  switch (value) {
    case AsyncEvent::scsi_async_event:
      return "SCSI asynchronous event";
    case AsyncEvent::logout_request:
      return "target requests Logout";
    case AsyncEvent::connection_drop:
      return "target will drop the connection";
    case AsyncEvent::session_drop:
      return "target will drop all connections of the session";
    case AsyncEvent::parameter_negotiation:
      return "target requests parameter negotiation";
    case AsyncEvent::task_termination:
      return "all active tasks for a LU with a matching LUN field will be terminated";
    case AsyncEvent::vendor_specific:
      return "vendor-specific";
  }
  return "reserved";
}

std::string_view to_string(SnackType value) {
  switch (value) {
    case SnackType::data_r2t:
      return "Data/R2T SNACK";
    case SnackType::status:
      return "Status SNACK";
    case SnackType::data_ack:
      return "DataACK";
    case SnackType::r_data:
      return "R-Data SNACK";
  }
  return "reserved";
}

bool reject_allows_resend(RejectReason reason) {
  return reason == RejectReason::data_digest_error || reason == RejectReason::snack_reject ||
         reason == RejectReason::immediate_command_reject ||
         reason == RejectReason::long_operation_reject;
}

}  // namespace iscsi::pdu
