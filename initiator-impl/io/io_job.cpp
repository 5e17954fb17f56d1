#include "initiator-impl/io/io_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "initiator-impl/client/cdb_builders.hpp"
#include "initiator-impl/io/pattern.hpp"
#include "initiator-impl/io/query_decode.hpp"
#include "initiator-impl/io/scsi_text.hpp"

namespace iscsi::initiator::io {
namespace {

using session::CommandCompleted;

// Allocation lengths of the queries: all of the standard INQUIRY data a target may have, the
// 32 bytes of READ CAPACITY (16) data, and room for 1,024 LUNs in REPORT LUNS.
constexpr std::uint16_t kInquiryAllocation = 255;
constexpr std::uint32_t kReadCapacityAllocation = 32;
constexpr std::uint32_t kReportLunsAllocation = 8 + 8 * 1024;
// A read job returns its data in memory, so it is bounded; pattern jobs hold at most
// queue_depth blocks whatever their length.
constexpr std::uint64_t kMaxReadJobBytes = 1ULL << 30;

std::string_view query_name(JobKind kind) {
  switch (kind) {
    case JobKind::inquiry:
      return "INQUIRY";
    case JobKind::read_capacity:
      return "READ CAPACITY(16)";
    case JobKind::report_luns:
      return "REPORT LUNS";
    case JobKind::test_unit_ready:
      return "TEST UNIT READY";
    case JobKind::write:
      return "WRITE(16)";
    case JobKind::read:
    case JobKind::verify:
      return "READ(16)";
  }
  return "command";
}

bool is_transfer(JobKind kind) {
  return kind == JobKind::write || kind == JobKind::read || kind == JobKind::verify;
}

class JobRunner : public std::enable_shared_from_this<JobRunner> {
 public:
  JobRunner(client::Session& session, IoJob job, IoCallback done)
      : session_(session),
        keep_(session.weak_from_this().lock()),
        job_(std::move(job)),
        done_(std::move(done)) {}

  void start();

 private:
  using Then = std::function<void(const CommandCompleted&)>;

  void submit(session::ScsiRequest request, Then then);
  void run_query();
  void on_query(const CommandCompleted& completed);
  void on_capacity(const CommandCompleted& completed);
  std::string plan_transfer(const client::cdb::Capacity& capacity);
  void pump();
  void issue();
  void on_transfer(std::uint64_t offset, std::uint32_t bytes, const CommandCompleted& completed);
  void check_verify(std::uint64_t offset, const Bytes& data);
  std::string where(std::uint64_t offset, std::uint32_t bytes) const;
  void fail(std::string error);
  void finish_if_drained();
  void finish();

