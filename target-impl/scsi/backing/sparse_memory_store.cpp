#include "target-impl/scsi/backing/sparse_memory_store.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "target-impl/scsi/backing/complete_later.hpp"
#include "target-impl/scsi/backing/range_check.hpp"

namespace iscsi::target::scsi::backing {
namespace {

constexpr std::string_view kStoreName = "sparse memory store";
constexpr ViolationKind kBadSize{"blockio.bad-size", "SBC-3 §4.5", Severity::recoverable};

bool all_zero(ByteView bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// One piece of a byte range that lies inside a single chunk.
struct Piece {
  std::uint64_t chunk;       // chunk index
  std::size_t in_chunk;      // offset inside the chunk
  std::size_t length;        // bytes in this chunk
  std::size_t in_request;    // offset inside the caller's range
};

// Calls `fn(Piece)` for each chunk the range [offset, offset + length) touches, in order.
template <class Fn>
void for_each_piece(std::uint64_t offset, std::uint64_t length, Fn&& fn) {
  std::uint64_t done = 0;
  while (done < length) {
    const std::uint64_t at = offset + done;
    const auto in_chunk = (at % kChunkBytes);
    const auto piece = (
        std::min<std::uint64_t>(kChunkBytes - in_chunk, length - done));
    fn(Piece{at / kChunkBytes, in_chunk, piece, done});
    done += piece;
  }
}

}  // namespace

Result<std::unique_ptr<SparseMemoryStore>> SparseMemoryStore::create(
    runtime::TimerService& timers, SparseMemoryStoreOptions options) {
  if (options.size_bytes > kMaxSparseStoreBytes) {
    return Violation{kBadSize, fmt::format("{}: size {} bytes exceeds the limit of {} bytes",
                                           kStoreName, options.size_bytes,
                                           kMaxSparseStoreBytes)};
  }
  return std::unique_ptr<SparseMemoryStore>(new SparseMemoryStore(timers, options));
}

SparseMemoryStore::SparseMemoryStore(runtime::TimerService& timers,
                                     SparseMemoryStoreOptions options)
    : timers_(timers), options_(options) {
  const std::uint64_t chunks = (options.size_bytes + kChunkBytes - 1) / kChunkBytes;
  directory_.resize((chunks + kChunksPerLeaf - 1) / kChunksPerLeaf);
}

const SparseMemoryStore::Chunk* SparseMemoryStore::find_chunk(std::uint64_t index) const {
  const auto& leaf = directory_[index / kChunksPerLeaf];
  if (!leaf) return nullptr;
  return (*leaf)[index % kChunksPerLeaf].get();
}

SparseMemoryStore::Chunk& SparseMemoryStore::chunk_for_write(std::uint64_t index) {
  auto& leaf = directory_[index / kChunksPerLeaf];
  if (!leaf) leaf = std::make_unique<Leaf>();
  auto& chunk = (*leaf)[index % kChunksPerLeaf];
  if (!chunk) {
    chunk = std::make_unique<Chunk>();  // value-initialized: zeros, as an unwritten block reads
    ++allocated_chunks_;
  }
  return *chunk;
}

void SparseMemoryStore::release_chunk(std::uint64_t index) {
  auto& leaf = directory_[index / kChunksPerLeaf];
  if (!leaf) return;
  auto& chunk = (*leaf)[index % kChunksPerLeaf];
  if (chunk) {
    chunk.reset();
    --allocated_chunks_;
  }
}

void SparseMemoryStore::copy_out(std::uint64_t offset, MutableByteView out) const {
  for_each_piece(offset, out.size(), [&](const Piece& p) {
    std::uint8_t* target = out.data() + p.in_request;
    if (const Chunk* chunk = find_chunk(p.chunk)) {
      std::memcpy(target, chunk->data() + p.in_chunk, p.length);
    } else {
      std::memset(target, 0, p.length);
    }
  });
}

void SparseMemoryStore::copy_in(std::uint64_t offset, ByteView data) {
  for_each_piece(offset, data.size(), [&](const Piece& p) {
    const ByteView part = data.subspan(p.in_request, p.length);
    // A whole chunk of zeros needs no memory: an absent chunk reads as zeros. This keeps
    // WRITE SAME of zeros over a large range from allocating it.
    if (p.length == kChunkBytes && all_zero(part)) {
      release_chunk(p.chunk);
      return;
    }
    std::memcpy(chunk_for_write(p.chunk).data() + p.in_chunk, part.data(), p.length);
  });
}

void SparseMemoryStore::zero_range(std::uint64_t offset, std::uint64_t length) {
  for_each_piece(offset, length, [&](const Piece& p) {
    if (p.length == kChunkBytes) {
      release_chunk(p.chunk);
      return;
    }
    // A partly unmapped chunk keeps its memory; the unmapped part must read as zeros.
    if (find_chunk(p.chunk) != nullptr) {
      std::memset(chunk_for_write(p.chunk).data() + p.in_chunk, 0, p.length);
    }
  });
}

void SparseMemoryStore::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  auto checked = check_range(kStoreName, offset, out.size(), options_.size_bytes);
  if (checked) copy_out(offset, out);
  complete_later(timers_, options_.latency, std::move(done), std::move(checked));
}

void SparseMemoryStore::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  auto checked = check_range(kStoreName, offset, data.size(), options_.size_bytes);
  if (checked) copy_in(offset, data);
  complete_later(timers_, options_.latency, std::move(done), std::move(checked));
}

void SparseMemoryStore::flush(runtime::IoCallback done) {
  complete_later(timers_, options_.latency, std::move(done), success());
}

void SparseMemoryStore::unmap(std::uint64_t offset, std::uint64_t length,
                              runtime::IoCallback done) {
  auto checked = check_range(kStoreName, offset, length, options_.size_bytes);
  if (checked) zero_range(offset, length);
  complete_later(timers_, options_.latency, std::move(done), std::move(checked));
}

}  // namespace iscsi::target::scsi::backing
