// SYNCHRONIZE CACHE (SBC-3 §5.22, §5.23), PRE-FETCH (§5.11, §5.12) and READ DEFECT DATA
// (§5.17, §5.18).
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

// Both commands name a range; NUMBER OF LOGICAL BLOCKS 0 means "to the last LBA". A range past
// the capacity is LBA OUT OF RANGE.
bool check_cache_range(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks) {
  if (blocks == 0) blocks = lba <= task->lu().block_count() ? 0 : 1;
  return check_in_capacity(task, lba, blocks);
}

// The stores flush as a whole (fdatasync); the range only needs to be valid. IMMED (byte 1
// bit 1) lets us answer before the flush, but answering after it is never wrong.
void run_synchronize(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks) {
  if (!check_cache_range(task, lba, blocks)) return;
  flush_store(task, [task] { task->complete_good(); });
}

// Our stores have no read cache to fill: PRE-FETCH checks the range and reports GOOD (SBC-3
// §5.11: GOOD when the blocks were not all placed in cache, CONDITION MET otherwise).
void run_prefetch(const TaskPtr& task, std::uint64_t lba, std::uint64_t blocks) {
  if (!check_cache_range(task, lba, blocks)) return;
  task->complete_good();
}

}  // namespace

void synchronize_cache10(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  run_synchronize(task, load_be32(cdb.data() + 2), load_be16(cdb.data() + 7));
}

void synchronize_cache16(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  run_synchronize(task, load_be64(cdb.data() + 2), load_be32(cdb.data() + 10));
}

void prefetch10(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  run_prefetch(task, load_be32(cdb.data() + 2), load_be16(cdb.data() + 7));
}

void prefetch16(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  run_prefetch(task, load_be64(cdb.data() + 2), load_be32(cdb.data() + 10));
}

// READ DEFECT DATA(10) (SBC-3 §5.17): byte 2 REQ_PLIST (bit 4), REQ_GLIST (bit 3) and the
// DEFECT LIST FORMAT (bits 2-0); ALLOCATION LENGTH at 7-8. A virtual disk has no defects: the
// header echoes the requested lists as valid and empty, in the requested format.
void read_defect_data10(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  Bytes data(4, 0);
  data[1] = static_cast<std::uint8_t>(cdb[2] & 0x1f);
  truncate_to_allocation(data, load_be16(cdb.data() + 7));
  task->complete_good(std::move(data));
}

// READ DEFECT DATA(12) (SBC-3 §5.18): the same fields in byte 1, ALLOCATION LENGTH at 6-9, an
// 8-byte header with a 4-byte DEFECT LIST LENGTH.
void read_defect_data12(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  Bytes data(8, 0);
  data[1] = static_cast<std::uint8_t>(cdb[1] & 0x1f);
  truncate_to_allocation(data, load_be32(cdb.data() + 6));
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::sbc
