#include "target-impl/session/write_transfer.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "target-impl/session/session_limits.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

WriteTransfer::WriteTransfer(std::uint32_t itt, std::uint32_t expected_data_transfer_length,
                             bool unsolicited_follows, const WriteLimits& limits,
                             std::optional<TaskFailure> failure)
    : itt_(itt),
      edtl_(expected_data_transfer_length),
      unsolicited_follows_(unsolicited_follows),
      limits_(limits),
      failure_(failure) {
  limits_.max_burst_length = std::max<std::uint32_t>(limits_.max_burst_length, 1);
  limits_.max_outstanding_r2t =
      std::clamp<std::uint32_t>(limits_.max_outstanding_r2t, 1, kMaxOutstandingR2tPerTask);
}

Violation WriteTransfer::violation(const ViolationKind& kind, std::string detail) const {
  return Violation{kind, fmt::format("task ITT 0x{:08x}: {}", itt_, detail)};
}

void WriteTransfer::fail(TaskFailure why) {
  if (failure_) return;
  failure_ = why;
  data_ = Bytes{};  // the command will not run: free the buffer now
}

void WriteTransfer::store(std::uint32_t offset, ByteView data) {
  // Callers checked offset + size <= EDTL. The buffer grows as data arrives (in order), so an
  // initiator that announces a large write and sends nothing costs no memory.
  const std::size_t end = std::size_t{offset} + data.size();
  if (failure_ || data.empty() || end > edtl_) return;
  if (data_.size() < end) data_.resize(end);
  std::memcpy(data_.data() + offset, data.data(), data.size());
}

Bytes WriteTransfer::take_data() {
  data_.resize(edtl_);
  return std::move(data_);
}

DataVerdict WriteTransfer::start(ByteView immediate_data) {
  DataVerdict verdict;
  const std::uint32_t unsolicited_end = std::min(limits_.first_burst_length, edtl_);
  const std::size_t immediate = immediate_data.size();
  if (immediate > 0 && !limits_.immediate_data) {
    verdict.violations.push_back(violation(
        v::kUnexpectedUnsolicited,
        fmt::format("SCSI Command carries {} bytes of immediate data with ImmediateData=No "
                    "(RFC 7143 §13.11)",
                    immediate)));
    fail(TaskFailure::unexpected_unsolicited_data);
  } else if (immediate > unsolicited_end) {
    verdict.violations.push_back(violation(
        v::kUnexpectedUnsolicited,
        fmt::format("immediate data of {} bytes exceeds min(FirstBurstLength {}, EDTL {})",
                    immediate, limits_.first_burst_length, edtl_)));
    fail(TaskFailure::unexpected_unsolicited_data);
  } else {
    store(0, immediate_data);
  }
  const auto offset = static_cast<std::uint32_t>(std::min<std::size_t>(immediate, edtl_));
  next_r2t_offset_ = offset;
  if (!unsolicited_follows_) return verdict;
  if (failure_ && !limits_.initial_r2t) {
    // Already failed: absorb the unsolicited sequence up to its F bit.
    unsolicited_ = Sequence{pdu::kReservedTag, offset, edtl_, offset, 0};
    return verdict;
  }
  if (limits_.initial_r2t) {
    // RFC 7143 §13.10: with InitialR2T=Yes no unsolicited Data-Out may follow (C143). The
    // sequence is still absorbed up to its F bit before the task ends.
    verdict.violations.push_back(violation(
        v::kUnexpectedUnsolicited, "SCSI Command has F=0 (unsolicited Data-Out follows) but "
                                   "InitialR2T=Yes"));
    fail(TaskFailure::unexpected_unsolicited_data);
    unsolicited_ = Sequence{pdu::kReservedTag, offset, edtl_, offset, 0};
    return verdict;
  }
  next_r2t_offset_ = std::max(offset, unsolicited_end);
  if (offset >= unsolicited_end) {
    verdict.violations.push_back(violation(
        v::kUnexpectedUnsolicited,
        fmt::format("SCSI Command has F=0 but its immediate data already fills min("
                    "FirstBurstLength, EDTL) = {} bytes",
                    unsolicited_end)));
    return verdict;
  }
  unsolicited_ = Sequence{pdu::kReservedTag, offset, unsolicited_end, offset, 0};
  return verdict;
}

DataVerdict WriteTransfer::accept_data_out(const pdu::ScsiDataOut& header, ByteView data) {
  DataVerdict verdict;
  if (header.ttt == pdu::kReservedTag) {
    if (!unsolicited_) {
      verdict.violations.push_back(violation(
          v::kUnexpectedUnsolicited,
          fmt::format("unsolicited Data-Out (DataSN {}, offset {}) where none may come "
                      "(InitialR2T, SCSI Command F=1 or the unsolicited sequence ended)",
                      header.data_sn, header.buffer_offset)));
      fail(TaskFailure::unexpected_unsolicited_data);
      return verdict;
    }
    if (sequence_data(*unsolicited_, header, data, verdict)) unsolicited_.reset();
    return verdict;
  }
  const auto it = std::find_if(solicited_.begin(), solicited_.end(),
                               [&](const Sequence& s) { return s.ttt == header.ttt; });
  if (it == solicited_.end()) {
    verdict.violations.push_back(violation(
        v::kDataOutUnknownTtt,
        fmt::format("Data-Out TTT 0x{:08x} names no outstanding R2T", header.ttt)));
    verdict.reject = pdu::RejectReason::invalid_pdu_field;
    return verdict;
  }
  if (sequence_data(*it, header, data, verdict)) solicited_.erase(it);
  return verdict;
}

