#pragma once
// Named limits and geometry of the reference target's backing stores. Every disk LUN has
// 512-byte logical blocks on 4096-byte physical blocks (SBC-3 §6.2.3, LBPPBE 3), as the issue
// asks; the sparse store allocates memory one physical block at a time.
#include <cstdint>

namespace iscsi::target::scsi::backing {

inline constexpr std::uint32_t kLogicalBlockBytes = 512;
inline constexpr std::uint32_t kPhysicalBlockBytes = 4096;
// SBC-3 §6.2.3 READ CAPACITY(16): LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT, 2^3 = 4096/512.
inline constexpr std::uint8_t kLogicalBlocksPerPhysicalExponent = 3;
inline constexpr std::uint32_t kLogicalBlocksPerPhysical = 1U << kLogicalBlocksPerPhysicalExponent;

// The sparse store's unit of allocation: one physical block.
inline constexpr std::uint64_t kChunkBytes = kPhysicalBlockBytes;
// Chunks per leaf table of the sparse store's two-level index (one leaf covers 2 MiB).
inline constexpr std::uint64_t kChunksPerLeaf = 512;
// Largest `--bstype ram` or simulated LUN: the index directory holds one pointer per 2 MiB,
// so 4 TiB costs 16 MiB of directory even when nothing is written.
inline constexpr std::uint64_t kMaxSparseStoreBytes = std::uint64_t{4} << 40;
// Largest `--bstype null` LUN: nothing is stored, so only the LBA arithmetic bounds it; 2^63
// bytes keeps every byte offset representable.
inline constexpr std::uint64_t kMaxNullStoreBytes = std::uint64_t{1} << 62;
// Most extents the allocation tracker keeps per LU before it coarsens (see
// allocation_tracker.hpp): about 48 MiB in the worst case.
inline constexpr std::uint64_t kMaxTrackedExtents = std::uint64_t{1} << 20;

}  // namespace iscsi::target::scsi::backing
