// READ CAPACITY (SBC-3 §5.19, §5.20) and GET LBA STATUS (§5.6): geometry and provisioning.
#include <algorithm>
#include <limits>
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/sbc_common.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

// SBC-3 §5.6.2, table 31: PROVISIONING STATUS.
constexpr std::uint8_t kProvisioningMapped = 0x0;
constexpr std::uint8_t kProvisioningDeallocated = 0x1;

std::uint64_t last_lba(const LogicalUnit& lu) {
  return lu.block_count() == 0 ? 0 : lu.block_count() - 1;
}

}  // namespace

// READ CAPACITY(10): the last LBA (FFFFFFFFh when it does not fit, so the initiator uses the
// 16-byte form) and the block length. PMI is obsolete in SBC-3; with PMI 0 the LOGICAL BLOCK
// ADDRESS field must be 0 (SBC-3 §5.19).
void read_capacity10(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const LogicalUnit& lu = task->lu();
  if ((cdb[8] & 0x01) == 0 && load_be32(cdb.data() + 2) != 0) {
    task->fail_invalid_field_in_cdb(2);
    return;
  }
  Bytes data(8, 0);
  const std::uint64_t last = last_lba(lu);
  store_be32(data.data(), static_cast<std::uint32_t>(
                              std::min<std::uint64_t>(last, std::numeric_limits<std::uint32_t>::max())));
  store_be32(data.data() + 4, lu.block_size());
  task->complete_good(std::move(data));
}

// READ CAPACITY(16), SERVICE ACTION IN(16) 9Eh/10h: 32 bytes, cut to the ALLOCATION LENGTH
// (bytes 10-13). LBPPBE in byte 13; LBPME and LBPRZ in byte 14 for a thin LU: our stores read
// zeros from deallocated blocks, so LBPRZ is honest.
void read_capacity16(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const LogicalUnit& lu = task->lu();
  Bytes data(32, 0);
  store_be64(data.data(), last_lba(lu));
  store_be32(data.data() + 8, lu.block_size());
  data[13] = static_cast<std::uint8_t>(lu.lbppbe() & 0x0f);
  if (lu.thin()) data[14] = 0x80 | 0x40;
  truncate_to_allocation(data, load_be32(cdb.data() + 10));
  task->complete_good(std::move(data));
}

// GET LBA STATUS, SERVICE ACTION IN(16) 9Eh/12h: STARTING LBA at bytes 2-9, ALLOCATION LENGTH
// at 10-13. One descriptor per run of equal provisioning status from the starting LBA, as many
// as the allocation length has room for (at least one, then cut).
void get_lba_status(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const LogicalUnit& lu = task->lu();
  const std::uint64_t start = load_be64(cdb.data() + 2);
  const std::uint32_t allocation = load_be32(cdb.data() + 10);
  if (start >= lu.block_count()) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kLbaOutOfRange);
    return;
  }
  const std::uint32_t room = allocation > 8 ? (allocation - 8) / 16 : 0;
  const std::uint32_t wanted_descriptors = std::clamp<std::uint32_t>(room, 1, kMaxLbaStatusDescriptors);
  const backing::TrackedStore* state = state_of(task);
  Bytes data(8, 0);
  std::uint64_t lba = start;
  for (std::uint32_t n = 0; n < wanted_descriptors && lba < lu.block_count(); ++n) {
    backing::AllocationTracker::Run run{lba, lu.block_count() - lba, true};
    // A fully provisioned LU (or one without a tracker) has every block mapped.
    if (state != nullptr && lu.thin()) run = state->tracker().run_at(lba);
    const auto count = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(run.count, std::numeric_limits<std::uint32_t>::max()));
    std::uint8_t descriptor[16] = {};
    store_be64(descriptor, lba);
    store_be32(descriptor + 8, count);
    descriptor[12] = run.mapped ? kProvisioningMapped : kProvisioningDeallocated;
    data.insert(data.end(), std::begin(descriptor), std::end(descriptor));
    lba += count;
  }
  store_be32(data.data(), static_cast<std::uint32_t>(data.size() - 4));
  truncate_to_allocation(data, allocation);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::sbc
