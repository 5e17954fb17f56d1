#pragma once
// A sparse in-memory backing store: `--bstype ram` LUNs on both runtimes, and the stand-in for
// file LUNs in the simulator. Memory is allocated one 4 KiB chunk (one physical block) at a
// time on the first write that touches it; unmapped chunks are freed; a read of a chunk never
// written returns zeros, which is what LBPRZ=1 promises (SBC-3 §4.7.4.5). Data moves inside the
// call, in issue order, and the completion runs later through the TimerService.
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/runtime/block_io.hpp"
#include "core/runtime/timer_service.hpp"
#include "target-impl/scsi/backing/limits.hpp"

namespace iscsi::target::scsi::backing {

struct SparseMemoryStoreOptions {
  std::uint64_t size_bytes = 0;
  // Delay before each completion; 0 completes on the next turn of the event loop. Simulated
  // file LUNs set a latency so scenarios see storage time.
  runtime::Duration latency{0};
};

class SparseMemoryStore final : public runtime::BlockIo {
 public:
  // Fails ("blockio.bad-size") when size_bytes exceeds kMaxSparseStoreBytes.
  static Result<std::unique_ptr<SparseMemoryStore>> create(runtime::TimerService& timers,
                                                           SparseMemoryStoreOptions options);

  std::uint64_t size_bytes() const override { return options_.size_bytes; }
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

  // Chunks currently holding memory, for tests and `--op show` style accounting.
  std::uint64_t allocated_chunks() const { return allocated_chunks_; }

 private:
  using Chunk = std::array<std::uint8_t, kChunkBytes>;
  using Leaf = std::array<std::unique_ptr<Chunk>, kChunksPerLeaf>;

  SparseMemoryStore(runtime::TimerService& timers, SparseMemoryStoreOptions options);
  const Chunk* find_chunk(std::uint64_t index) const;
  Chunk& chunk_for_write(std::uint64_t index);
  void release_chunk(std::uint64_t index);
  void copy_out(std::uint64_t offset, MutableByteView out) const;
  void copy_in(std::uint64_t offset, ByteView data);
  void zero_range(std::uint64_t offset, std::uint64_t length);

  runtime::TimerService& timers_;
  SparseMemoryStoreOptions options_;
  // Two-level index: one directory slot per kChunksPerLeaf chunks, leaves made on demand.
  std::vector<std::unique_ptr<Leaf>> directory_;
  std::uint64_t allocated_chunks_ = 0;
};

}  // namespace iscsi::target::scsi::backing
