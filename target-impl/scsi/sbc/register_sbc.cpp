// The SBC-3 part of the command table: usage bitmaps (SPC-4 §6.35.3) and the checks the Port
// applies before each handler (command_table.hpp). Every entry needs the medium; commands that
// change it are write protected (readonly LUN or SWP) and conflict with reservations.
#include <utility>

#include "core/scsi/opcodes.hpp"
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/sbc/handlers.hpp"

namespace iscsi::target::scsi {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

// Byte 1 of READ/WRITE(10/12/16): RDPROTECT/WRPROTECT (7-5), DPO (4), FUA (3), FUA_NV (1).
// DPO and FUA are accepted (MODE SENSE reports DPOFUA), as libiscsi's DpoFua tests check here.
constexpr std::uint8_t kRwFlags = 0xfa;
// VERIFY and WRITE AND VERIFY: VRPROTECT/WRPROTECT, DPO, BYTCHK (2-1).
constexpr std::uint8_t kVerifyFlags = 0xf6;
// COMPARE AND WRITE, ORWRITE, WRITE ATOMIC: protection field, DPO, FUA.
constexpr std::uint8_t kDpoFua = 0xf8;
constexpr std::uint8_t kGroup = 0x1f;  // GROUP NUMBER

enum class Kind : std::uint8_t { reads, writes, informs };

CommandInfo block_command(std::uint8_t opcode, std::string_view name, Handler handler,
                          Bytes usage, Kind kind) {
  CommandInfo info;
  info.opcode = opcode;
  info.name = name;
  info.handler = handler;
  info.cdb_length = static_cast<std::uint8_t>(usage.size());
  info.cdb_usage = std::move(usage);
  info.needs_medium = true;
  info.writes_medium = kind == Kind::writes;
  // SPC-4 §5.13.1 table 56: reads conflict only under Exclusive Access reservations, medium
  // changes under every type; READ CAPACITY and GET LBA STATUS are always allowed.
  switch (kind) {
    case Kind::reads: info.pr_access = PrAccess::conflicts_exclusive_access; break;
    case Kind::writes: info.pr_access = PrAccess::conflicts; break;
    case Kind::informs: info.pr_access = PrAccess::allowed; break;
  }
  return info;
}

Bytes usage10(std::uint8_t opcode, std::uint8_t flags) {
  return cdb_usage(opcode, {flags, 0xff, 0xff, 0xff, 0xff, kGroup, 0xff, 0xff, 0x00});
}
Bytes usage12(std::uint8_t opcode, std::uint8_t flags) {
  return cdb_usage(opcode,
                   {flags, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, kGroup, 0x00});
}
Bytes usage16(std::uint8_t opcode, std::uint8_t flags) {
  return cdb_usage(opcode, {flags, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                            0xff, 0xff, kGroup, 0x00});
}

void register_transfers(CommandTable& table) {
  const Bytes usage6_read = cdb_usage(op::kRead6, {0x1f, 0xff, 0xff, 0xff, 0x00});
  const Bytes usage6_write = cdb_usage(op::kWrite6, {0x1f, 0xff, 0xff, 0xff, 0x00});
  for (CommandInfo info : {
           block_command(op::kRead6, "READ(6)", sbc::read6, usage6_read, Kind::reads),
           block_command(op::kRead10, "READ(10)", sbc::read10, usage10(op::kRead10, kRwFlags),
                         Kind::reads),
           block_command(op::kRead12, "READ(12)", sbc::read12, usage12(op::kRead12, kRwFlags),
                         Kind::reads),
           block_command(op::kRead16, "READ(16)", sbc::read16, usage16(op::kRead16, kRwFlags),
                         Kind::reads),
           block_command(op::kWrite6, "WRITE(6)", sbc::write6, usage6_write, Kind::writes),
           block_command(op::kWrite10, "WRITE(10)", sbc::write10,
                         usage10(op::kWrite10, kRwFlags), Kind::writes),
           block_command(op::kWrite12, "WRITE(12)", sbc::write12,
                         usage12(op::kWrite12, kRwFlags), Kind::writes),
           block_command(op::kWrite16, "WRITE(16)", sbc::write16,
                         usage16(op::kWrite16, kRwFlags), Kind::writes),
           block_command(op::kWriteAndVerify10, "WRITE AND VERIFY(10)", sbc::write_and_verify10,
                         usage10(op::kWriteAndVerify10, kVerifyFlags), Kind::writes),
           block_command(op::kWriteAndVerify12, "WRITE AND VERIFY(12)", sbc::write_and_verify12,
                         usage12(op::kWriteAndVerify12, kVerifyFlags), Kind::writes),
           block_command(op::kWriteAndVerify16, "WRITE AND VERIFY(16)", sbc::write_and_verify16,
                         usage16(op::kWriteAndVerify16, kVerifyFlags), Kind::writes),
           block_command(op::kVerify10, "VERIFY(10)", sbc::verify10,
                         usage10(op::kVerify10, kVerifyFlags), Kind::reads),
           block_command(op::kVerify12, "VERIFY(12)", sbc::verify12,
                         usage12(op::kVerify12, kVerifyFlags), Kind::reads),
           block_command(op::kVerify16, "VERIFY(16)", sbc::verify16,
                         usage16(op::kVerify16, kVerifyFlags), Kind::reads),
           block_command(op::kOrWrite16, "ORWRITE(16)", sbc::orwrite16,
                         usage16(op::kOrWrite16, kDpoFua), Kind::writes),
           block_command(op::kCompareAndWrite, "COMPARE AND WRITE", sbc::compare_and_write,
                         cdb_usage(op::kCompareAndWrite,
                                   {kDpoFua, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                    0x00, 0x00, 0x00, 0xff, kGroup, 0x00}),
                         Kind::writes),
           block_command(op::kWriteAtomic16, "WRITE ATOMIC(16)", sbc::write_atomic16,
                         usage16(op::kWriteAtomic16, kDpoFua), Kind::writes),
       }) {
    table.add(std::move(info));
  }
}

void register_provisioning(CommandTable& table) {
  // WRITE SAME byte 1: WRPROTECT, ANCHOR, UNMAP, PBDATA, LBDATA (and NDOB in the 16-byte
  // form); the handler refuses what it does not support with a precise field pointer.
  for (CommandInfo info : {
           block_command(op::kWriteSame10, "WRITE SAME(10)", sbc::write_same10,
                         usage10(op::kWriteSame10, 0xfe), Kind::writes),
           block_command(op::kWriteSame16, "WRITE SAME(16)", sbc::write_same16,
                         usage16(op::kWriteSame16, 0xff), Kind::writes),
           block_command(op::kUnmap, "UNMAP", sbc::unmap,
                         cdb_usage(op::kUnmap,
                                   {0x01, 0x00, 0x00, 0x00, 0x00, kGroup, 0xff, 0xff, 0x00}),
                         Kind::writes),
       }) {
    table.add(std::move(info));
  }
  CommandInfo capacity16 = block_command(
      op::kServiceActionIn16, "READ CAPACITY(16)", sbc::read_capacity16,
      cdb_usage(op::kServiceActionIn16, {0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0x01, 0x00}),
      Kind::informs);
  capacity16.service_action = sa::kReadCapacity16;
  table.add(std::move(capacity16));
  CommandInfo lba_status = block_command(
      op::kServiceActionIn16, "GET LBA STATUS", sbc::get_lba_status,
      cdb_usage(op::kServiceActionIn16, {0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0x00, 0x00}),
      Kind::informs);
  lba_status.service_action = sa::kGetLbaStatus;
  table.add(std::move(lba_status));
  table.add(block_command(op::kReadCapacity10, "READ CAPACITY(10)", sbc::read_capacity10,
                          cdb_usage(op::kReadCapacity10,
                                    {0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00}),
                          Kind::informs));
}

void register_cache_and_maintenance(CommandTable& table) {
  for (CommandInfo info : {
           block_command(op::kSynchronizeCache10, "SYNCHRONIZE CACHE(10)",
                         sbc::synchronize_cache10, usage10(op::kSynchronizeCache10, 0x06),
                         Kind::informs),
           block_command(op::kSynchronizeCache16, "SYNCHRONIZE CACHE(16)",
                         sbc::synchronize_cache16, usage16(op::kSynchronizeCache16, 0x06),
                         Kind::informs),
           block_command(op::kPreFetch10, "PRE-FETCH(10)", sbc::prefetch10,
                         usage10(op::kPreFetch10, 0x02), Kind::reads),
           block_command(op::kPreFetch16, "PRE-FETCH(16)", sbc::prefetch16,
                         usage16(op::kPreFetch16, 0x02), Kind::reads),
           block_command(op::kReadDefectData10, "READ DEFECT DATA(10)", sbc::read_defect_data10,
                         cdb_usage(op::kReadDefectData10,
                                   {0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00}),
                         Kind::reads),
           block_command(op::kReadDefectData12, "READ DEFECT DATA(12)", sbc::read_defect_data12,
                         usage12(op::kReadDefectData12, 0x1f), Kind::reads),
       }) {
    table.add(std::move(info));
  }
  // SANITIZE, one entry per service action so REPORT SUPPORTED OPERATION CODES lists each
  // (libiscsi looks them up one by one). Byte 1: IMMED, AUSE, SERVICE ACTION.
  for (const std::uint16_t action : {sa::kSanitizeOverwrite, sa::kSanitizeBlockErase,
                                     sa::kSanitizeCryptographicErase,
                                     sa::kSanitizeExitFailureMode}) {
    CommandInfo info = block_command(
        op::kSanitize, "SANITIZE", sbc::sanitize,
        cdb_usage(op::kSanitize, {0xbf, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00}),
        Kind::writes);
    info.service_action = action;
    table.add(std::move(info));
  }
}

}  // namespace

void register_sbc_commands(CommandTable& table) {
  register_transfers(table);
  register_provisioning(table);
  register_cache_and_maintenance(table);
}

}  // namespace iscsi::target::scsi
