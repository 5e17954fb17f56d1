// READ, WRITE, WRITE AND VERIFY and WRITE ATOMIC (SBC-3 §5.14-§5.17, §5.32-§5.44; SBC-4 §5.50).
#include <algorithm>
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

constexpr std::uint8_t kFua = 0x08;  // byte 1 bit 3 of 10/12/16-byte CDBs

void run_read(const TaskPtr& task, const BlockCdb& cdb, std::uint16_t length_byte) {
  if (!check_protect_zero(task, cdb.protect)) return;
  if (!check_in_capacity(task, cdb.lba, cdb.blocks)) return;
  if (!check_transfer_length(task, cdb.blocks, length_byte)) return;
  // SBC-3 §5.16: a TRANSFER LENGTH of 0 transfers nothing and is not an error.
  if (cdb.blocks == 0) {
    task->complete_good();
    return;
  }
  read_blocks(task, cdb.lba, cdb.blocks, [task](Bytes data) { task->complete_good(std::move(data)); });
}

// Checks a write CDB and returns how many whole blocks of Data-Out arrived (0: nothing to do,
// task possibly completed). The CDB decides the transfer; the initiator may have sent less
// (EDTL below it) or more: RFC 7143 §11.4.5.1 residuals, set by the session from
// data_out_wanted. Only blocks that arrived whole are written, as libiscsi's residual tests
// expect.
std::uint64_t prepare_write(const TaskPtr& task, const BlockCdb& cdb, std::uint16_t length_byte) {
  LogicalUnit& lu = task->lu();
  task->set_data_out_wanted(wanted(bytes_of(lu, cdb.blocks)));
  if (!check_protect_zero(task, cdb.protect)) return 0;
  if (!check_in_capacity(task, cdb.lba, cdb.blocks)) return 0;
  if (!check_transfer_length(task, cdb.blocks, length_byte)) return 0;
  const std::uint64_t arrived = task->data_out().size() / lu.block_size();
  const std::uint64_t blocks = std::min<std::uint64_t>(cdb.blocks, arrived);
  if (blocks == 0) task->complete_good();
  return blocks;
}

void run_write(const TaskPtr& task, const BlockCdb& cdb, std::uint16_t length_byte) {
  const std::uint64_t blocks = prepare_write(task, cdb, length_byte);
  if (blocks == 0) return;
  const ByteView data = task->data_out().first(
      (bytes_of(task->lu(), blocks)));
  write_blocks(task, cdb.lba, data, WriteOptions{(cdb.flags & kFua) != 0},
               [task] { task->complete_good(); });
}

// WRITE AND VERIFY (SBC-3 §5.42): the store reports write errors, so verifying the medium
// (BYTCHK 0) adds nothing; with BYTCHK 1 the written data is the Data-Out, so the comparison
// holds by construction. FUA is implied (SBC-3: the data is written to the medium).
void run_write_and_verify(const TaskPtr& task, BlockCdb cdb, std::uint16_t length_byte) {
  // Byte 1 bits 2-1 are BYTCHK; 10b is reserved (SBC-4 table 107).
  if (((cdb.flags >> 1) & 0x03) == 0x02) {
    task->set_data_out_wanted(wanted(bytes_of(task->lu(), cdb.blocks)));
    task->fail_invalid_field_in_cdb(1, 2);
    return;
  }
  cdb.flags = static_cast<std::uint8_t>(cdb.flags | kFua);
  run_write(task, cdb, length_byte);
}

}  // namespace

void read6(const TaskPtr& task) { run_read(task, decode_cdb6(task->cdb()), 4); }
void read10(const TaskPtr& task) { run_read(task, decode_cdb10(task->cdb()), 7); }
void read12(const TaskPtr& task) { run_read(task, decode_cdb12(task->cdb()), 6); }
void read16(const TaskPtr& task) { run_read(task, decode_cdb16(task->cdb()), 10); }

void write6(const TaskPtr& task) { run_write(task, decode_cdb6(task->cdb()), 4); }
void write10(const TaskPtr& task) { run_write(task, decode_cdb10(task->cdb()), 7); }
void write12(const TaskPtr& task) { run_write(task, decode_cdb12(task->cdb()), 6); }
void write16(const TaskPtr& task) { run_write(task, decode_cdb16(task->cdb()), 10); }

void write_and_verify10(const TaskPtr& task) {
  run_write_and_verify(task, decode_cdb10(task->cdb()), 7);
}
void write_and_verify12(const TaskPtr& task) {
  run_write_and_verify(task, decode_cdb12(task->cdb()), 6);
}
void write_and_verify16(const TaskPtr& task) {
  run_write_and_verify(task, decode_cdb16(task->cdb()), 10);
}

// WRITE ATOMIC(16) (SBC-4 §5.48): byte 1 WRPROTECT/DPO/FUA, LBA at 2, ATOMIC BOUNDARY at 10,
// TRANSFER LENGTH at 12. The write runs under an exclusive range lock, so no other command
// sees part of it. We report MAXIMUM ATOMIC TRANSFER LENGTH and no atomic boundaries.
void write_atomic16(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  BlockCdb fields{load_be64(cdb.data() + 2), load_be16(cdb.data() + 12),
                  static_cast<std::uint8_t>(cdb[1] >> 5), cdb[1]};
  LogicalUnit& lu = task->lu();
  task->set_data_out_wanted(wanted(bytes_of(lu, fields.blocks)));
  // Range first, then the atomic limits: libiscsi's BeyondEol test expects LBA OUT OF RANGE
  // for lengths up to 256 blocks.
  if (!check_protect_zero(task, fields.protect)) return;
  if (!check_in_capacity(task, fields.lba, fields.blocks)) return;
  if (load_be16(cdb.data() + 10) != 0) {
    task->fail_invalid_field_in_cdb(10);
    return;
  }
  if (fields.blocks > lu.limits().max_atomic_transfer_length) {
    task->fail_invalid_field_in_cdb(12);
    return;
  }
  const std::uint64_t blocks = prepare_write(task, fields, 12);
  if (blocks == 0) return;
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  const ByteView data = task->data_out().first(bytes_of(lu, blocks));
  const WriteOptions options{(fields.flags & kFua) != 0};
  with_range_lock(task, fields.lba, blocks, backing::LockMode::exclusive,
                  [task, store, lba = fields.lba, data, options](Release release) {
                    raw_write(task, *store, lba, data, options, [task, lba, release](bool ok) {
                      release();
                      if (!ok) {
                        fail_io(task, IoKind::write, lba);
                        return;
                      }
                      task->complete_good();
                    });
                  });
}

}  // namespace iscsi::target::scsi::sbc
