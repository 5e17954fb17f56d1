// INQUIRY, standard data (SPC-4 §6.6.2); the VPD pages are in vpd.cpp.
#include "core/scsi/cdb.hpp"
#include "target-impl/scsi/spc/handlers.hpp"
#include "target-impl/scsi/spc/identity_text.hpp"

namespace iscsi::target::scsi::spc {
namespace {

// SPC-4 §6.6.2, table 142: VERSION 06h claims SPC-4.
constexpr std::uint8_t kVersionSpc4 = 0x06;
constexpr std::uint8_t kHisup = 0x10;
constexpr std::uint8_t kResponseDataFormat = 0x02;
constexpr std::uint8_t kCmdQue = 0x02;
constexpr std::uint8_t kRmb = 0x80;
// SPC-4 §6.6.2: peripheral qualifier 011b with type 1Fh, "no logical unit here".
constexpr std::uint8_t kNoLogicalUnit = 0x7f;
// VERSION DESCRIPTORs (SPC-4 table 146): SAM-5, iSCSI, SPC-4, SBC-3.
constexpr std::uint16_t kVersionDescriptors[] = {0x00a0, 0x0960, 0x0460, 0x04c0};
constexpr std::size_t kStandardLength = 58 + 2 * std::size(kVersionDescriptors);

Bytes standard_inquiry(const Task& task) {
  Bytes data(kStandardLength, 0);
  if (task.has_lu()) {
    const LogicalUnit& lu = task.lu();
    data[0] = static_cast<std::uint8_t>(lu.type());
    data[1] = lu.removable() ? kRmb : 0;
    put_ascii(&data[8], 8, lu.identity().vendor);
    put_ascii(&data[16], 16, lu.identity().product);
    put_ascii(&data[32], 4, lu.identity().revision);
  } else {
    data[0] = kNoLogicalUnit;
    put_ascii(&data[8], 8, "IET");
    put_ascii(&data[16], 16, "");
    put_ascii(&data[32], 4, "");
  }
  data[2] = kVersionSpc4;
  data[3] = kHisup | kResponseDataFormat;
  data[4] = static_cast<std::uint8_t>(kStandardLength - 5);
  data[7] = kCmdQue;
  std::size_t at = 58;
  for (const std::uint16_t descriptor : kVersionDescriptors) {
    store_be16(&data[at], descriptor);
    at += 2;
  }
  return data;
}

}  // namespace

void inquiry(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const bool evpd = (cdb[1] & 0x01) != 0;
  const std::uint8_t page_code = cdb[2];
  const std::uint32_t allocation_length = load_be16(&cdb[3]);
  if (evpd) {
    inquiry_vpd(task, page_code, allocation_length);
    return;
  }
  // SPC-4 §6.6.1: PAGE CODE must be zero when EVPD is zero.
  if (page_code != 0) {
    task->fail_invalid_field_in_cdb(2, 7);
    return;
  }
  Bytes data = standard_inquiry(*task);
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
