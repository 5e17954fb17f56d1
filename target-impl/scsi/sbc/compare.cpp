// Commands that compare medium data: VERIFY (SBC-3 §5.33-§5.35), COMPARE AND WRITE (§5.2) and
// ORWRITE (§5.10, which reads, ORs and writes). The last two are indivisible: they hold an
// exclusive range lock from their read to the end of their write.
#include <algorithm>
#include <optional>
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

constexpr std::uint8_t kFua = 0x08;

// Offset of the first byte where `a` and `b` differ, if any.
std::optional<std::uint64_t> first_difference(ByteView a, ByteView b) {
  const auto mismatch = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (mismatch.first == a.end() && mismatch.second == b.end()) return std::nullopt;
  return static_cast<std::uint64_t>(mismatch.first - a.begin());
}

// SBC-3 §5.33: MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION, with the INFORMATION field set
// to the offset of the first differing byte in the Data-Out buffer.
void fail_miscompare(const TaskPtr& task, std::uint64_t offset) {
  task->complete_check_condition(SenseKey::miscompare, asc::kMiscompareDuringVerify,
                                 SenseDetail{offset, std::nullopt});
}

void run_verify(const TaskPtr& task, const BlockCdb& cdb, std::uint16_t length_byte) {
  LogicalUnit& lu = task->lu();
  // BYTCHK (byte 1 bits 2-1, SBC-4 table 113): 00b check the medium only, 01b compare with
  // the Data-Out blocks, 10b reserved, 11b compare every block with one Data-Out block.
  const auto bytchk = static_cast<std::uint8_t>((cdb.flags >> 1) & 0x03);
  const std::uint64_t compare_blocks = bytchk == 0x01 ? cdb.blocks : (bytchk == 0x03 ? 1 : 0);
  task->set_data_out_wanted(wanted(bytes_of(lu, compare_blocks)));
  if (!check_protect_zero(task, cdb.protect)) return;
  if (bytchk == 0x02) {
    task->fail_invalid_field_in_cdb(1, 2);
    return;
  }
  if (!check_in_capacity(task, cdb.lba, cdb.blocks)) return;
  if (!check_transfer_length(task, cdb.blocks, length_byte)) return;
  if (cdb.blocks == 0 || bytchk == 0) {
    task->complete_good();
    return;
  }
  if (task->data_out().size() < bytes_of(lu, compare_blocks)) {
    // The initiator sent less than the comparison needs (EDTL below it): there is nothing to
    // compare the rest with, so the command cannot be carried out as asked.
    task->fail_invalid_field_in_cdb(length_byte);
    return;
  }
  read_blocks(task, cdb.lba, cdb.blocks, [task, bytchk](Bytes medium) {
    const ByteView expected = task->data_out();
    const std::size_t block = task->lu().block_size();
    for (std::size_t at = 0; at < medium.size(); at += block) {
      const ByteView want = bytchk == 0x01 ? expected.subspan(at, block) : expected.first(block);
      if (auto diff = first_difference(want, ByteView(medium).subspan(at, block))) {
        fail_miscompare(task, at + *diff);
        return;
      }
    }
    task->complete_good();
  });
}

}  // namespace

void verify10(const TaskPtr& task) { run_verify(task, decode_cdb10(task->cdb()), 7); }
void verify12(const TaskPtr& task) { run_verify(task, decode_cdb12(task->cdb()), 6); }
void verify16(const TaskPtr& task) { run_verify(task, decode_cdb16(task->cdb()), 10); }

