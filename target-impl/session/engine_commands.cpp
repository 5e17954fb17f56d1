// Dispatch of received PDUs, command ordering by CmdSN (RFC 7143 §4.2.2.1), and the life of a
// SCSI task from its SCSI Command to its response (RFC 7143 §11.3, §11.4).
#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/common/serial.hpp"
#include "target-impl/session/engine_impl.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

void SessionEngine::Impl::on_pdu(pdu::Pdu pdu) {
  note_exp_stat_sn(pdu);
  const pdu::Opcode op = pdu::opcode(pdu);
  switch (op) {
    case pdu::Opcode::nop_out:
      on_nop_out(std::move(pdu));
      return;
    case pdu::Opcode::scsi_command:
    case pdu::Opcode::task_mgmt_request:
    case pdu::Opcode::text_request:
    case pdu::Opcode::logout_request:
      admit(std::move(pdu));
      return;
    case pdu::Opcode::scsi_data_out:
      on_data_out(std::move(pdu));
      return;
    case pdu::Opcode::snack_request:
      on_snack(pdu);
      return;
    case pdu::Opcode::login_request:
      // RFC 7143 §6.3: a connection logs in once; a Login Request in full feature phase is a
      // protocol error.
      report(v::kUnexpectedOpcode, "Login Request in full feature phase");
      reject(pdu::RejectReason::protocol_error, pdu);
      return;
    case pdu::Opcode::nop_in:
    case pdu::Opcode::scsi_response:
    case pdu::Opcode::task_mgmt_response:
    case pdu::Opcode::login_response:
    case pdu::Opcode::text_response:
    case pdu::Opcode::scsi_data_in:
    case pdu::Opcode::logout_response:
    case pdu::Opcode::r2t:
    case pdu::Opcode::async_message:
    case pdu::Opcode::reject:
      // RFC 7143 §11.2.1.2: initiators MUST NOT send target opcodes (C008).
      report(v::kUnexpectedOpcode,
             fmt::format("the initiator sent a target opcode: {}", pdu::to_string(op)));
      reject(pdu::RejectReason::protocol_error, pdu);
      return;
  }
}

void SessionEngine::Impl::admit(pdu::Pdu pdu) {
  const pdu::Opcode op = pdu::opcode(pdu);
  const bool scsi = op == pdu::Opcode::scsi_command;
  if (discovery() && (scsi || op == pdu::Opcode::task_mgmt_request)) {
    // RFC 7143 §4.3: a Discovery session carries Text, NOP and Logout only (C111).
    report(v::kNotInDiscovery, fmt::format("{} in a Discovery session", pdu::to_string(op)));
    reject(pdu::RejectReason::command_not_supported, pdu);
    return;
  }
  if (scsi && logout_received_) {
    report(v::kCommandAfterLogout,
           fmt::format("SCSI Command ITT 0x{:08x} after the Logout Request, ignored",
                       pdu::itt(pdu)));
    return;
  }
  if (scsi && !check_scsi_command(pdu)) return;
  const std::uint32_t cmd_sn = pdu::cmd_sn(pdu.header).value_or(0);
  // RFC 7143 §4.2.2.1: immediate commands are delivered at once and do not advance CmdSN.
  if (pdu::immediate(pdu.header)) {
    if (scsi) {
      accept_scsi_command(std::move(pdu), true);
    } else {
      process(std::move(pdu));
    }
    return;
  }
  // A queued SCSI Command leaves its data with its task, not in the queue.
  pdu::Pdu command = scsi ? pdu::Pdu{pdu.header, std::exchange(pdu.data, {}), pdu.ahs} : pdu::Pdu{};
  const std::uint32_t exp = window_.exp_cmd_sn();
  switch (window_.admit(cmd_sn, max_cmd_sn_, pdu)) {
    case CommandWindow::Admission::deliver:
      if (scsi) {
        accept_scsi_command(std::move(command), true);
      } else {
        process(std::move(pdu));
      }
      break;
    case CommandWindow::Admission::discarded:
      break;
    case CommandWindow::Admission::queued:
      if (scsi) accept_scsi_command(std::move(command), false);
      return;
    case CommandWindow::Admission::too_low:
      report(v::kCmdSnDuplicate,
             fmt::format("{} CmdSN {} is below ExpCmdSN {}: already received, ignored",
                         pdu::to_string(op), cmd_sn, exp));
      return;
    case CommandWindow::Admission::duplicate:
      report(v::kCmdSnDuplicate, fmt::format("{} CmdSN {} is already queued, ignored",
                                             pdu::to_string(op), cmd_sn));
      return;
    case CommandWindow::Admission::out_of_window:
      report(v::kCmdSnOutOfWindow,
             fmt::format("{} CmdSN {} is outside [ExpCmdSN {}, MaxCmdSN {}], ignored",
                         pdu::to_string(op), cmd_sn, exp, max_cmd_sn_));
      return;
  }
  // The gap before queued commands may now be closed: deliver them in CmdSN order.
  while (!closed_) {
    std::optional<pdu::Pdu> next = window_.pop_ready();
    if (!next) break;
    process(std::move(*next));
  }
}

