// Task management (RFC 7143 §11.5, §11.6): requests sent as immediate commands, and the tasks
// a completed function ended.
#include <fmt/format.h>

#include <algorithm>

#include "core/common/serial.hpp"
#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

namespace {

bool defined_response(pdu::TmfResponse response) {
  switch (response) {
    case pdu::TmfResponse::function_complete:
    case pdu::TmfResponse::task_does_not_exist:
    case pdu::TmfResponse::lun_does_not_exist:
    case pdu::TmfResponse::task_still_allegiant:
    case pdu::TmfResponse::task_allegiance_reassignment_not_supported:
    case pdu::TmfResponse::function_not_supported:
    case pdu::TmfResponse::function_authorization_failed:
    case pdu::TmfResponse::function_rejected:
      return true;
  }
  return false;
}

// Which SCSI tasks a function ends (RFC 7143 §11.5.1): one task, the task set of a LUN, or
// every task of the session.
enum class Scope : std::uint8_t { none, one_task, lun, all };

Scope scope_of(pdu::TmfFunction function) {
  switch (function) {
    case pdu::TmfFunction::abort_task:
      return Scope::one_task;
    case pdu::TmfFunction::abort_task_set:
    case pdu::TmfFunction::clear_task_set:
    case pdu::TmfFunction::logical_unit_reset:
      return Scope::lun;
    case pdu::TmfFunction::target_warm_reset:
    case pdu::TmfFunction::target_cold_reset:
      return Scope::all;
    case pdu::TmfFunction::clear_aca:
    case pdu::TmfFunction::task_reassign:
    case pdu::TmfFunction::query_task:
    case pdu::TmfFunction::query_task_set:
    case pdu::TmfFunction::i_t_nexus_reset:
    case pdu::TmfFunction::query_asynchronous_event:
      return Scope::none;
  }
  return Scope::none;
}

}  // namespace

TaskId SessionEngine::Impl::task_management(pdu::TmfFunction function, pdu::Lun lun,
                                            std::optional<TaskId> referenced) {
  TaskManagementCompleted done;
  done.task = new_task_id();
  done.function = function;
  const auto refuse = [this, &done](FailureReason reason, std::string detail) {
    done.failure = Failure{reason, std::move(detail)};
    const TaskId id = done.task;
    queue_output(std::move(done));
    return id;
  };
  if (!accepting()) return refuse(FailureReason::session_closing, "the session is closing");
  if (discovery()) return refuse(FailureReason::invalid_request, "task management in Discovery");
  TmfTask tmf;
  tmf.id = done.task;
  tmf.function = function;
  tmf.lun = lun;
  if (referenced) {
    // A search: tasks are looked up by TaskId only here, so none keeps an index for it.
    const auto found = std::find_if(tasks_.begin(), tasks_.end(), [&](const auto& entry) {
      return entry.second.id == *referenced;
    });
    if (found == tasks_.end()) {
      return refuse(FailureReason::invalid_request,
                    fmt::format("task {} is not in progress", *referenced));
    }
    const ScsiTask& task = found->second;
    if (!task.sent) {
      // Never sent: nothing to ask the target; the command simply does not go out.
      done.aborted.push_back(task.id);
      fail_task(task.itt, Failure{FailureReason::aborted, "aborted before it was sent"});
      const TaskId id = done.task;
      queue_output(std::move(done));
      return id;
    }
    tmf.lun = task.request.lun;
    tmf.referenced_itt = task.itt;
  }
  tmf.itt = new_itt();
  tmf.cmd_sn = immediate_cmd_sn();
  // RFC 7143 §11.5: TMFs go as immediate commands; RTT and RefCmdSN name the task for ABORT
  // TASK, RTT is 0xffffffff otherwise (C161).
  pdu::TaskMgmtRequest request;
  request.immediate = true;
  request.function = function;
  request.lun = tmf.lun;
  request.itt = tmf.itt;
  request.referenced_task_tag = tmf.referenced_itt.value_or(pdu::kReservedTag);
  request.cmd_sn = tmf.cmd_sn;
  if (tmf.referenced_itt) request.ref_cmd_sn = tasks_.at(*tmf.referenced_itt).cmd_sn;
  tmfs_.emplace(tmf.itt, tmf);
  queue_pdu(pdu::Pdu{request, {}, {}});
  return tmf.id;
}

void SessionEngine::Impl::on_tmf_response(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::TaskMgmtResponse>(pdu.header);
  const auto found = tmfs_.find(header.itt);
  if (found == tmfs_.end()) {
    return report(v::kUnknownItt, fmt::format("TMF Response for ITT 0x{:08x}, no task "
                                              "management function in progress",
                                              header.itt));
  }
  if (!defined_response(header.response)) {
    report(v::kTmfResponseCode, fmt::format("TMF Response ITT 0x{:08x}: Response {}", header.itt,
                                            static_cast<unsigned>(header.response)));
  }
  const TmfTask tmf = found->second;
  tmfs_.erase(found);
  TaskManagementCompleted done;
  done.task = tmf.id;
  done.function = tmf.function;
  done.response = header.response;
  // RFC 7143 §11.6.1 (TaskReporting=RFC3720): the tasks the function ended get no response of
  // their own, so they complete here as aborted.
  if (header.response == pdu::TmfResponse::function_complete) done.aborted = abort_affected(tmf);
  queue_output(std::move(done));
}

std::vector<TaskId> SessionEngine::Impl::abort_affected(const TmfTask& tmf) {
  const Scope scope = scope_of(tmf.function);
  std::vector<std::uint32_t> itts;
  for (const auto& [itt, task] : tasks_) {
    // Only commands sent before the function (lower CmdSN) are in its reach.
    if (!task.sent || !serial_lt(task.cmd_sn, tmf.cmd_sn)) continue;
    const bool hit = (scope == Scope::one_task && tmf.referenced_itt == itt) ||
                     (scope == Scope::lun && task.request.lun == tmf.lun) || scope == Scope::all;
    if (hit) itts.push_back(itt);
  }
  std::sort(itts.begin(), itts.end());
  std::vector<TaskId> aborted;
  for (std::uint32_t itt : itts) {
    aborted.push_back(tasks_.at(itt).id);
    fail_task(itt, Failure{FailureReason::aborted,
                           fmt::format("ended by {}", pdu::to_string(tmf.function))});
  }
  return aborted;
}

}  // namespace iscsi::initiator::session
