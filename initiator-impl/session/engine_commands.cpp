// SCSI commands (RFC 7143 §11.3, §11.4): submit, the SCSI Command PDU, the SCSI Response with
// its sense data and residuals, and completion.
#include <fmt/format.h>

#include <algorithm>

#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

namespace {

constexpr std::uint8_t kStatusGood = 0x00;
constexpr std::uint8_t kStatusCheckCondition = 0x02;

}  // namespace

TaskId SessionEngine::Impl::submit(ScsiRequest request) {
  const TaskId id = new_task_id();
  const auto refuse = [this, id, tag = request.tag](FailureReason reason, std::string detail) {
    CommandCompleted done;
    done.task = id;
    done.tag = tag;
    done.failure = Failure{reason, std::move(detail)};
    queue_output(std::move(done));
    return id;
  };
  if (!accepting()) return refuse(FailureReason::session_closing, "the session is closing");
  if (discovery()) {
    // RFC 7143 §4.3: a Discovery session carries only Text, NOP and Logout.
    return refuse(FailureReason::invalid_request, "SCSI commands in a Discovery session");
  }
  if (auto problem = check_request(request)) {
    return refuse(FailureReason::invalid_request, std::move(*problem));
  }
  if (queue_.size() >= setup_.limits.max_queued_commands) {
    return refuse(FailureReason::queue_full,
                  fmt::format("{} requests already wait for the CmdSN window", queue_.size()));
  }
  // Built where it stays: a ScsiTask is large, and this runs for every command.
  const std::uint32_t itt = new_itt();
  ScsiTask& task = task_nodes_.emplace(tasks_, itt)->second;
  task.id = id;
  task.itt = itt;
  task.request = std::move(request);
  enqueue(QueuedRequest{QueuedRequest::Kind::scsi, itt, build_command(task)});
  return id;
}

std::optional<std::string> SessionEngine::Impl::check_request(const ScsiRequest& request) const {
  if (request.cdb.empty() || request.cdb.size() > kMaxCdbBytes) {
    return fmt::format("CDB of {} bytes (1 to {} allowed)", request.cdb.size(), kMaxCdbBytes);
  }
  if (request.data_out.size() > setup_.limits.max_data_out_bytes_per_task) {
    return fmt::format("{} bytes of write data, limit {}", request.data_out.size(),
                       setup_.limits.max_data_out_bytes_per_task);
  }
  if (request.expected_data_in_length > setup_.limits.max_data_in_bytes_per_task) {
    return fmt::format("expected Data-In length {}, limit {}", request.expected_data_in_length,
                       setup_.limits.max_data_in_bytes_per_task);
  }
  if (!request.data_out.empty() && request.expected_data_in_length > 0) {
    return std::string("bidirectional commands are not supported");
  }
  return std::nullopt;
}

pdu::Pdu SessionEngine::Impl::build_command(const ScsiTask& task) const {
  pdu::ScsiCommand header;
  header.read = task.reads();
  header.write = task.writes();
  header.attr = task.request.attribute;
  header.lun = task.request.lun;
  header.itt = task.itt;
  header.expected_data_transfer_length =
      task.writes() ? task.write_length() : task.request.expected_data_in_length;
  // RFC 7143 §11.3.1: F=0 announces unsolicited Data-Out PDUs after the command.
  header.final = unsolicited_length(task) == immediate_length(task);
  pdu::Pdu pdu{header, {}, {}};
  pdu::set_cdb(pdu, task.request.cdb.view());
  const std::uint32_t immediate = immediate_length(task);
  pdu.data.assign(task.request.data_out.begin(), task.request.data_out.begin() + immediate);
  return pdu;
}

std::size_t SessionEngine::Impl::sent_tasks() const { return sent_count_; }

void SessionEngine::Impl::owe_data_in(const ScsiTask& task) {
  data_in_owed_ += task.request.expected_data_in_length;
}

// Bytes beyond the EDTL (a target's overflow, reported elsewhere) were never owed.
void SessionEngine::Impl::count_data_in(ScsiTask& task, std::uint32_t length) {
  const std::uint32_t taken =
      std::min(length, task.request.expected_data_in_length - task.data_in_counted);
  task.data_in_counted += taken;
  data_in_owed_ -= taken;
}

void SessionEngine::Impl::forgive_data_in(const ScsiTask& task) {
  data_in_owed_ -= task.request.expected_data_in_length - task.data_in_counted;
}

