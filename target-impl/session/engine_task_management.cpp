// Task management (RFC 7143 §11.5, §11.6; digest §5.10): the session aborts its own iSCSI
// tasks, the Port applies the SCSI side effects, and functions that reach other sessions are
// reported as TaskManagementApplied for the server.
#include <fmt/format.h>

#include "core/common/serial.hpp"
#include "target-impl/session/engine_impl.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

void SessionEngine::Impl::process_tmf(const pdu::Pdu& pdu) {
  const auto& request = std::get<pdu::TaskMgmtRequest>(pdu.header);
  const auto function = request.function;
  if (function != pdu::TmfFunction::abort_task && function != pdu::TmfFunction::task_reassign &&
      request.referenced_task_tag != pdu::kReservedTag) {
    report(v::kTmfReferencedTag,
           fmt::format("{} carries Referenced Task Tag 0x{:08x} instead of 0xffffffff",
                       pdu::to_string(function), request.referenced_task_tag));
  }
  pdu::TmfResponse response = pdu::TmfResponse::function_not_supported;
  bool known = true;
  switch (function) {
    case pdu::TmfFunction::abort_task:
      response = abort_task(request);
      break;
    case pdu::TmfFunction::abort_task_set:
    case pdu::TmfFunction::clear_aca:
    case pdu::TmfFunction::clear_task_set:
    case pdu::TmfFunction::logical_unit_reset:
      response = lun_function(request);
      break;
    case pdu::TmfFunction::target_warm_reset:
    case pdu::TmfFunction::target_cold_reset:
      response = target_reset(request);
      break;
    case pdu::TmfFunction::task_reassign:
      // RFC 7143 §11.5.1: TASK REASSIGN needs ErrorRecoveryLevel 2 (C158).
      response = pdu::TmfResponse::task_allegiance_reassignment_not_supported;
      break;
    case pdu::TmfFunction::query_task:
    case pdu::TmfFunction::query_task_set:
    case pdu::TmfFunction::i_t_nexus_reset:
    case pdu::TmfFunction::query_asynchronous_event:
      // RFC 7144 functions (iSCSIProtocolLevel 2) are not implemented.
      response = pdu::TmfResponse::function_not_supported;
      break;
    default:  // a value outside the enumeration: an undefined function code
      known = false;
      break;
  }
  if (!known) {
    report(v::kTmfUndefinedFunction,
           fmt::format("Task Management Function Request ITT 0x{:08x} with undefined function {}",
                       request.itt, static_cast<unsigned>(function)));
  }
  pdu::TaskMgmtResponse answer;
  answer.response = response;
  answer.itt = request.itt;
  queue_pdu(pdu::Pdu{answer, {}, {}});
  if (function == pdu::TmfFunction::target_cold_reset &&
      response == pdu::TmfResponse::function_complete) {
    // RFC 7143 §11.5.1: after the response to a TARGET COLD RESET the connections drop (C159).
    close(true, "TARGET COLD RESET");
  }
}

pdu::TmfResponse SessionEngine::Impl::abort_task(const pdu::TaskMgmtRequest& request) {
  const auto it = tasks_.find(request.referenced_task_tag);
  if (it != tasks_.end()) {
    const pdu::Lun lun = it->second.lun;
    drop_task(request.referenced_task_tag);
    setup_.port->task_management(setup_.nexus, scsi::TaskManagement::abort_task, lun);
    return pdu::TmfResponse::function_complete;
  }
  // RFC 7143 §11.5.1: a task not received yet whose RefCmdSN is inside the window and before
  // the TMF's CmdSN is "aborted" too: it is discarded when it arrives (C154).
  if (serial_in_window(request.ref_cmd_sn, window_.exp_cmd_sn(), max_cmd_sn_) &&
      serial_lt(request.ref_cmd_sn, request.cmd_sn) &&
      window_.abort_command(request.ref_cmd_sn)) {
    return pdu::TmfResponse::function_complete;
  }
  return pdu::TmfResponse::task_does_not_exist;
}

namespace {

scsi::TaskManagement device_function(pdu::TmfFunction function) {
  switch (function) {
    case pdu::TmfFunction::abort_task_set:
      return scsi::TaskManagement::abort_task_set;
    case pdu::TmfFunction::clear_aca:
      return scsi::TaskManagement::clear_aca;
    case pdu::TmfFunction::clear_task_set:
      return scsi::TaskManagement::clear_task_set;
    case pdu::TmfFunction::logical_unit_reset:
      return scsi::TaskManagement::logical_unit_reset;
    case pdu::TmfFunction::target_warm_reset:
      return scsi::TaskManagement::target_warm_reset;
    case pdu::TmfFunction::target_cold_reset:
      return scsi::TaskManagement::target_cold_reset;
    default:
      return scsi::TaskManagement::abort_task;
  }
}

}  // namespace

pdu::TmfResponse SessionEngine::Impl::lun_function(const pdu::TaskMgmtRequest& request) {
  if (!setup_.port->has_lun(request.lun)) return pdu::TmfResponse::lun_does_not_exist;
  const scsi::TaskManagement function = device_function(request.function);
  if (function != scsi::TaskManagement::clear_aca) {
    abort_matching(request.lun, request.cmd_sn, true);
  }
  if (!setup_.port->task_management(setup_.nexus, function, request.lun)) {
    return pdu::TmfResponse::lun_does_not_exist;
  }
  // CLEAR TASK SET and LU RESET reach the tasks of every nexus (SAM-5 §7.4, §7.7).
  if (function == scsi::TaskManagement::clear_task_set ||
      function == scsi::TaskManagement::logical_unit_reset) {
    queue_output(TaskManagementApplied{function, request.lun});
  }
  return pdu::TmfResponse::function_complete;
}

pdu::TmfResponse SessionEngine::Impl::target_reset(const pdu::TaskMgmtRequest& request) {
  const scsi::TaskManagement function = device_function(request.function);
  abort_matching(std::nullopt, request.cmd_sn, true);
  setup_.port->task_management(setup_.nexus, function, request.lun);
  queue_output(TaskManagementApplied{function, request.lun});
  return pdu::TmfResponse::function_complete;
}

void SessionEngine::Impl::abort_matching(std::optional<pdu::Lun> lun, std::uint32_t before_cmd_sn,
                                         bool queued) {
  std::vector<std::uint32_t> itts;
  for (const auto& [itt, task] : tasks_) {
    if (!lun || task.lun == *lun) itts.push_back(itt);
  }
  for (std::uint32_t itt : itts) drop_task(itt);
  if (!queued) return;
  // Commands already received but waiting behind a CmdSN gap belong to the task set too, if
  // they were sent before the TMF.
  window_.discard_queued([&](const pdu::Pdu& pdu) {
    return pdu::opcode(pdu) == pdu::Opcode::scsi_command &&
           (!lun || pdu::lun(pdu.header) == lun) &&
           serial_lt(pdu::cmd_sn(pdu.header).value_or(before_cmd_sn), before_cmd_sn);
  });
}

void SessionEngine::Impl::drop_task(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it == tasks_.end()) return;
  if (it->second.transfer && !it->second.executing) {
    if (aborted_itts_.size() >= kMaxRememberedAbortedTasks) aborted_itts_.pop_front();
    aborted_itts_.push_back(itt);
  }
  // A task still waiting for its CmdSN turn: its queue entry is discarded when it comes.
  if (!it->second.delivered) (void)window_.abort_command(it->second.cmd_sn);
  end_task(itt);
}

}  // namespace iscsi::target::session
