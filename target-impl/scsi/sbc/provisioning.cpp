// WRITE SAME (SBC-3 §5.45, §5.46) and UNMAP (§5.28): the commands that fill or deallocate
// ranges, and so change what GET LBA STATUS reports (backing/allocation_tracker.hpp).
#include <algorithm>
#include <utility>
#include <vector>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

// WRITE SAME byte 1 (SBC-4 table 131): WRPROTECT 7-5, ANCHOR 4, UNMAP 3, NDOB 0 (16 only);
// bits 2-1 were PBDATA/LBDATA (obsolete: we refuse them).
constexpr std::uint8_t kAnchor = 0x10;
constexpr std::uint8_t kUnmap = 0x08;
constexpr std::uint8_t kObsoleteDataBits = 0x06;
constexpr std::uint8_t kNdob = 0x01;

struct WriteSameCdb {
  std::uint64_t lba;
  std::uint64_t blocks;
  std::uint8_t flags;
  std::uint16_t blocks_byte;  // where NUMBER OF LOGICAL BLOCKS starts, for field pointers
};

// The checks of SBC-3 §5.45 in order; false when the task has been failed.
bool check_write_same(const TaskPtr& task, WriteSameCdb& cdb) {
  LogicalUnit& lu = task->lu();
  if (!check_protect_zero(task, static_cast<std::uint8_t>(cdb.flags >> 5))) return false;
  // We report ANC_SUP 0 (no anchored blocks): ANCHOR set is an invalid field.
  if ((cdb.flags & kAnchor) != 0) {
    task->fail_invalid_field_in_cdb(1, 4);
    return false;
  }
  if ((cdb.flags & kObsoleteDataBits) != 0) {
    task->fail_invalid_field_in_cdb(1, (cdb.flags & 0x04) != 0 ? 2 : 1);
    return false;
  }
  // UNMAP needs a thin LU (LBPWS/LBPWS10, SBC-3 §6.5.4).
  if ((cdb.flags & kUnmap) != 0 && !lu.thin()) {
    task->fail_invalid_field_in_cdb(1, 3);
    return false;
  }
  // NUMBER OF LOGICAL BLOCKS 0 means up to the last LBA, since we report WSNZ 0 (§6.5.3).
  if (cdb.lba > lu.block_count() || (cdb.blocks == 0 && cdb.lba == lu.block_count())) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kLbaOutOfRange);
    return false;
  }
  if (cdb.blocks == 0) cdb.blocks = lu.block_count() - cdb.lba;
  if (!check_in_capacity(task, cdb.lba, cdb.blocks)) return false;
  if (cdb.blocks > lu.limits().max_write_same_length) {
    task->fail_invalid_field_in_cdb(cdb.blocks_byte);
    return false;
  }
  return true;
}

void run_write_same(const TaskPtr& task, WriteSameCdb cdb) {
  LogicalUnit& lu = task->lu();
  const bool ndob = (cdb.flags & kNdob) != 0;
  task->set_data_out_wanted(ndob ? 0 : lu.block_size());
  if (!check_write_same(task, cdb)) return;
  // Exactly one block of Data-Out (none with NDOB): libiscsi's InvalidDataOutSize test sends
  // half a block and two blocks and expects both to fail.
  const std::size_t expected = ndob ? 0 : lu.block_size();
  if (task->data_out().size() != expected ||
      task->command().expected_data_out_length != expected) {
    task->fail_invalid_field_in_cdb(cdb.blocks_byte);
    return;
  }
  auto done = [task] { task->complete_good(); };
  // With UNMAP set the blocks are deallocated whatever the pattern (as tgt and libiscsi's
  // UnmapUntilEnd test expect); they then read as zeros (LBPRZ 1).
  if ((cdb.flags & kUnmap) != 0) {
    unmap_blocks(task, cdb.lba, cdb.blocks, std::move(done));
    return;
  }
  Bytes pattern = ndob ? Bytes(lu.block_size(), 0)
                       : Bytes(task->data_out().begin(), task->data_out().end());
  write_pattern(task, cdb.lba, cdb.blocks, std::move(pattern), std::move(done));
}

}  // namespace

