// MODE SENSE(6) and MODE SENSE(10) (SPC-4 §6.11, §6.12; SBC-3 §6.4.1 block descriptors).
#include "target-impl/scsi/spc/handlers.hpp"
#include "target-impl/scsi/spc/mode_pages.hpp"

namespace iscsi::target::scsi::spc {
namespace {

constexpr std::uint8_t kWp = 0x80;      // device-specific parameter: write protected
constexpr std::uint8_t kDpoFua = 0x10;  // device-specific parameter: DPO and FUA supported
constexpr std::uint8_t kSubpageAll = 0xff;

struct SenseRequest {
  bool ten = false;  // MODE SENSE(10)
  bool dbd = false;
  bool llbaa = false;
  PageControl control = PageControl::current;
  std::uint8_t page_code = 0;
  std::uint8_t subpage_code = 0;
  std::uint32_t allocation_length = 0;
};

// SBC-3 §6.4.2: short (8-byte) or long LBA (16-byte) mode parameter block descriptor.
Bytes block_descriptor(const LogicalUnit& lu, bool long_lba) {
  const std::uint64_t blocks = lu.block_count();
  if (long_lba) {
    Bytes descriptor(16, 0);
    store_be64(&descriptor[0], blocks);
    store_be32(&descriptor[12], lu.block_size());
    return descriptor;
  }
  Bytes descriptor(8, 0);
  store_be32(&descriptor[0], blocks > 0xffffffffu ? 0xffffffffu
                                                 : static_cast<std::uint32_t>(blocks));
  store_be24(&descriptor[5], lu.block_size());
  return descriptor;
}

// Collects the requested pages; false (with the command answered) on a bad field.
bool collect_pages(const TaskPtr& task, const SenseRequest& request, Bytes& pages) {
  const LogicalUnit& lu = task->lu();
  if (request.subpage_code != 0 && request.subpage_code != kSubpageAll) {
    task->fail_invalid_field_in_cdb(3, 7);
    return false;
  }
  if (request.page_code == kPageAll) {
    for (const std::uint8_t code : mode_page_codes(lu)) {
      const auto page = mode_page(lu, code, request.control);
      pages.insert(pages.end(), page->begin(), page->end());
    }
    return true;
  }
  const auto page = mode_page(lu, request.page_code, request.control);
  if (!page) {
    task->fail_invalid_field_in_cdb(2, 5);
    return false;
  }
  pages = *page;
  return true;
}

void mode_sense(const TaskPtr& task, const SenseRequest& request) {
  // SPC-4 §6.11: saved values are not supported.
  if (request.control == PageControl::saved) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kSavingParametersNotSupported,
                                   SenseDetail{std::nullopt, cdb_field(2, 7)});
    return;
  }
  Bytes pages;
  if (!collect_pages(task, request, pages)) return;
  const LogicalUnit& lu = task->lu();
  const bool long_lba = request.ten && request.llbaa;
  const Bytes descriptor =
      (request.dbd || lu.is_controller()) ? Bytes{} : block_descriptor(lu, long_lba);
  const std::size_t header_length = request.ten ? 8 : 4;
  Bytes data(header_length, 0);
  const std::uint8_t device_specific =
      lu.is_controller() ? 0 : static_cast<std::uint8_t>((lu.write_protected() ? kWp : 0) | kDpoFua);
  if (request.ten) {
    data[3] = device_specific;
    data[4] = (long_lba && !descriptor.empty()) ? 0x01 : 0x00;  // LONGLBA
    store_be16(&data[6], static_cast<std::uint16_t>(descriptor.size()));
  } else {
    data[2] = device_specific;
    data[3] = static_cast<std::uint8_t>(descriptor.size());
  }
  data.insert(data.end(), descriptor.begin(), descriptor.end());
  data.insert(data.end(), pages.begin(), pages.end());
  // MODE DATA LENGTH excludes itself (SPC-4 §7.5.5).
  if (request.ten) {
    store_be16(&data[0], static_cast<std::uint16_t>(data.size() - 2));
  } else {
    data[0] = static_cast<std::uint8_t>(std::min<std::size_t>(data.size() - 1, 0xff));
  }
  truncate_to_allocation(data, request.allocation_length);
  task->complete_good(std::move(data));
}

SenseRequest decode_common(ByteView cdb) {
  SenseRequest request;
  request.dbd = (cdb[1] & 0x08) != 0;
  request.control = static_cast<PageControl>(cdb[2] >> 6);
  request.page_code = cdb[2] & 0x3f;
  request.subpage_code = cdb[3];
  return request;
}

}  // namespace

void mode_sense6(const TaskPtr& task) {
  SenseRequest request = decode_common(task->cdb());
  request.allocation_length = task->cdb()[4];
  mode_sense(task, request);
}

void mode_sense10(const TaskPtr& task) {
  SenseRequest request = decode_common(task->cdb());
  request.ten = true;
  request.llbaa = (task->cdb()[1] & 0x10) != 0;
  request.allocation_length = load_be16(&task->cdb()[7]);
  mode_sense(task, request);
}

}  // namespace iscsi::target::scsi::spc