bool WriteTransfer::sequence_data(Sequence& sequence, const pdu::ScsiDataOut& header,
                                  ByteView data, DataVerdict& verdict) {
  // A failed task only waits for the end of each sequence (RFC 7143 §11.17).
  if (failure_) return header.final;
  if (!check_sequence(sequence, header, data.size(), verdict)) return header.final;
  store(header.buffer_offset, data);
  sequence.next_offset += static_cast<std::uint32_t>(data.size());
  sequence.next_data_sn += 1;
  if (header.final) {
    if (sequence.next_offset < sequence.end) {
      verdict.violations.push_back(violation(
          v::kIncorrectDataAmount,
          fmt::format("sequence TTT 0x{:08x} ended (F=1) after {} of {} bytes", sequence.ttt,
                      sequence.next_offset - sequence.begin, sequence.end - sequence.begin)));
      fail(TaskFailure::incorrect_amount_of_data);
    }
    return true;
  }
  if (sequence.next_offset == sequence.end) {
    verdict.violations.push_back(violation(
        v::kDataOutMissingFinal,
        fmt::format("the last Data-Out of sequence TTT 0x{:08x} (offset {}) has F=0",
                    sequence.ttt, header.buffer_offset)));
    return true;
  }
  return false;
}

bool WriteTransfer::check_sequence(Sequence& sequence, const pdu::ScsiDataOut& header,
                                   std::size_t length, DataVerdict& verdict) {
  const bool unsolicited = sequence.ttt == pdu::kReservedTag;
  if (header.data_sn != sequence.next_data_sn) {
    verdict.violations.push_back(violation(
        v::kDataOutDataSn, fmt::format("Data-Out DataSN {} where {} was expected (TTT 0x{:08x})",
                                       header.data_sn, sequence.next_data_sn, sequence.ttt)));
    verdict.reject = pdu::RejectReason::invalid_pdu_field;
    fail(TaskFailure::data_phase_error);
    return false;
  }
  if (header.buffer_offset != sequence.next_offset) {
    verdict.violations.push_back(violation(
        v::kDataOutBufferOffset,
        fmt::format("Data-Out Buffer Offset {} where {} was expected (sequence [{}, {}))",
                    header.buffer_offset, sequence.next_offset, sequence.begin, sequence.end)));
    verdict.reject = pdu::RejectReason::invalid_pdu_field;
    fail(TaskFailure::data_phase_error);
    return false;
  }
  if (std::uint64_t{header.buffer_offset} + length > sequence.end) {
    if (unsolicited) {
      verdict.violations.push_back(violation(
          v::kUnexpectedUnsolicited,
          fmt::format("unsolicited data up to offset {} exceeds min(FirstBurstLength, EDTL) = {}",
                      std::uint64_t{header.buffer_offset} + length, sequence.end)));
      fail(TaskFailure::unexpected_unsolicited_data);
      return false;
    }
    verdict.violations.push_back(violation(
        v::kDataOutBufferOffset,
        fmt::format("Data-Out [{}, {}) passes the end {} of R2T TTT 0x{:08x}",
                    header.buffer_offset, std::uint64_t{header.buffer_offset} + length,
                    sequence.end, sequence.ttt)));
    verdict.reject = pdu::RejectReason::invalid_pdu_field;
    fail(TaskFailure::data_phase_error);
    return false;
  }
  return true;
}

void WriteTransfer::lose_data_out(const pdu::ScsiDataOut& header, TaskFailure why) {
  fail(why);
  if (!header.final) return;
  if (header.ttt == pdu::kReservedTag) {
    unsolicited_.reset();
    return;
  }
  std::erase_if(solicited_, [&](const Sequence& s) { return s.ttt == header.ttt; });
}

std::vector<R2tGrant> WriteTransfer::grant_r2ts(const std::function<std::uint32_t()>& next_ttt) {
  std::vector<R2tGrant> grants;
  if (failure_) return grants;
  while (solicited_.size() < limits_.max_outstanding_r2t && next_r2t_offset_ < edtl_) {
    const std::uint32_t length = std::min(limits_.max_burst_length, edtl_ - next_r2t_offset_);
    const std::uint32_t ttt = next_ttt();
    solicited_.push_back(
        Sequence{ttt, next_r2t_offset_, next_r2t_offset_ + length, next_r2t_offset_, 0});
    grants.push_back(R2tGrant{ttt, r2t_sn_, next_r2t_offset_, length});
    r2t_sn_ += 1;
    next_r2t_offset_ += length;
  }
  return grants;
}

bool WriteTransfer::finished() const {
  if (unsolicited_ || !solicited_.empty()) return false;
  return failure_.has_value() || next_r2t_offset_ >= edtl_;
}

bool WriteTransfer::has_ttt(std::uint32_t ttt) const {
  return std::any_of(solicited_.begin(), solicited_.end(),
                     [ttt](const Sequence& s) { return s.ttt == ttt; });
}

}  // namespace iscsi::target::session
