#include "target-impl/scsi/sbc/io_steps.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace iscsi::target::scsi::sbc {
namespace {

void raw_flush(runtime::BlockIo& store, StepDone done) {
  store.flush([done = std::move(done)](Result<void> result) { done(result.ok()); });
}

}  // namespace

void raw_read(const TaskPtr& task, runtime::BlockIo& store, std::uint64_t lba,
              std::uint64_t blocks, ReadDone done) {
  const LogicalUnit& lu = task->lu();
  auto buffer = std::make_shared<Bytes>(bytes_of(lu, blocks));
  store.read(bytes_of(lu, lba), *buffer,
             [buffer, done = std::move(done)](Result<void> result) {
               done(result.ok(), std::move(*buffer));
             });
}

void raw_write(const TaskPtr& task, runtime::BlockIo& store, std::uint64_t lba, ByteView data,
               WriteOptions options, StepDone done) {
  runtime::BlockIo* target = &store;
  store.write(bytes_of(task->lu(), lba), data,
              [target, options, done = std::move(done)](Result<void> result) mutable {
                if (!result || !options.fua) {
                  done(result.ok());
                  return;
                }
                raw_flush(*target, std::move(done));
              });
}

namespace {

// Finishes a read step: releases the lock, then fails the task or continues.
ReadDone finish_read(const TaskPtr& task, std::uint64_t lba, Release release,
                     std::function<void(Bytes)> then) {
  return [task, lba, release = std::move(release), then = std::move(then)](bool ok, Bytes data) {
    release();
    if (!ok) {
      fail_io(task, IoKind::read, lba);
      return;
    }
    then(std::move(data));
  };
}

StepDone finish_write(const TaskPtr& task, std::uint64_t lba, Release release,
                      std::function<void()> then) {
  return [task, lba, release = std::move(release), then = std::move(then)](bool ok) {
    release();
    if (!ok) {
      fail_io(task, IoKind::write, lba);
      return;
    }
    then();
  };
}

}  // namespace

runtime::BlockIo* store_or_fail(const TaskPtr& task) {
  runtime::BlockIo* store = task->lu().store();
  if (store == nullptr) {
    task->complete_check_condition(SenseKey::not_ready, asc::kMediumNotPresent);
  }
  return store;
}

void read_blocks(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                 std::function<void(Bytes)> then) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  with_range_lock(task, lba, blocks, backing::LockMode::shared,
                  [task, store, lba, blocks, then = std::move(then)](Release release) mutable {
                    raw_read(task, *store, lba, blocks,
                             finish_read(task, lba, std::move(release), std::move(then)));
                  });
}

void write_blocks(const TaskPtr& task, std::uint64_t lba, ByteView data, WriteOptions options,
                  std::function<void()> then) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  const std::uint64_t blocks = data.size() / task->lu().block_size();
  with_range_lock(task, lba, blocks, backing::LockMode::shared,
                  [task, store, lba, data, options,
                   then = std::move(then)](Release release) mutable {
                    raw_write(task, *store, lba, data, options,
                              finish_write(task, lba, std::move(release), std::move(then)));
                  });
}

namespace {

// One WRITE SAME / SANITIZE pass: the pattern repeated over a chunk, written chunk by chunk.
struct PatternJob {
  TaskPtr task;
  runtime::BlockIo* store;
  std::uint64_t next_lba;
  std::uint64_t end_lba;
  Bytes chunk;  // kPatternChunkBlocks copies of the pattern
  Release release;
  std::function<void()> then;
};

void write_next_chunk(std::shared_ptr<PatternJob> job) {
  if (job->next_lba >= job->end_lba) {
    job->release();
    job->then();
    return;
  }
  const std::uint32_t block = job->task->lu().block_size();
  const std::uint64_t blocks =
      std::min<std::uint64_t>(job->end_lba - job->next_lba, job->chunk.size() / block);
  const ByteView data(job->chunk.data(), (blocks * block));
  const std::uint64_t lba = job->next_lba;
  raw_write(job->task, *job->store, lba, data, {}, [job, lba, blocks](bool ok) {
    if (!ok) {
      job->release();
      fail_io(job->task, IoKind::write, lba);
      return;
    }
    job->next_lba = lba + blocks;
    write_next_chunk(job);
  });
}

}  // namespace

void write_pattern(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks, Bytes pattern,
                   std::function<void()> then) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  const std::uint64_t chunk_blocks = std::min<std::uint64_t>(blocks, kPatternChunkBlocks);
  Bytes chunk;
  chunk.reserve(chunk_blocks * pattern.size());
  for (std::uint64_t i = 0; i < chunk_blocks; ++i) {
    chunk.insert(chunk.end(), pattern.begin(), pattern.end());
  }
  auto job = std::make_shared<PatternJob>(
      PatternJob{task, store, lba, lba + blocks, std::move(chunk), {}, std::move(then)});
  with_range_lock(task, lba, blocks, backing::LockMode::shared, [job](Release release) {
    job->release = std::move(release);
    write_next_chunk(job);
  });
}

void unmap_blocks(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                  std::function<void()> then) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  with_range_lock(task, lba, blocks, backing::LockMode::shared,
                  [task, store, lba, blocks, then = std::move(then)](Release release) mutable {
                    const LogicalUnit& lu = task->lu();
                    auto done = finish_write(task, lba, std::move(release), std::move(then));
                    store->unmap(bytes_of(lu, lba), bytes_of(lu, blocks),
                                 [done = std::move(done)](Result<void> r) { done(r.ok()); });
                  });
}

void flush_store(const TaskPtr& task, std::function<void()> then) {
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  raw_flush(*store, finish_write(task, 0, [] {}, std::move(then)));
}

}  // namespace iscsi::target::scsi::sbc