void write_same10(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  // NDOB exists only in WRITE SAME(16); bit 0 of byte 1 is reserved here.
  run_write_same(task, WriteSameCdb{load_be32(cdb.data() + 2), load_be16(cdb.data() + 7),
                                    static_cast<std::uint8_t>(cdb[1] & ~kNdob), 7});
}

void write_same16(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  run_write_same(task, WriteSameCdb{load_be64(cdb.data() + 2), load_be32(cdb.data() + 10),
                                    cdb[1], 10});
}

namespace {

struct UnmapDescriptor {
  std::uint64_t lba;
  std::uint32_t blocks;
};

// Parses and checks the UNMAP parameter list (SBC-3 §5.28.2). Returns false after failing the
// task; fills `out` otherwise.
bool parse_unmap_list(const TaskPtr& task, std::uint16_t list_length,
                      std::vector<UnmapDescriptor>& out) {
  const LogicalUnit& lu = task->lu();
  const ByteView data = task->data_out().first(std::min<std::size_t>(task->data_out().size(),
                                                                     list_length));
  if (data.size() < 8) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kParameterListLengthError);
    return false;
  }
  // UNMAP BLOCK DESCRIPTOR DATA LENGTH (bytes 2-3); a partial last descriptor is ignored.
  const std::size_t described = std::min<std::size_t>(load_be16(data.data() + 2),
                                                      data.size() - 8);
  const std::size_t count = described / 16;
  if (count > lu.limits().max_unmap_descriptor_count) {
    task->fail_invalid_field_in_parameter_list(2);
    return false;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* d = data.data() + 8 + 16 * i;
    const UnmapDescriptor descriptor{load_be64(d), load_be32(d + 8)};
    if (!in_capacity(lu, descriptor.lba, descriptor.blocks)) {
      task->complete_check_condition(SenseKey::illegal_request, asc::kLbaOutOfRange);
      return false;
    }
    if (descriptor.blocks > lu.limits().max_unmap_lba_count) {
      task->fail_invalid_field_in_parameter_list(static_cast<std::uint16_t>(8 + 16 * i + 8));
      return false;
    }
    if (descriptor.blocks > 0) out.push_back(descriptor);
  }
  return true;
}

void unmap_next(const TaskPtr& task, std::shared_ptr<std::vector<UnmapDescriptor>> list,
                std::size_t index) {
  if (index == list->size()) {
    task->complete_good();
    return;
  }
  const UnmapDescriptor& d = (*list)[index];
  unmap_blocks(task, d.lba, d.blocks, [task, list, index] { unmap_next(task, list, index + 1); });
}

}  // namespace

// UNMAP (SBC-3 §5.28): byte 1 bit 0 ANCHOR, PARAMETER LIST LENGTH at bytes 7-8. Every
// descriptor is checked before any block is deallocated, so a bad list changes nothing.
void unmap(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const LogicalUnit& lu = task->lu();
  const std::uint16_t list_length = load_be16(cdb.data() + 7);
  task->set_data_out_wanted(list_length);
  // Without thin provisioning the LU does not support UNMAP (LBPU 0, SBC-3 §6.5.4).
  if (!lu.thin()) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kInvalidCommandOperationCode);
    return;
  }
  if ((cdb[1] & 0x01) != 0) {
    task->fail_invalid_field_in_cdb(1, 0);
    return;
  }
  // SBC-3 §5.28.1: a PARAMETER LIST LENGTH of 0 is not an error; nothing is unmapped.
  if (list_length == 0) {
    task->complete_good();
    return;
  }
  auto list = std::make_shared<std::vector<UnmapDescriptor>>();
  if (!parse_unmap_list(task, list_length, *list)) return;
  unmap_next(task, list, 0);
}

}  // namespace iscsi::target::scsi::sbc
