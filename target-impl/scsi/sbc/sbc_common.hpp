#pragma once
// Shared pieces of the SBC-3 handlers (target-impl/scsi/sbc/): CDB field decoding, the range
// and limit checks every medium access command makes, store error mapping, and the LU's
// block-level state (backing/tracked_store.hpp).
#include <cstdint>
#include <functional>
#include <optional>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "target-impl/scsi/backing/tracked_store.hpp"
#include "target-impl/scsi/task.hpp"

namespace iscsi::target::scsi::sbc {

// Largest transfer one command may ask for, in logical blocks (32 MiB). A read buffer is
// allocated whole, so an initiator must not make us allocate more; MAXIMUM TRANSFER LENGTH in
// the Block Limits page should report no more than this.
inline constexpr std::uint32_t kMaxTransferBlocks = 65536;
// WRITE SAME and SANITIZE OVERWRITE write their pattern this many blocks at a time.
inline constexpr std::uint32_t kPatternChunkBlocks = 256;
// Most LBA status descriptors one GET LBA STATUS returns.
inline constexpr std::uint32_t kMaxLbaStatusDescriptors = 4096;

// The fields of a READ/WRITE/VERIFY-style CDB (SBC-3 §5.x): where and how much.
struct BlockCdb {
  std::uint64_t lba = 0;
  std::uint32_t blocks = 0;
  std::uint8_t protect = 0;  // RDPROTECT/WRPROTECT/VRPROTECT/ORPROTECT (byte 1 bits 7-5)
  std::uint8_t flags = 0;    // byte 1 as is (DPO bit 4, FUA bit 3, BYTCHK bits 2-1 ...)
};

// 6-byte CDBs (READ(6)/WRITE(6), SBC-3 §5.15/§5.41): 21-bit LBA, length 0 meaning 256.
BlockCdb decode_cdb6(ByteView cdb);
// 10/12/16-byte CDBs with the LBA at byte 2 and the length after it.
BlockCdb decode_cdb10(ByteView cdb);
BlockCdb decode_cdb12(ByteView cdb);
BlockCdb decode_cdb16(ByteView cdb);

// Whether [lba, lba + blocks) lies within the LU (written so it cannot wrap).
bool in_capacity(const LogicalUnit& lu, std::uint64_t lba, std::uint64_t blocks);

// The checks every medium access command makes, in SBC-3 order. Each fails the task (and
// returns false) when the check fails:
//  - a protection field other than 0: INVALID FIELD IN CDB at byte 1 bit 7 (no protection
//    information on our LUs, SBC-3 §4.22.2);
bool check_protect_zero(const TaskPtr& task, std::uint8_t protect);
//  - LBA OUT OF RANGE (21h/00h, SBC-3 §4.5) when the range runs past the capacity;
bool check_in_capacity(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks);
//  - INVALID FIELD IN CDB at `length_byte` when blocks exceed kMaxTransferBlocks or the Block
//    Limits MAXIMUM TRANSFER LENGTH (SBC-3 §6.5.3).
bool check_transfer_length(const TaskPtr& task, std::uint64_t blocks, std::uint16_t length_byte);

// Fails the task after a store error: MEDIUM ERROR with UNRECOVERED READ ERROR (11h/00h) for a
// read, WRITE ERROR (0Ch/00h) for a write (SBC-3 §4.16).
enum class IoKind : std::uint8_t { read, write };
void fail_io(const TaskPtr& task, IoKind kind, std::uint64_t lba);

// Bytes of `blocks` logical blocks; callers keep blocks within kMaxTransferBlocks or check.
inline std::uint64_t bytes_of(const LogicalUnit& lu, std::uint64_t blocks) {
  return blocks * lu.block_size();
}
// data_out_wanted for `bytes`, saturated at 2^32 - 1 (the EDTL field is 32 bits).
std::uint32_t wanted(std::uint64_t bytes);

// The LU's block-level state, or nullptr for a store that is not a TrackedStore.
inline backing::TrackedStore* state_of(const TaskPtr& task) {
  return backing::tracked_state(task->lu().store());
}

// Runs `body` under a range lock of the LU (directly when the LU has no TrackedStore) and
// hands it the function that releases the lock; `body` calls it exactly once when its I/O is
// done. When too many locks are outstanding the task ends with TASK SET FULL instead.
using Release = std::function<void()>;
void with_range_lock(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                     backing::LockMode mode, std::function<void(Release)> body);

}  // namespace iscsi::target::scsi::sbc
