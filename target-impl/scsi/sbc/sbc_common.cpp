#include "target-impl/scsi/sbc/sbc_common.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

namespace iscsi::target::scsi::sbc {

BlockCdb decode_cdb6(ByteView cdb) {
  BlockCdb out;
  out.lba = load_be24(cdb.data() + 1) & 0x1fffffU;
  // SBC-3 §5.15: a TRANSFER LENGTH of 0 in a 6-byte CDB means 256 blocks.
  out.blocks = cdb[4] == 0 ? 256U : cdb[4];
  return out;
}

BlockCdb decode_cdb10(ByteView cdb) {
  return BlockCdb{load_be32(cdb.data() + 2), load_be16(cdb.data() + 7),
                  static_cast<std::uint8_t>(cdb[1] >> 5), cdb[1]};
}

BlockCdb decode_cdb12(ByteView cdb) {
  return BlockCdb{load_be32(cdb.data() + 2), load_be32(cdb.data() + 6),
                  static_cast<std::uint8_t>(cdb[1] >> 5), cdb[1]};
}

BlockCdb decode_cdb16(ByteView cdb) {
  return BlockCdb{load_be64(cdb.data() + 2), load_be32(cdb.data() + 10),
                  static_cast<std::uint8_t>(cdb[1] >> 5), cdb[1]};
}

bool in_capacity(const LogicalUnit& lu, std::uint64_t lba, std::uint64_t blocks) {
  return lba <= lu.block_count() && blocks <= lu.block_count() - lba;
}

bool check_protect_zero(const TaskPtr& task, std::uint8_t protect) {
  if (protect == 0) return true;
  task->fail_invalid_field_in_cdb(1, 7);
  return false;
}

bool check_in_capacity(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks) {
  if (in_capacity(task->lu(), lba, blocks)) return true;
  task->complete_check_condition(SenseKey::illegal_request, asc::kLbaOutOfRange);
  return false;
}

bool check_transfer_length(const TaskPtr& task, std::uint64_t blocks, std::uint16_t length_byte) {
  const std::uint32_t reported = task->lu().limits().max_transfer_length_blocks;
  const std::uint64_t limit = reported == 0 ? kMaxTransferBlocks
                                            : std::min(reported, kMaxTransferBlocks);
  if (blocks <= limit) return true;
  task->fail_invalid_field_in_cdb(length_byte);
  return false;
}

void fail_io(const TaskPtr& task, IoKind kind, std::uint64_t lba) {
  const AdditionalSense code =
      kind == IoKind::read ? asc::kUnrecoveredReadError : asc::kWriteError;
  task->complete_check_condition(SenseKey::medium_error, code, SenseDetail{lba, std::nullopt});
}

std::uint32_t wanted(std::uint64_t bytes) {
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(bytes, std::numeric_limits<std::uint32_t>::max()));
}

void with_range_lock(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks,
                     backing::LockMode mode, std::function<void(Release)> body) {
  backing::TrackedStore* state = state_of(task);
  if (state == nullptr) {
    body([] {});
    return;
  }
  // `body` hands the release function to its I/O callback, which holds the task and so the
  // LU, its store and the locks: `state` stays valid until release runs.
  auto granted = [state, body = std::move(body)](backing::RangeLocks::Ticket ticket) {
    body([state, ticket] { state->locks().release(ticket); });
  };
  if (state->locks().acquire(lba, blocks, mode, std::move(granted)) == 0) {
    CommandResult busy;
    busy.status = kStatusTaskSetFull;
    task->complete(std::move(busy));
  }
}

}  // namespace iscsi::target::scsi::sbc