void SessionEngine::Impl::on_scsi_response(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::ScsiResponse>(pdu.header);
  const auto found = tasks_.find(header.itt);
  if (found == tasks_.end() || !found->second.sent) {
    return report(
        v::kUnknownItt,
        fmt::format("SCSI Response for ITT 0x{:08x}, no command in progress", header.itt));
  }
  ScsiTask& task = found->second;
  const PduName what{"SCSI Response", header.itt, {}};
  CommandCompleted done;
  done.task = task.id;
  done.itt = task.itt;
  done.response = header.response;
  done.status = header.status;
  if (pdu.data.size() >= 2) {
    // RFC 7143 §11.4.7: SenseLength (2 bytes), sense data, then response data.
    const std::size_t length = load_be16(pdu.data.data());
    if (length + 2 > pdu.data.size()) {
      report(v::kSenseLength,
             fmt::format("{}: SenseLength {} but {} data bytes", what, length, pdu.data.size()));
    }
    const std::size_t available = std::min(length, pdu.data.size() - 2);
    done.sense.assign(pdu.data.begin() + 2, pdu.data.begin() + 2 + static_cast<long>(available));
  }
  const bool completed = header.response == pdu::ScsiResponseCode::command_completed_at_target;
  if (completed && header.status == kStatusCheckCondition && done.sense.empty()) {
    report(v::kMissingSense, fmt::format("{}: CHECK CONDITION without sense data", what));
  }
  if (header.bidi_read_residual_overflow || header.bidi_read_residual_underflow) {
    report(v::kBidiResidual,
           fmt::format("{}: o/u set on a command that is not bidirectional", what));
  }
  const std::uint32_t expected_data_sn = task.reads() ? task.data_in_pdus : task.next_r2t_sn;
  if (header.exp_data_sn != expected_data_sn) {
    report(v::kExpDataSn, fmt::format("{}: ExpDataSN {} but {} Data-In/R2T PDUs arrived", what,
                                      header.exp_data_sn, expected_data_sn));
  }
  if (task.reads() && !task.in_ranges.contiguous_from_zero()) {
    mark_failed(task, v::kDataInBufferOffset,
                fmt::format("{}: the Data-In left a gap in the buffer", what));
  }
  if (completed) {
    check_residual(task, header.residual_overflow, header.residual_underflow, header.residual_count,
                   header.status, what);
  }
  done.residual_overflow = header.residual_overflow;
  done.residual_underflow = header.residual_underflow;
  done.residual_count = header.residual_count;
  done.data_in = std::move(task.data_in);
  done.failure = task.failure;
  complete_task(header.itt, std::move(done));
}

void SessionEngine::Impl::check_residual(const ScsiTask& task, bool overflow, bool underflow,
                                         std::uint32_t count, std::uint8_t status,
                                         const PduName& what) {
  // RFC 7143 §11.4.5: U means fewer bytes than EDTL moved (count = EDTL - moved), O that the
  // command wanted more than EDTL; never both.
  if (overflow && underflow) {
    return report(v::kResidualMismatch, fmt::format("{}: both O and U are set", what));
  }
  if (task.reads()) {
    const std::uint64_t moved = task.in_ranges.covered();
    const std::uint64_t expected = task.request.expected_data_in_length;
    if (underflow && count != expected - std::min(moved, expected)) {
      return report(v::kResidualMismatch,
                    fmt::format("{}: U with Residual Count {} but {} of {} bytes arrived", what,
                                count, moved, expected));
    }
    if (overflow && moved != expected) {
      return report(v::kResidualMismatch,
                    fmt::format("{}: O but only {} of {} bytes arrived", what, moved, expected));
    }
    if (!underflow && !overflow && moved < expected && status == kStatusGood) {
      return report(v::kResidualMissing, fmt::format("{}: GOOD with {} of {} bytes and no U bit",
                                                     what, moved, expected));
    }
  } else if (task.writes() && underflow && count > task.write_length()) {
    report(v::kResidualMismatch, fmt::format("{}: U with Residual Count {} above EDTL {}", what,
                                             count, task.write_length()));
  }
}

void SessionEngine::Impl::complete_task(std::uint32_t itt, CommandCompleted&& completion) {
  const auto found = tasks_.find(itt);
  if (found == tasks_.end()) return;
  completion.tag = found->second.request.tag;
  if (found->second.sent) {
    --sent_count_;
    forgive_data_in(found->second);
  } else {
    std::erase_if(queue_, [itt](const QueuedRequest& request) {
      return request.kind == QueuedRequest::Kind::scsi && request.itt == itt;
    });
  }
  task_nodes_.erase(tasks_, found);
  queue_output(std::move(completion));
}

void SessionEngine::Impl::fail_task(std::uint32_t itt, Failure failure) {
  const auto found = tasks_.find(itt);
  if (found == tasks_.end()) return;
  CommandCompleted done;
  done.task = found->second.id;
  done.itt = itt;
  done.data_in = std::move(found->second.data_in);
  done.failure = std::move(failure);
  complete_task(itt, std::move(done));
}

void SessionEngine::Impl::mark_failed(ScsiTask& task, const ViolationKind& kind,
                                      std::string detail) {
  // The task keeps going until its status arrives (the target still answers it) but can no
  // longer complete with its data taken as good (C145).
  if (!task.failure) task.failure = Failure{FailureReason::protocol_error, detail};
  report(kind, std::move(detail));
}

}  // namespace iscsi::initiator::session