void SessionEngine::Impl::process(pdu::Pdu pdu) {
  if (closed_) return;
  const pdu::Opcode op = pdu::opcode(pdu);
  if (logout_received_) {
    // RFC 7143 §11.14: nothing new follows a Logout Request on its connection.
    report(v::kCommandAfterLogout,
           fmt::format("{} ITT 0x{:08x} after the Logout Request, ignored", pdu::to_string(op),
                       pdu::itt(pdu)));
    if (op == pdu::Opcode::scsi_command) drop_task(pdu::itt(pdu));
    return;
  }
  if (op == pdu::Opcode::scsi_command) {
    deliver_scsi_command(pdu::itt(pdu));
  } else if (op == pdu::Opcode::task_mgmt_request) {
    process_tmf(pdu);
  } else if (op == pdu::Opcode::text_request) {
    process_text(pdu);
  } else if (op == pdu::Opcode::logout_request) {
    process_logout(pdu);
  } else if (op == pdu::Opcode::nop_out) {
    process_nop_out(pdu);
  }
}

bool SessionEngine::Impl::check_scsi_command(const pdu::Pdu& pdu) {
  const auto& command = std::get<pdu::ScsiCommand>(pdu.header);
  if (command.itt == pdu::kReservedTag) {
    report(v::kReservedItt, "SCSI Command with ITT 0xffffffff");
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    return false;
  }
  if (static_cast<std::uint8_t>(command.attr) > static_cast<std::uint8_t>(pdu::TaskAttribute::aca)) {
    report(v::kReservedTaskAttribute,
           fmt::format("SCSI Command ITT 0x{:08x} has the reserved ATTR value {}", command.itt,
                       static_cast<unsigned>(command.attr)));
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    return false;
  }
  if (tasks_.contains(command.itt) || window_.has_queued_itt(command.itt)) {
    report(v::kIttInUse, fmt::format("SCSI Command ITT 0x{:08x} names a task still in progress",
                                     command.itt));
    reject(pdu::RejectReason::task_in_progress, pdu);
    return false;
  }
  if (command.immediate && tasks_.size() >= command_window_) {
    report(v::kTooManyImmediate,
           fmt::format("immediate SCSI Command ITT 0x{:08x} while {} tasks are active",
                       command.itt, tasks_.size()));
    reject(pdu::RejectReason::immediate_command_reject, pdu);
    return false;
  }
  return true;
}

Task SessionEngine::Impl::make_task(const pdu::Pdu& pdu) {
  const auto& command = std::get<pdu::ScsiCommand>(pdu.header);
  Task task;
  task.serial = next_serial_++;
  task.itt = command.itt;
  task.cmd_sn = command.cmd_sn;
  task.lun = command.lun;
  task.attribute = static_cast<scsi::TaskAttribute>(command.attr);
  task.cdb = pdu::full_cdb(pdu).value_or(Bytes{});
  task.read = command.read;
  task.write = command.write;
  task.bidi = command.read && command.write;
  const std::uint32_t edtl = command.expected_data_transfer_length;
  if (task.bidi) {
    const std::optional<std::uint32_t> read_length = pdu::bidi_read_expected_length(pdu);
    if (!read_length) {
      report(v::kMissingBidiLength,
             fmt::format("SCSI Command ITT 0x{:08x} has R and W set but no Bidirectional Read "
                         "Expected Data Transfer Length AHS; its read buffer is taken as 0",
                         command.itt));
    }
    task.read_length = read_length.value_or(0);
    task.write_length = edtl;
  } else if (task.read) {
    task.read_length = edtl;
  } else if (task.write) {
    task.write_length = edtl;
  } else if (edtl != 0) {
    report(v::kLengthWithoutDirection,
           fmt::format("SCSI Command ITT 0x{:08x} has R=W=0 and EDTL {}", command.itt, edtl));
  }
  return task;
}

