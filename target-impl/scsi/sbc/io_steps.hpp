#pragma once
// The I/O steps SBC handlers chain: read blocks into a buffer, write blocks, flush, unmap, each
// finishing the task with the right sense data when the store fails. Every step takes the
// range lock it needs (sbc_common.hpp) and calls `then` after the store's callback.
#include <cstdint>
#include <functional>

#include "core/common/bytes.hpp"
#include "target-impl/scsi/sbc/sbc_common.hpp"

namespace iscsi::target::scsi::sbc {

// The LU's store, or nullptr after failing the task with NOT READY, MEDIUM NOT PRESENT.
runtime::BlockIo* store_or_fail(const TaskPtr& task);

// Reads `blocks` at `lba` under a shared lock; `then` receives the data.
void read_blocks(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                 std::function<void(Bytes)> then);

struct WriteOptions {
  bool fua = false;  // SBC-3 §5.40: force unit access, so flush before reporting GOOD
};
// Writes `data` (whole blocks; it must stay valid until `then`, e.g. the task's Data-Out) at
// `lba` under a shared lock.
void write_blocks(const TaskPtr& task, std::uint64_t lba, ByteView data, WriteOptions options,
                  std::function<void()> then);

// Raw steps for handlers that hold a lock across several steps (COMPARE AND WRITE, ORWRITE,
// WRITE ATOMIC): they report success and never finish the task, so the caller can release its
// lock on both paths. `store` comes from store_or_fail.
using ReadDone = std::function<void(bool ok, Bytes data)>;
using StepDone = std::function<void(bool ok)>;
void raw_read(const TaskPtr& task, runtime::BlockIo& store, std::uint64_t lba,
              std::uint64_t blocks, ReadDone done);
void raw_write(const TaskPtr& task, runtime::BlockIo& store, std::uint64_t lba, ByteView data,
               WriteOptions options, StepDone done);

// Writes the one-block `pattern` to every block of [lba, lba + blocks), a chunk at a time.
void write_pattern(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks, Bytes pattern,
                   std::function<void()> then);
// Deallocates [lba, lba + blocks) under a shared lock.
void unmap_blocks(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                  std::function<void()> then);
void flush_store(const TaskPtr& task, std::function<void()> then);

}  // namespace iscsi::target::scsi::sbc