// COMPARE AND WRITE (SBC-3 §5.2): byte 1 WRPROTECT/DPO/FUA, LBA at 2, NUMBER OF LOGICAL BLOCKS
// at 13. The Data-Out holds the verify data followed by the write data, each NLB blocks.
void compare_and_write(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  LogicalUnit& lu = task->lu();
  const std::uint64_t lba = load_be64(cdb.data() + 2);
  const std::uint8_t blocks = cdb[13];
  const std::uint64_t half = bytes_of(lu, blocks);
  task->set_data_out_wanted(wanted(2 * half));
  if (!check_protect_zero(task, static_cast<std::uint8_t>(cdb[1] >> 5))) return;
  if (blocks > lu.limits().max_compare_and_write_length) {
    task->fail_invalid_field_in_cdb(13);
    return;
  }
  if (!check_in_capacity(task, lba, blocks)) return;
  // An initiator that sends verify and write data for more blocks than the one-byte NUMBER OF
  // LOGICAL BLOCKS can say (libiscsi's 256-block CompareAndWrite.Simple truncates it to 0)
  // gets INVALID FIELD IN CDB, not a silent no-op: the CDB and the Data-Out disagree.
  if (task->command().expected_data_out_length != 2 * half) {
    task->fail_invalid_field_in_cdb(13);
    return;
  }
  // SBC-3 §5.2: NUMBER OF LOGICAL BLOCKS 0 compares and writes nothing, and is not an error.
  if (blocks == 0) {
    task->complete_good();
    return;
  }
  // The Data-Out buffer must be exactly twice NLB blocks (libiscsi's InvalidDataOutSize test
  // sends one with a CDB that asks for less, then more).
  if (task->data_out().size() != 2 * half || task->command().expected_data_out_length != 2 * half) {
    task->fail_invalid_field_in_cdb(13);
    return;
  }
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  const WriteOptions options{(cdb[1] & kFua) != 0};
  with_range_lock(task, lba, blocks, backing::LockMode::exclusive,
                  [task, store, lba, blocks, half, options](Release release) {
    raw_read(task, *store, lba, blocks,
             [task, store, lba, half, options, release](bool ok, Bytes medium) {
      if (!ok) {
        release();
        fail_io(task, IoKind::read, lba);
        return;
      }
      const ByteView data = task->data_out();
      if (auto diff = first_difference(data.first(half), medium)) {
        release();
        fail_miscompare(task, *diff);
        return;
      }
      raw_write(task, *store, lba, data.subspan(half, half), options,
                [task, lba, release](bool written) {
                  release();
                  if (!written) {
                    fail_io(task, IoKind::write, lba);
                    return;
                  }
                  task->complete_good();
                });
    });
  });
}

// ORWRITE(16) (SBC-3 §5.10): byte 1 ORPROTECT/DPO/FUA, LBA at 2, TRANSFER LENGTH at 10. The
// new block data is the old data ORed with the Data-Out.
void orwrite16(const TaskPtr& task) {
  const BlockCdb cdb = decode_cdb16(task->cdb());
  LogicalUnit& lu = task->lu();
  task->set_data_out_wanted(wanted(bytes_of(lu, cdb.blocks)));
  if (!check_protect_zero(task, cdb.protect)) return;
  if (!check_in_capacity(task, cdb.lba, cdb.blocks)) return;
  if (!check_transfer_length(task, cdb.blocks, 10)) return;
  const std::uint64_t blocks =
      std::min<std::uint64_t>(cdb.blocks, task->data_out().size() / lu.block_size());
  if (blocks == 0) {
    task->complete_good();
    return;
  }
  runtime::BlockIo* store = store_or_fail(task);
  if (store == nullptr) return;
  const WriteOptions options{(cdb.flags & kFua) != 0};
  with_range_lock(task, cdb.lba, blocks, backing::LockMode::exclusive,
                  [task, store, lba = cdb.lba, blocks, options](Release release) {
    raw_read(task, *store, lba, blocks,
             [task, store, lba, options, release](bool ok, Bytes medium) {
      if (!ok) {
        release();
        fail_io(task, IoKind::read, lba);
        return;
      }
      const ByteView data = task->data_out();
      for (std::size_t i = 0; i < medium.size(); ++i) medium[i] |= data[i];
      auto merged = std::make_shared<Bytes>(std::move(medium));
      raw_write(task, *store, lba, *merged, options, [task, lba, release, merged](bool written) {
        release();
        if (!written) {
          fail_io(task, IoKind::write, lba);
          return;
        }
        task->complete_good();
      });
    });
  });
}

}  // namespace iscsi::target::scsi::sbc
