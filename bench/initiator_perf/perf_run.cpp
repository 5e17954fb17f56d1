#include "bench/initiator_perf/perf_run.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include "initiator-impl/client/cdb_builders.hpp"
#include "initiator-impl/io/pattern.hpp"
#include "initiator-impl/io/scsi_text.hpp"

namespace iscsi::bench {

namespace cdb = initiator::client::cdb;

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

PerfRun::PerfRun(initiator::client::Session& session, runtime::Clock& clock, PerfSettings settings)
    : session_(session), clock_(clock), settings_(settings) {}

void PerfRun::start(std::uint64_t lu_blocks, std::uint32_t block_size,
                    std::function<void(PerfFigures)> done) {
  done_ = std::move(done);
  blocks_per_command_ = block_size == 0 ? 0 : settings_.block_bytes / block_size;
  if (blocks_per_command_ == 0 || settings_.block_bytes % block_size != 0 ||
      lu_blocks < blocks_per_command_) {
    figures_.error = fmt::format("--block {} does not fit the LU ({} blocks of {} bytes)",
                                 settings_.block_bytes, lu_blocks, block_size);
    return finish();
  }
  // Whole commands only: the last LBA that starts one is lu_blocks - blocks_per_command_.
  lu_blocks_ = lu_blocks - lu_blocks % blocks_per_command_;
  if (settings_.write) {
    write_data_.resize(settings_.block_bytes);
    initiator::io::fill_pattern(1, 0, write_data_);
  }
  cpu_at_start_ = process_cpu_seconds();
  started_ = clock_.now();
  deadline_ = started_ + settings_.duration;
  for (unsigned i = 0; i < settings_.depth && !stopping_; ++i) issue();
}

void PerfRun::issue() {
  const std::uint64_t lba = next_lba_;
  next_lba_ += blocks_per_command_;
  if (next_lba_ >= lu_blocks_) next_lba_ = 0;
  ++in_flight_;
  const pdu::Lun lun = *pdu::Lun::from_number(static_cast<std::uint32_t>(settings_.lun));
  initiator::session::ScsiRequest request;
  if (settings_.write) {
    request = cdb::no_data_request(lun, cdb::write16(lba, blocks_per_command_));
    request.data_out = write_data_;
  } else {
    request =
        cdb::data_in_request(lun, cdb::read16(lba, blocks_per_command_), settings_.block_bytes);
  }
  session_.submit(std::move(request),
                  [this](const initiator::session::CommandCompleted& done) { on_completed(done); });
}

void PerfRun::on_completed(const initiator::session::CommandCompleted& completed) {
  --in_flight_;
  if (std::string problem = initiator::io::command_problem(completed); !problem.empty()) {
    if (figures_.error.empty()) figures_.error = fmt::format("a command failed: {}", problem);
    stopping_ = true;
  } else {
    ++figures_.commands;
    figures_.bytes += settings_.block_bytes;
    if (clock_.now() >= deadline_) stopping_ = true;
  }
  if (!stopping_) return issue();
  if (in_flight_ == 0) finish();
}

void PerfRun::finish() {
  figures_.seconds = std::chrono::duration<double>(clock_.now() - started_).count();
  figures_.cpu_seconds = process_cpu_seconds() - cpu_at_start_;
  figures_.ok = figures_.error.empty();
  if (done_) done_(figures_);
}

}  // namespace iscsi::bench
