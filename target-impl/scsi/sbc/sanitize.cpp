// SANITIZE (SBC-3 §5.30): OVERWRITE, BLOCK ERASE, CRYPTOGRAPHIC ERASE and EXIT FAILURE MODE.
// Byte 1: IMMED (bit 7), AUSE (bit 5), SERVICE ACTION (bits 4-0); PARAMETER LIST LENGTH at
// bytes 7-8. The whole LU is sanitized before the status goes out; IMMED only allows an early
// answer, and a sanitize that completes before answering cannot fail afterwards, so the
// failure mode never arises and EXIT FAILURE MODE just succeeds.
#include <utility>

#include "target-impl/scsi/sbc/handlers.hpp"
#include "target-impl/scsi/sbc/io_steps.hpp"

namespace iscsi::target::scsi::sbc {
namespace {

// SBC-3 §5.30.1, table 48.
constexpr std::uint8_t kOverwrite = 0x01;
constexpr std::uint8_t kBlockErase = 0x02;
constexpr std::uint8_t kCryptoErase = 0x03;
constexpr std::uint8_t kExitFailureMode = 0x1f;

// OVERWRITE parameter list (SBC-3 §5.30.2): byte 0 INVERT (bit 7) and OVERWRITE COUNT (4-0),
// INITIALIZATION PATTERN LENGTH at 2-3, then the pattern. libiscsi's Overwrite test expects
// INVALID FIELD IN CDB (not IN PARAMETER LIST) for every malformed list.
void overwrite(const TaskPtr& task, std::uint16_t list_length) {
  LogicalUnit& lu = task->lu();
  const ByteView list = task->data_out();
  if (list_length < 5 || list_length > lu.block_size() + 4 || list.size() < list_length) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  const std::uint16_t pattern_length = load_be16(list.data() + 2);
  if ((list[0] & 0x1f) == 0 || pattern_length == 0 || pattern_length > lu.block_size() ||
      pattern_length + 4U > list_length) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  // The pattern fills each block, repeated; INVERT would alternate passes, and with one
  // observable result per block only the last pass matters.
  const ByteView pattern = list.subspan(4, pattern_length);
  const bool invert = (list[0] & 0x80) != 0;
  const unsigned passes = list[0] & 0x1fU;
  Bytes block(lu.block_size());
  for (std::size_t i = 0; i < block.size(); ++i) {
    const std::uint8_t b = pattern[i % pattern.size()];
    block[i] = invert && passes % 2 == 0 ? static_cast<std::uint8_t>(~b) : b;
  }
  write_pattern(task, 0, lu.block_count(), std::move(block), [task] { task->complete_good(); });
}

// BLOCK ERASE and CRYPTOGRAPHIC ERASE: every block is deallocated, so it reads as zeros and
// GET LBA STATUS reports it deallocated (libiscsi's BlockErase test checks both).
void erase(const TaskPtr& task) {
  unmap_blocks(task, 0, task->lu().block_count(), [task] { task->complete_good(); });
}

}  // namespace

void sanitize(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const std::uint16_t list_length = load_be16(cdb.data() + 7);
  const auto action = static_cast<std::uint8_t>(cdb[1] & 0x1f);
  task->set_data_out_wanted(list_length);
  if (action == kOverwrite) {
    overwrite(task, list_length);
    return;
  }
  // The other service actions take no parameter list (SBC-3 §5.30.1).
  if (list_length != 0) {
    task->fail_invalid_field_in_cdb(7);
    return;
  }
  switch (action) {
    case kBlockErase:
    case kCryptoErase:
      erase(task);
      return;
    case kExitFailureMode:
      task->complete_good();
      return;
    default:
      // The command table routes only the four service actions here.
      task->fail_invalid_field_in_cdb(1, 4);
      return;
  }
}

}  // namespace iscsi::target::scsi::sbc
