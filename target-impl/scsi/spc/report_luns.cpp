// REPORT LUNS (SPC-4 §6.33).
#include "core/pdu/lun.hpp"
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

// SPC-4 §6.33, table 280: SELECT REPORT.
constexpr std::uint8_t kSelectAll = 0x00;
constexpr std::uint8_t kSelectWellKnown = 0x01;
constexpr std::uint8_t kSelectAllAndWellKnown = 0x02;
// SPC-4 §6.33: "the allocation length should be at least 16 bytes".
constexpr std::uint32_t kMinAllocationLength = 16;

}  // namespace

void report_luns(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const std::uint8_t select_report = cdb[2];
  const std::uint32_t allocation_length = load_be32(&cdb[6]);
  if (select_report != kSelectAll && select_report != kSelectWellKnown &&
      select_report != kSelectAllAndWellKnown) {
    task->fail_invalid_field_in_cdb(2, 7);
    return;
  }
  if (allocation_length < kMinAllocationLength) {
    task->fail_invalid_field_in_cdb(6, 7);
    return;
  }
  // This target has no well-known logical units, so select 01h lists nothing.
  Bytes data(8, 0);
  if (select_report != kSelectWellKnown) {
    for (const std::uint16_t number : task->port().luns) {
      const auto lun = pdu::Lun::from_number(number);
      if (lun) data.insert(data.end(), lun->bytes.begin(), lun->bytes.end());
    }
  }
  store_be32(&data[0], static_cast<std::uint32_t>(data.size() - 8));
  // The Port has already cleared REPORTED LUNS DATA HAS CHANGED for this nexus (SPC-4 §6.33).
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