void SessionEngine::Impl::accept_scsi_command(pdu::Pdu pdu, bool delivered) {
  const auto& command = std::get<pdu::ScsiCommand>(pdu.header);
  Task task = make_task(pdu);
  const auto& session = setup_.login.session;
  const WriteLimits limits{session.immediate_data, session.initial_r2t,
                           session.first_burst_length, session.max_burst_length,
                           session.max_outstanding_r2t};
  if (task.write) {
    std::optional<TaskFailure> failure;
    if (task.write_length > kMaxWriteTransferLength) {
      failure = TaskFailure::transfer_too_long;
    } else if (write_buffer_bytes_ + task.write_length > kMaxSessionWriteBufferBytes) {
      failure = TaskFailure::task_set_full;
    } else {
      task.reserved_bytes = task.write_length;
      write_buffer_bytes_ += task.reserved_bytes;
    }
    task.transfer.emplace(task.itt, task.write_length, !command.final, limits, failure);
    report_verdict(task.transfer->start(pdu.data), pdu);
  } else if (!pdu.data.empty() || !command.final) {
    report(v::kDataWithoutWrite,
           fmt::format("SCSI Command ITT 0x{:08x} without the W bit carries {} bytes of data{}",
                       command.itt, pdu.data.size(),
                       command.final ? "" : " and announces unsolicited Data-Out (F=0)"));
    task.failure = TaskFailure::unexpected_unsolicited_data;
    if (!command.final) {
      // Absorb the announced Data-Out sequence before the CHECK CONDITION (RFC 7143 §11.17).
      task.transfer.emplace(task.itt, 0, true, limits, task.failure);
      (void)task.transfer->start({});
    }
  }
  task.delivered = delivered;
  const std::uint32_t itt = task.itt;
  tasks_.emplace(itt, std::move(task));
  start_if_ready(itt);
}

void SessionEngine::Impl::deliver_scsi_command(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.delivered) return;
  it->second.delivered = true;
  start_if_ready(itt);
}

std::size_t SessionEngine::Impl::undelivered_tasks() const {
  return static_cast<std::size_t>(std::count_if(
      tasks_.begin(), tasks_.end(), [](const auto& entry) { return !entry.second.delivered; }));
}

void SessionEngine::Impl::start_if_ready(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it == tasks_.end() || it->second.executing) return;
  Task& task = it->second;
  if (task.transfer) {
    grant_r2ts(task);
    if (!task.transfer->finished()) return;
    if (task.transfer->failure() && !task.failure) task.failure = *task.transfer->failure();
  }
  if (!task.delivered) return;
  if (task.failure) {
    fail_task(itt, *task.failure);
    return;
  }
  execute(task);
}

void SessionEngine::Impl::execute(Task& task) {
  scsi::Command command;
  command.nexus = setup_.nexus;
  command.lun = task.lun;
  command.cdb = std::move(task.cdb);
  command.attribute = task.attribute;
  command.tag = task.itt;
  if (task.transfer) command.data_out = task.transfer->take_data();
  command.expected_data_in_length = task.read_length;
  command.expected_data_out_length = task.write_length;
  task.executing = true;
  std::weak_ptr<Impl*> life = lifeline_;
  const std::uint32_t itt = task.itt;
  const std::uint64_t serial = task.serial;
  ++port_calls_;
  setup_.port->execute(std::move(command), [life, itt, serial](scsi::CommandResult result) {
    if (const auto self = life.lock(); self && *self != nullptr) {
      (*self)->on_command_done(itt, serial, std::move(result));
    }
  });
  --port_calls_;
  // A Port that completed from inside execute() (against its contract) is served now.
  if (port_calls_ == 0 && !deferred_.empty()) {
    auto deferred = std::move(deferred_);
    deferred_.clear();
    for (auto& [done_itt, done] : deferred) {
      on_command_done(done_itt, done.first, std::move(done.second));
    }
  }
}

void SessionEngine::Impl::on_command_done(std::uint32_t itt, std::uint64_t serial,
                                          scsi::CommandResult result) {
  if (port_calls_ > 0) {
    deferred_.emplace_back(itt, std::make_pair(serial, std::move(result)));
    return;
  }
  const auto it = tasks_.find(itt);
  // An aborted task's late completion is dropped (RFC 7143 §11.5.1: no response follows).
  if (closed_ || it == tasks_.end() || it->second.serial != serial) return;
  complete_task(itt, std::move(result));
  flush_notify();
}

