// MODE SELECT(6) and MODE SELECT(10) (SPC-4 §6.9, §6.10).
#include <vector>

#include "target-impl/scsi/spc/handlers.hpp"
#include "target-impl/scsi/spc/mode_pages.hpp"

namespace iscsi::target::scsi::spc {
namespace {

constexpr std::uint8_t kPf = 0x10;
constexpr std::uint8_t kSp = 0x01;
constexpr std::uint8_t kSpf = 0x40;

struct SelectRequest {
  bool ten = false;
  std::uint32_t parameter_list_length = 0;
};

void fail_parameter_list_length(const TaskPtr& task) {
  task->complete_check_condition(SenseKey::illegal_request, asc::kParameterListLengthError);
}

// Checks the header and block descriptor; returns the offset of the first page, or nullopt
// after answering the command.
std::optional<std::size_t> check_header(const TaskPtr& task, ByteView list, bool ten) {
  const std::size_t header_length = ten ? 8 : 4;
  if (list.size() < header_length) {
    fail_parameter_list_length(task);
    return std::nullopt;
  }
  const std::size_t descriptor_length = ten ? load_be16(&list[6]) : list[3];
  // SBC-3 §6.4.2: a short descriptor (8 bytes) or, with LONGLBA in MODE SELECT(10), a long one.
  const bool long_lba = ten && (list[4] & 0x01) != 0;
  const std::size_t expected = long_lba ? 16 : 8;
  if (descriptor_length != 0 && descriptor_length != expected) {
    task->fail_invalid_field_in_parameter_list(ten ? 6 : 3);
    return std::nullopt;
  }
  if (list.size() < header_length + descriptor_length) {
    fail_parameter_list_length(task);
    return std::nullopt;
  }
  if (descriptor_length != 0) {
    // The logical block length cannot change: it must be 512 (or 0, "unchanged").
    const std::size_t at = header_length + descriptor_length - 4;
    const std::uint32_t block_length = long_lba ? load_be32(&list[at]) : load_be24(&list[at + 1]);
    if (block_length != 0 && block_length != task->lu().block_size()) {
      task->fail_invalid_field_in_parameter_list(static_cast<std::uint16_t>(at));
      return std::nullopt;
    }
  }
  return header_length + descriptor_length;
}

// Splits the pages and checks each one's code and length before anything changes.
bool split_pages(const TaskPtr& task, ByteView list, std::size_t offset,
                 std::vector<ByteView>& pages) {
  const LogicalUnit& lu = task->lu();
  while (offset < list.size()) {
    if (list.size() - offset < 2) {
      fail_parameter_list_length(task);
      return false;
    }
    const auto at = static_cast<std::uint16_t>(offset);
    if ((list[offset] & kSpf) != 0) {  // this target has no subpages
      task->fail_invalid_field_in_parameter_list(at, 6);
      return false;
    }
    const auto current = mode_page(lu, list[offset] & 0x3f, PageControl::current);
    if (!current) {
      task->fail_invalid_field_in_parameter_list(at, 5);
      return false;
    }
    const std::size_t length = std::size_t{2} + list[offset + 1];
    if (length != current->size()) {
      task->fail_invalid_field_in_parameter_list(static_cast<std::uint16_t>(at + 1), 7);
      return false;
    }
    if (list.size() - offset < length) {
      fail_parameter_list_length(task);
      return false;
    }
    pages.push_back(list.subspan(offset, length));
    offset += length;
  }
  return true;
}

void mode_select(const TaskPtr& task, const SelectRequest& request) {
  const ByteView cdb = task->cdb();
  task->set_data_out_wanted(request.parameter_list_length);
  // SPC-4 §6.9: PF set means the pages follow the standard format, the only one here; saving
  // pages is not supported.
  if ((cdb[1] & kPf) == 0) {
    task->fail_invalid_field_in_cdb(1, 4);
    return;
  }
  if ((cdb[1] & kSp) != 0) {
    task->fail_invalid_field_in_cdb(1, 0);
    return;
  }
  if (request.parameter_list_length == 0) {
    task->complete_good();
    return;
  }
  if (task->data_out().size() < request.parameter_list_length) {
    fail_parameter_list_length(task);
    return;
  }
  const ByteView list = task->data_out().first(request.parameter_list_length);
  const auto first_page = check_header(task, list, request.ten);
  if (!first_page) return;
  std::vector<ByteView> pages;
  if (!split_pages(task, list, *first_page, pages)) return;
  LogicalUnit& lu = task->lu();
  // Check every page before changing any, so a bad list changes nothing.
  const ControlPage control_before = lu.control();
  const CachingPage caching_before = lu.caching();
  std::size_t offset = *first_page;
  for (const ByteView page : pages) {
    if (const auto error = apply_mode_page(lu, page)) {
      lu.control() = control_before;
      lu.caching() = caching_before;
      task->fail_invalid_field_in_parameter_list(
          static_cast<std::uint16_t>(offset + error->byte), error->bit);
      return;
    }
    offset += page.size();
  }
  const bool changed = lu.control().d_sense != control_before.d_sense ||
                       lu.control().swp != control_before.swp ||
                       lu.caching().wce != caching_before.wce ||
                       lu.caching().rcd != caching_before.rcd;
  // SPC-4 §6.9: the other I_T nexuses learn of the change through a unit attention.
  if (changed) lu.add_unit_attention_all(asc::kModeParametersChanged, task->nexus().id);
  task->complete_good();
}

}  // namespace

void mode_select6(const TaskPtr& task) {
  mode_select(task, SelectRequest{false, task->cdb()[4]});
}

void mode_select10(const TaskPtr& task) {
  mode_select(task, SelectRequest{true, load_be16(&task->cdb()[7])});
}

}  // namespace iscsi::target::scsi::spc
