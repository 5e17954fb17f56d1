// SANITIZE (SBC-4 §5.30): OVERWRITE, BLOCK ERASE, CRYPTOGRAPHIC ERASE and EXIT FAILURE MODE.
// Byte 1: IMMED (bit 7), AUSE (bit 5), SERVICE ACTION (bits 4-0); PARAMETER LIST LENGTH at
// bytes 7-8.
//
// The sanitize operation runs in the background (SBC-4 §4.11): it walks the LU a chunk at a
// time, each step started from the previous step's BlockIo completion, so it finishes on its
// own on either runtime. From the moment the CDB is validated until the last chunk completes,
// the LU answers every command but INQUIRY, REPORT LUNS and REQUEST SENSE with NOT READY,
// SANITIZE IN PROGRESS (port_impl.cpp), and REQUEST SENSE reports the progress. With IMMED the
// status goes out at once, else when the operation is done. Resets and I_T nexus losses do not
// stop it (SBC-4 §4.11); the Port's destruction does (the job then releases its lock and the
// store). A failed step ends the operation: without IMMED the command reports the error; the
// sanitize failure mode (SBC-4 §4.11) is not modelled, so EXIT FAILURE MODE just succeeds.
// A LU with a minimum sanitize duration (tgtadm --params sanitize_ms=N) stays busy until that
// much time has passed too, so a fast store can be watched sanitizing.
#include <algorithm>
#include <memory>
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

// SBC-4 §5.30.1, table 48.
constexpr std::uint8_t kOverwrite = 0x01;
constexpr std::uint8_t kBlockErase = 0x02;
constexpr std::uint8_t kCryptoErase = 0x03;
constexpr std::uint8_t kExitFailureMode = 0x1f;

// BLOCK ERASE deallocates this many blocks (32 MiB) per step, so progress moves on a big LU.
constexpr std::uint64_t kEraseChunkBlocks = 65536;

struct SanitizeJob {
  TaskPtr task;
  runtime::BlockIo* store = nullptr;
  Bytes chunk;  // OVERWRITE: chunk_blocks copies of the pattern block; empty for an erase
  std::uint64_t chunk_blocks = 1;
  std::uint64_t next_lba = 0;
  std::uint64_t steps_done = 0;
  Release release = [] {};
  // Both must hold before the operation ends: every step done, and the LU's minimum
  // sanitize duration elapsed.
  bool walked = false;
  bool min_duration_elapsed = true;
};

std::uint64_t step_count(const SanitizeJob& job) {
  const std::uint64_t blocks = job.task->lu().block_count();
  return (blocks + job.chunk_blocks - 1) / job.chunk_blocks;
}

void finish(const std::shared_ptr<SanitizeJob>& job, bool ok, std::uint64_t failed_lba) {
  job->release();
  job->task->lu().end_sanitize();
  if (!ok) {
    fail_io(job->task, IoKind::write, failed_lba);  // ignored when IMMED answered already
    return;
  }
  job->task->complete_good();
}

void walked(const std::shared_ptr<SanitizeJob>& job) {
  job->walked = true;
  if (job->min_duration_elapsed) finish(job, true, 0);
}

// Holds the operation open for the LU's minimum duration; the TimerService outlives the Port
// (make_port.hpp), and the job keeps the task and so the LU alive until the timer fires.
void start_min_duration(const std::shared_ptr<SanitizeJob>& job) {
  const runtime::Duration duration = job->task->lu().sanitize_min_duration();
  if (duration <= runtime::Duration::zero()) return;
  job->min_duration_elapsed = false;
  job->task->timers().schedule_after(duration, [job] {
    job->min_duration_elapsed = true;
    if (job->walked) finish(job, true, 0);
  });
}

void next_step(std::shared_ptr<SanitizeJob> job) {
  LogicalUnit& lu = job->task->lu();
  if (!job->task->port_alive() || job->next_lba >= lu.block_count()) {
    walked(job);
    return;
  }
  const std::uint64_t lba = job->next_lba;
  const std::uint64_t blocks = std::min(lu.block_count() - lba, job->chunk_blocks);
  auto done = [job, lba, blocks](bool ok) {
    if (!ok) {
      finish(job, false, lba);
      return;
    }
    job->next_lba = lba + blocks;
    job->task->lu().advance_sanitize(++job->steps_done);
    next_step(job);
  };
  if (job->chunk.empty()) {
    job->store->unmap(bytes_of(lu, lba), bytes_of(lu, blocks),
                      [done = std::move(done)](Result<void> result) { done(result.ok()); });
    return;
  }
  const ByteView data(job->chunk.data(), bytes_of(lu, blocks));
  raw_write(job->task, *job->store, lba, data, {}, std::move(done));
}