pdu::Pdu SessionEngine::Impl::scsi_response(const Task& task, std::uint8_t status,
                                            const Bytes& sense, const Residual& residual,
                                            std::uint32_t data_in_pdus) const {
  pdu::ScsiResponse response;
  response.response = pdu::ScsiResponseCode::command_completed_at_target;
  response.status = status;
  response.itt = task.itt;
  response.residual_overflow = residual.overflow;
  response.residual_underflow = residual.underflow;
  response.residual_count = residual.count;
  // RFC 7143 §11.4.8: ExpDataSN counts the R2T and Data-In PDUs sent for the command.
  const std::uint32_t r2ts = task.transfer ? task.transfer->r2t_count() : 0;
  response.exp_data_sn = setup_.quirks.response_exp_data_sn_zero ? 0 : r2ts + data_in_pdus;
  Bytes data;
  if (!sense.empty()) {
    // RFC 7143 §11.4.7: SenseLength (2 bytes) then the sense data.
    const std::size_t length = std::min<std::size_t>(sense.size(), 0xffff);
    data.resize(2 + length);
    store_be16(data.data(), static_cast<std::uint16_t>(length));
    std::copy_n(sense.begin(), length, data.begin() + 2);
  }
  return pdu::Pdu{response, std::move(data), {}};
}

void SessionEngine::Impl::complete_task(std::uint32_t itt, scsi::CommandResult result) {
  const Task& task = tasks_.at(itt);
  // RFC 7143 §11.4.5: the residual compares what the command wanted to move with EDTL.
  const Residual read_residual =
      task.read ? residual_for(result.data_in.size(), task.read_length) : Residual{};
  const Residual write_residual =
      task.write ? residual_for(result.data_out_wanted, task.write_length) : Residual{};
  Residual residual = task.read && !task.bidi ? read_residual : write_residual;
  if (!task.read && !task.write) {
    residual = residual_for(std::max<std::uint64_t>(result.data_in.size(), result.data_out_wanted),
                            0);
  }
  const std::uint32_t send = task.read ? static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                             result.data_in.size(), task.read_length))
                                       : 0;
  const auto& session = setup_.login.session;
  // tgt's single Data-In sequence is a burst limit nothing reaches (SessionQuirks).
  const std::uint32_t max_burst = setup_.quirks.data_in_single_sequence
                                      ? std::numeric_limits<std::uint32_t>::max()
                                      : session.max_burst_length;
  const DataInSettings settings{itt, task.lun, initiator_mrdsl(), max_burst,
                                task.bidi && task.transfer ? task.transfer->r2t_count() : 0};
  const std::uint32_t data_in_pdus =
      DataInStream::count_pdus(send, settings.max_segment, settings.max_burst);
  if (send == 0) {
    queue_pdu(scsi_response(task, result.status, result.sense, residual, 0));
  } else if (result.sense.empty() && !task.bidi) {
    // RFC 7143 §11.7.3 phase collapse: the status rides on the last Data-In (C135).
    queue_.emplace_back(DataInStream(std::move(result.data_in), send, settings,
                                     CollapsedStatus{result.status, residual}, std::nullopt));
    ++queued_streams_;
  } else {
    pdu::Pdu response = scsi_response(task, result.status, result.sense, residual, data_in_pdus);
    auto& header = std::get<pdu::ScsiResponse>(response.header);
    header.bidi_read_residual_overflow = task.bidi && read_residual.overflow;
    header.bidi_read_residual_underflow = task.bidi && read_residual.underflow;
    header.bidi_read_residual_count = task.bidi ? read_residual.count : 0;
    queue_.emplace_back(
        DataInStream(std::move(result.data_in), send, settings, std::nullopt, std::move(response)));
    ++queued_streams_;
  }
  end_task(itt);
}

void SessionEngine::Impl::fail_task(std::uint32_t itt, TaskFailure failure) {
  const Task& task = tasks_.at(itt);
  const FailureStatus status = failure_status(failure);
  queue_pdu(scsi_response(task, status.status, status.sense, Residual{}, 0));
  end_task(itt);
}

void SessionEngine::Impl::end_task(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it == tasks_.end()) return;
  write_buffer_bytes_ -= std::min(write_buffer_bytes_, it->second.reserved_bytes);
  tasks_.erase(it);
  if (pending_logout_ && tasks_.empty()) finish_logout();
}

}  // namespace iscsi::target::session
