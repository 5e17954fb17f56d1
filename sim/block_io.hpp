#pragma once
// A sparse in-memory LUN for simulated runs: 4 KiB chunks allocated on first write, so a 40 GiB
// LUN costs nothing until written; unwritten ranges read as zeros. Every operation completes on
// the simulator's event loop after a configurable virtual latency.
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "core/runtime/block_io.hpp"
#include "sim/simulator.hpp"

namespace iscsi::sim {

inline constexpr std::size_t kChunkSize = 4096;

struct BlockIoLatency {
  runtime::Duration read{0};
  runtime::Duration write{0};
  runtime::Duration flush{0};
  runtime::Duration unmap{0};
};

class SparseBlockIo final : public runtime::BlockIo {
 public:
  SparseBlockIo(Simulator& simulator, std::uint64_t size_bytes, BlockIoLatency latency = {});

  std::uint64_t size_bytes() const override { return size_bytes_; }
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

  std::size_t allocated_chunks() const { return chunks_.size(); }

 private:
  using Chunk = std::unique_ptr<std::uint8_t[]>;
  Result<void> check_range(std::uint64_t offset, std::uint64_t length, const char* op) const;
  void complete(runtime::Duration latency, runtime::IoCallback done, Result<void> result);
  void copy_out(std::uint64_t offset, MutableByteView out) const;
  void copy_in(std::uint64_t offset, ByteView data);
  void zero_range(std::uint64_t offset, std::uint64_t length);

  Simulator& simulator_;
  std::uint64_t size_bytes_;
  BlockIoLatency latency_;
  std::unordered_map<std::uint64_t, Chunk> chunks_;  // chunk index -> 4 KiB
};

}  // namespace iscsi::sim