// Marks the LU busy, answers an IMMED command, and walks the LU under an exclusive lock of
// the whole LU (commands that started before the SANITIZE finish first).
void start(const TaskPtr& task, Bytes pattern_block) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  LogicalUnit& lu = task->lu();
  auto job = std::make_shared<SanitizeJob>();
  job->task = task;
  job->store = store;
  if (pattern_block.empty()) {
    job->chunk_blocks = kEraseChunkBlocks;
  } else {
    job->chunk_blocks = kPatternChunkBlocks;
    job->chunk.reserve(job->chunk_blocks * pattern_block.size());
    for (std::uint64_t i = 0; i < job->chunk_blocks; ++i) {
      job->chunk.insert(job->chunk.end(), pattern_block.begin(), pattern_block.end());
    }
  }
  backing::TrackedStore* state = state_of(task);
  lu.begin_sanitize(step_count(*job));
  start_min_duration(job);
  if (state != nullptr) {
    auto granted = [job, state](backing::RangeLocks::Ticket ticket) {
      job->release = [state, ticket] { state->locks().release(ticket); };
      next_step(job);
    };
    if (state->locks().acquire(0, lu.block_count(), backing::LockMode::exclusive,
                               std::move(granted)) == 0) {
      lu.end_sanitize();
      CommandResult busy;
      busy.status = kStatusTaskSetFull;
      task->complete(std::move(busy));
      return;
    }
  }
  // SBC-4 §5.30.1: IMMED returns status once the CDB (and parameter list) are validated.
  if ((task->cdb()[1] & 0x80) != 0) task->complete_good();
  if (state == nullptr) next_step(job);
}

// OVERWRITE parameter list (SBC-4 §5.30.2): byte 0 INVERT (bit 7) and OVERWRITE COUNT (4-0),
// INITIALIZATION PATTERN LENGTH at 2-3, then the pattern. libiscsi's Overwrite test expects
// INVALID FIELD IN CDB (not IN PARAMETER LIST) for every malformed list.
void overwrite(const TaskPtr& task, std::uint16_t list_length) {
  LogicalUnit& lu = task->lu();
  const ByteView list = task->data_out();
  if (list_length < 5 || list_length > lu.block_size() + 4 || list.size() < list_length) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  const std::uint16_t pattern_length = load_be16(list.data() + 2);
  if ((list[0] & 0x1f) == 0 || pattern_length == 0 || pattern_length > lu.block_size() ||
      pattern_length + 4U > list_length) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  // The pattern fills each block, repeated; INVERT would alternate passes, and with one
  // observable result per block only the last pass matters.
  const ByteView pattern = list.subspan(4, pattern_length);
  const bool invert = (list[0] & 0x80) != 0;
  const unsigned passes = list[0] & 0x1fU;
  Bytes block(lu.block_size());
  for (std::size_t i = 0; i < block.size(); ++i) {
    const std::uint8_t b = pattern[i % pattern.size()];
    block[i] = invert && passes % 2 == 0 ? static_cast<std::uint8_t>(~b) : b;
  }
  start(task, std::move(block));
}

}  // namespace

void sanitize(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const std::uint16_t list_length = load_be16(cdb.data() + 7);
  const auto action = static_cast<std::uint8_t>(cdb[1] & 0x1f);
  task->set_data_out_wanted(list_length);
  if (action == kOverwrite) {
    overwrite(task, list_length);
    return;
  }
  // The other service actions take no parameter list (SBC-4 §5.30.1).
  if (list_length != 0) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  switch (action) {
    case kBlockErase:
    case kCryptoErase:
      // Every block is deallocated, so it reads as zeros and GET LBA STATUS reports it
      // deallocated (libiscsi's BlockErase test checks both).
      start(task, {});
      return;
    case kExitFailureMode:
      task->complete_good();
      return;
    default:
      // The command table routes only the four service actions here.
      task->fail_invalid_field_in_cdb(1, 4);
      return;
  }
}

}  // namespace iscsi::target::scsi::sbc
