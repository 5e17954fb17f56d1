// Read data (RFC 7143 §4.2.2.3, §11.7): Data-In reassembly with DataSN and Buffer Offset
// checks, MaxBurstLength per sequence, and status in the last Data-In (phase collapse).
#include <fmt/format.h>

#include <algorithm>

#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

namespace {

// SAM-5 §5.3.1: the statuses that are not exceptions (GOOD, CONDITION MET and the obsolete
// intermediate ones), the only ones a Data-In may carry (RFC 7143 §11.7.3).
bool status_without_exception(std::uint8_t status) {
  return status == 0x00 || status == 0x04 || status == 0x10 || status == 0x14;
}

}  // namespace

// Takes the PDU by reference to move its data segment into the read buffer when it can.
void SessionEngine::Impl::on_data_in(pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::ScsiDataIn>(pdu.header);
  const auto found = tasks_.find(header.itt);
  if (found == tasks_.end() || !found->second.sent) {
    return report(v::kUnknownItt, fmt::format("Data-In for ITT 0x{:08x} DataSN {}, no command "
                                              "in progress",
                                              header.itt, header.data_sn));
  }
  ScsiTask& task = found->second;
  // Formatted only when a check fails: this runs once per Data-In PDU.
  const auto what = [&header] {
    return fmt::format("Data-In ITT 0x{:08x} DataSN {}", header.itt, header.data_sn);
  };
  ++task.data_in_pdus;
  if (header.acknowledge && setup_.session.error_recovery_level == 0) {
    report(v::kDataInAckAtErl0, fmt::format("{}: A bit at ErrorRecoveryLevel 0", what()));
  }
  const auto length = static_cast<std::uint32_t>(pdu.data.size());
  count_data_in(task, length);
  if (!task.reads()) {
    mark_failed(task, v::kDataInUnexpected,
                fmt::format("{}: the command expects no Data-In", what()));
  } else if (accept_data(task, header, pdu.data)) {
    task.burst_bytes += length;
    if (task.burst_bytes > setup_.session.max_burst_length) {
      report(v::kDataInBurst, fmt::format("{}: {} bytes in one sequence, MaxBurstLength {}",
                                          what(), task.burst_bytes,
                                          setup_.session.max_burst_length));
      task.burst_bytes = 0;  // once per sequence
    }
  }
  if (header.final) task.burst_bytes = 0;
  if (!header.status_present) return;
  if (!header.final) {
    mark_failed(task, v::kDataInStatusNotFinal, fmt::format("{}: S=1 without F=1", what()));
  }
  if (!status_without_exception(header.status)) {
    report(v::kDataInStatusException,
           fmt::format("{}: status 0x{:02x} in a Data-In (no room for sense data)", what(),
                       header.status));
  }
  finish_from_data_in(task, header);
}

bool SessionEngine::Impl::accept_data(ScsiTask& task, const pdu::ScsiDataIn& header,
                                      Bytes& data) {
  const auto what = [&header] {
    return fmt::format("Data-In ITT 0x{:08x} DataSN {}", header.itt, header.data_sn);
  };
  if (header.data_sn != task.next_data_sn) {
    mark_failed(task, v::kDataInDataSn,
                fmt::format("{}: expected DataSN {}", what(), task.next_data_sn));
    task.next_data_sn = header.data_sn + 1;
    return false;
  }
  ++task.next_data_sn;
  const std::uint64_t end = std::uint64_t{header.buffer_offset} + data.size();
  if (end > task.request.expected_data_in_length) {
    mark_failed(task, v::kDataInOverrun,
                fmt::format("{}: bytes {}-{} past the expected length {}", what(),
                            header.buffer_offset, end, task.request.expected_data_in_length));
    return false;
  }
  if (setup_.session.data_pdu_in_order && header.buffer_offset != task.in_ranges.covered()) {
    const bool gap = header.buffer_offset > task.in_ranges.covered();
    mark_failed(task, v::kDataInBufferOffset,
                fmt::format("{}: Buffer Offset {} {} the {} bytes received (DataPDUInOrder=Yes)",
                            what(), header.buffer_offset, gap ? "leaves a gap after" : "overlaps",
                            task.in_ranges.covered()));
    return false;
  }
  const auto inserted =
      task.in_ranges.insert(header.buffer_offset, static_cast<std::uint32_t>(end));
  if (inserted != RangeSet::Insert::added) {
    mark_failed(task, v::kDataInBufferOffset,
                fmt::format("{}: bytes {}-{} {}", what(), header.buffer_offset, end,
                            inserted == RangeSet::Insert::overlap ? "arrived twice"
                                                                  : "scattered too widely"));
    return false;
  }
  store_data(task, header, data);
  return true;
}

// The read buffer is as long as the furthest byte received; bytes in a gap not received (yet)
// are zero, never uninitialised. A PDU that brings the whole read (or the last one, with status)
// at offset 0 becomes the buffer itself; otherwise one allocation per read, bounded by the
// expected length (at most SessionLimits::max_data_in_bytes_per_task), and in-order PDUs are
// appended without zero-filling first.
void SessionEngine::Impl::store_data(ScsiTask& task, const pdu::ScsiDataIn& header,
                                     Bytes& data) {
  const std::size_t offset = header.buffer_offset;
  const std::size_t end = offset + data.size();
  if (task.data_in.empty() && offset == 0 &&
      (end == task.request.expected_data_in_length || header.status_present)) {
    task.data_in = std::move(data);
    return;
  }
  if (task.data_in.capacity() == 0) task.data_in.reserve(task.request.expected_data_in_length);
  if (offset >= task.data_in.size()) {
    task.data_in.resize(offset);  // zeroes for a gap left before this PDU (none when in order)
    task.data_in.insert(task.data_in.end(), data.begin(), data.end());
    return;
  }
  // Fills (part of) a gap an earlier, later-offset PDU left zeroed (DataPDUInOrder=No).
  if (task.data_in.size() < end) task.data_in.resize(end);
  std::copy(data.begin(), data.end(), task.data_in.begin() + static_cast<std::ptrdiff_t>(offset));
}

void SessionEngine::Impl::finish_from_data_in(ScsiTask& task, const pdu::ScsiDataIn& header) {
  const PduName what{"Data-In", header.itt, " with status"};
  if (!task.in_ranges.contiguous_from_zero()) {
    mark_failed(task, v::kDataInBufferOffset,
                fmt::format("{}: the Data-In left a gap in the buffer", what));
  }
  check_residual(task, header.residual_overflow, header.residual_underflow, header.residual_count,
                 header.status, what);
  CommandCompleted done;
  done.task = task.id;
  done.itt = task.itt;
  done.status = header.status;
  done.status_in_data_in = true;
  done.residual_overflow = header.residual_overflow;
  done.residual_underflow = header.residual_underflow;
  done.residual_count = header.residual_count;
  done.data_in = std::move(task.data_in);
  done.failure = task.failure;
  complete_task(header.itt, std::move(done));
}

}  // namespace iscsi::initiator::session