  client::Session& session_;
  std::shared_ptr<client::Session> keep_;  // the session outlives the job when shared
  IoJob job_;
  IoCallback done_;
  IoResult result_;
  pdu::Lun lun_{};
  bool first_command_ = true;  // a UNIT ATTENTION on it is retried once
  bool finished_ = false;
  // Transfers.
  std::uint32_t block_size_ = 0;
  std::uint64_t next_ = 0;  // next byte offset to issue
  std::uint64_t end_ = 0;
  unsigned in_flight_ = 0;
  bool pumping_ = false;
  bool stopped_ = false;  // an error: issue nothing more, let the open commands drain
  std::optional<std::uint64_t> mismatch_;  // lowest mismatching byte offset seen (verify)
  std::uint8_t mismatch_got_ = 0;
};

void JobRunner::start() {
  const auto lun = job_.lun <= pdu::Lun::kMaxFlatNumber
                       ? pdu::Lun::from_number(static_cast<std::uint32_t>(job_.lun))
                       : std::nullopt;
  if (!lun)
    return fail(
        fmt::format("LUN {} cannot be addressed (0 to {})", job_.lun, pdu::Lun::kMaxFlatNumber));
  lun_ = *lun;
  if (!is_transfer(job_.kind)) return run_query();
  if (job_.block_bytes == 0 || job_.queue_depth == 0) {
    return fail("block_bytes and queue_depth must be at least 1");
  }
  // Every transfer needs the block size, and a length of 0 the capacity.
  submit(client::cdb::data_in_request(lun_, client::cdb::read_capacity16(kReadCapacityAllocation),
                                      kReadCapacityAllocation),
         [self = shared_from_this()](const CommandCompleted& completed) {
           self->on_capacity(completed);
         });
}

// The first command of the job meets a pending UNIT ATTENTION (a new I_T nexus, a changed
// LU; SAM-5 §5.14) and is sent once more, as the Linux SCSI midlayer does.
void JobRunner::submit(session::ScsiRequest request, Then then) {
  if (!first_command_) {
    session_.submit(std::move(request), std::move(then));
    return;
  }
  first_command_ = false;
  session::ScsiRequest again = request;
  session_.submit(std::move(request), [self = shared_from_this(), again = std::move(again),
                                       then = std::move(then)](const CommandCompleted& completed) {
    if (is_unit_attention(completed)) {
      self->session_.submit(again, then);
      return;
    }
    then(completed);
  });
}

void JobRunner::run_query() {
  session::ScsiRequest request;
  switch (job_.kind) {
    case JobKind::inquiry:
      request = client::cdb::data_in_request(lun_, client::cdb::inquiry(kInquiryAllocation),
                                             kInquiryAllocation);
      break;
    case JobKind::read_capacity:
      request = client::cdb::data_in_request(
          lun_, client::cdb::read_capacity16(kReadCapacityAllocation), kReadCapacityAllocation);
      break;
    case JobKind::report_luns:
      request = client::cdb::data_in_request(lun_, client::cdb::report_luns(kReportLunsAllocation),
                                             kReportLunsAllocation);
      break;
    case JobKind::test_unit_ready:
    case JobKind::write:
    case JobKind::read:
    case JobKind::verify:
      request = client::cdb::no_data_request(lun_, client::cdb::test_unit_ready());
      break;
  }
  submit(std::move(request), [self = shared_from_this()](const CommandCompleted& completed) {
    self->on_query(completed);
  });
}

void JobRunner::on_query(const CommandCompleted& completed) {
  ++result_.commands;
  if (std::string problem = command_problem(completed); !problem.empty()) {
    return fail(fmt::format("{} on LUN {} failed: {}", query_name(job_.kind), job_.lun, problem));
  }
  result_.data = completed.data_in;
  result_.bytes = completed.data_in.size();
  DecodedAnswer answer;
  switch (job_.kind) {
    case JobKind::inquiry:
      answer = decode_inquiry(completed.data_in);
      break;
    case JobKind::read_capacity:
      answer = decode_read_capacity16(completed.data_in);
      break;
    case JobKind::report_luns:
      answer = decode_report_luns(completed.data_in);
      break;
    case JobKind::test_unit_ready:
    case JobKind::write:
    case JobKind::read:
    case JobKind::verify:
      answer.lines = {fmt::format("LUN {} is ready", job_.lun)};
      break;
  }
  if (!answer.error.empty()) return fail(fmt::format("LUN {}: {}", job_.lun, answer.error));
  result_.lines = std::move(answer.lines);
  finish();
}

void JobRunner::on_capacity(const CommandCompleted& completed) {
  ++result_.commands;
  if (std::string problem = command_problem(completed); !problem.empty()) {
    return fail(fmt::format("READ CAPACITY(16) on LUN {} failed: {}", job_.lun, problem));
  }
  const auto capacity = client::cdb::parse_read_capacity16(completed.data_in);
  if (!capacity || capacity->block_size == 0) {
    return fail(fmt::format("READ CAPACITY(16) on LUN {} returned no usable block size", job_.lun));
  }
  if (std::string problem = plan_transfer(*capacity); !problem.empty()) return fail(problem);
  pump();
}

// Checks the job against the LU's block size and sets [next_, end_). The target itself judges
// a range past the end (LOGICAL BLOCK ADDRESS OUT OF RANGE), so that error reads as its own.
std::string JobRunner::plan_transfer(const client::cdb::Capacity& capacity) {
  block_size_ = capacity.block_size;
  const std::uint64_t lu_bytes = (capacity.last_lba + 1) * block_size_;
  std::uint64_t length = job_.length;
  if (job_.kind == JobKind::write && !job_.pattern) {
    if (length != 0 && length != job_.source.size()) {
      return fmt::format("write of LUN {}: length {} differs from the {} source bytes", job_.lun,
                         length, job_.source.size());
    }
    length = job_.source.size();
  }
  if (length == 0) {
    if (job_.offset > lu_bytes) {
      return fmt::format("offset {} is past the end of LUN {} ({} bytes)", job_.offset, job_.lun,
                         lu_bytes);
    }
    length = lu_bytes - job_.offset;
  }
  if (job_.offset % block_size_ != 0 || length % block_size_ != 0 ||
      job_.block_bytes % block_size_ != 0) {
    return fmt::format(
        "offset {}, length {} and bytes per command {} must be multiples of the {}-byte blocks "
        "of LUN {}",
        job_.offset, length, job_.block_bytes, block_size_, job_.lun);
  }
  if (job_.kind == JobKind::verify && !job_.pattern) {
    return "a verify job needs a pattern";
  }
  if (job_.kind == JobKind::read) {
    if (length > kMaxReadJobBytes) {
      return fmt::format("a read returns its data in memory: {} bytes is more than the {} allowed",
                         length, kMaxReadJobBytes);
    }
    result_.data.resize(length);
  }
  next_ = job_.offset;
  end_ = job_.offset + length;
  return {};
}

// Keeps queue_depth commands in flight. A command may complete inside submit() (the session
// refuses it at once), so a nested call only records and the outer loop carries on.
void JobRunner::pump() {
  if (pumping_ || finished_) return;
  pumping_ = true;
  while (!stopped_ && in_flight_ < job_.queue_depth && next_ < end_) issue();
  pumping_ = false;
  finish_if_drained();
}

void JobRunner::issue() {
  const std::uint64_t offset = next_;
  const auto bytes =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(job_.block_bytes, end_ - offset));
  next_ += bytes;
  ++in_flight_;
  const std::uint64_t lba = offset / block_size_;
  const std::uint32_t blocks = bytes / block_size_;
  session::ScsiRequest request;
  if (job_.kind == JobKind::write) {
    request = client::cdb::no_data_request(lun_, client::cdb::write16(lba, blocks));
    if (job_.pattern) {
      request.data_out.resize(bytes);
      fill_pattern(job_.pattern->seed, offset, request.data_out);
    } else {
      const auto from = static_cast<std::ptrdiff_t>(offset - job_.offset);
      request.data_out.assign(job_.source.begin() + from, job_.source.begin() + from + bytes);
    }
  } else {
    request = client::cdb::data_in_request(lun_, client::cdb::read16(lba, blocks), bytes);
  }
  session_.submit(std::move(request),
                  [self = shared_from_this(), offset, bytes](const CommandCompleted& completed) {
                    self->on_transfer(offset, bytes, completed);
                  });
}

void JobRunner::on_transfer(std::uint64_t offset, std::uint32_t bytes,
                            const CommandCompleted& completed) {
  --in_flight_;
  ++result_.commands;
  if (std::string problem = command_problem(completed); !problem.empty()) {
    if (result_.error.empty()) {
      result_.error =
          fmt::format("{} of {} failed: {}", query_name(job_.kind), where(offset, bytes), problem);
    }
    stopped_ = true;
  } else if (job_.kind != JobKind::write && completed.data_in.size() != bytes) {
    if (result_.error.empty()) {
      result_.error = fmt::format("READ(16) of {} returned {} of {} bytes", where(offset, bytes),
                                  completed.data_in.size(), bytes);
    }
    stopped_ = true;
  } else {
    result_.bytes += bytes;
    if (job_.kind == JobKind::read) {
      std::copy(completed.data_in.begin(), completed.data_in.end(),
                result_.data.begin() + static_cast<std::ptrdiff_t>(offset - job_.offset));
    } else if (job_.kind == JobKind::verify) {
      check_verify(offset, completed.data_in);
    }
  }
  pump();
}

// Commands complete in any order; every command below the highest one issued is checked
// before the job ends, so the lowest mismatch kept is the first mismatching byte.
void JobRunner::check_verify(std::uint64_t offset, const Bytes& data) {
  const auto at = find_pattern_mismatch(job_.pattern->seed, offset, data);
  if (!at) return;
  stopped_ = true;
  const std::uint64_t byte = offset + *at;
  if (!mismatch_ || byte < *mismatch_) {
    mismatch_ = byte;
    mismatch_got_ = data[*at];
  }
}

std::string JobRunner::where(std::uint64_t offset, std::uint32_t bytes) const {
  return fmt::format("{} blocks at LBA {} on LUN {}", bytes / block_size_, offset / block_size_,
                     job_.lun);
}

void JobRunner::fail(std::string error) {
  result_.error = std::move(error);
  finish();
}

void JobRunner::finish_if_drained() {
  if (finished_ || in_flight_ != 0 || (!stopped_ && next_ < end_)) return;
  if (mismatch_ && result_.error.empty()) {
    const std::uint64_t byte = *mismatch_;
    result_.error = fmt::format(
        "verify of LUN {} found the first mismatch at byte offset {} (LBA {}, byte {} of the "
        "block): expected 0x{:02x}, got 0x{:02x}",
        job_.lun, byte, byte / block_size_, byte % block_size_,
        pattern_byte(job_.pattern->seed, byte), mismatch_got_);
  }
  finish();
}

void JobRunner::finish() {
  if (finished_) return;
  finished_ = true;
  result_.ok = result_.error.empty();
  if (!result_.ok && job_.kind == JobKind::read) result_.data.clear();
  IoCallback done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result_));
}

}  // namespace

void run_io_job(client::Session& session, IoJob job, IoCallback done) {
  std::make_shared<JobRunner>(session, std::move(job), std::move(done))->start();
}

}  // namespace iscsi::initiator::io
