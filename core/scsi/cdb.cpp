// CDB decoding (SPC-4 §4.2, SBC-3 §5).
#include "core/scsi/cdb.hpp"

#include <fmt/format.h>

#include "core/scsi/opcodes.hpp"
#include "core/scsi/scsi_violations.hpp"

namespace iscsi::scsi {
namespace {

// Where the LBA and TRANSFER LENGTH sit in each CDB size (SBC-3 §5: the 10-, 12- and 16-byte
// forms share one layout per size).
struct RwLayout {
  RwKind kind;
  std::size_t length;
};

std::optional<RwLayout> rw_layout(std::uint8_t opcode) {
  switch (opcode) {
    case op::kRead6: return RwLayout{RwKind::read, 6};
    case op::kWrite6: return RwLayout{RwKind::write, 6};
    case op::kRead10: return RwLayout{RwKind::read, 10};
    case op::kWrite10: return RwLayout{RwKind::write, 10};
    case op::kVerify10: return RwLayout{RwKind::verify, 10};
    case op::kWriteAndVerify10: return RwLayout{RwKind::write_and_verify, 10};
    case op::kPreFetch10: return RwLayout{RwKind::prefetch, 10};
    case op::kRead12: return RwLayout{RwKind::read, 12};
    case op::kWrite12: return RwLayout{RwKind::write, 12};
    case op::kVerify12: return RwLayout{RwKind::verify, 12};
    case op::kWriteAndVerify12: return RwLayout{RwKind::write_and_verify, 12};
    case op::kRead16: return RwLayout{RwKind::read, 16};
    case op::kWrite16: return RwLayout{RwKind::write, 16};
    case op::kVerify16: return RwLayout{RwKind::verify, 16};
    case op::kWriteAndVerify16: return RwLayout{RwKind::write_and_verify, 16};
    case op::kOrWrite16: return RwLayout{RwKind::orwrite, 16};
    case op::kPreFetch16: return RwLayout{RwKind::prefetch, 16};
    default: return std::nullopt;
  }
}

// READ(6)/WRITE(6), SBC-3 §5.10/§5.32: 21-bit LBA, 0 blocks means 256.
void decode_rw6(const std::uint8_t* cdb, RwCdb& out) {
  out.lba = load_be24(cdb + 1) & 0x1fffff;
  out.transfer_length = cdb[4] == 0 ? 256 : cdb[4];
}

void decode_flags(const std::uint8_t* cdb, RwCdb& out) {
  out.protect = static_cast<std::uint8_t>(cdb[1] >> 5);
  out.dpo = (cdb[1] & 0x10) != 0;
  out.fua = (cdb[1] & 0x08) != 0;
  out.bytchk = static_cast<std::uint8_t>((cdb[1] >> 1) & 0x03);
  // PRE-FETCH has IMMED where the others have FUA_NV/obsolete bits (SBC-3 §5.11).
  out.immed = out.kind == RwKind::prefetch && (cdb[1] & 0x02) != 0;
  if (out.kind == RwKind::prefetch) out.bytchk = 0;
}

}  // namespace

std::optional<std::size_t> cdb_length_for_opcode(std::uint8_t opcode) {
  switch (opcode >> 5) {
    case 0: return 6;
    case 1:
    case 2: return 10;
    case 4: return 16;
    case 5: return 12;
    default: return std::nullopt;
  }
}

std::optional<std::size_t> cdb_length(ByteView cdb) {
  if (cdb.empty()) return std::nullopt;
  if (cdb[0] == op::kVariableLength) {
    // SPC-4 §4.2.3: ADDITIONAL CDB LENGTH counts the bytes after byte 7.
    if (cdb.size() < 8) return std::nullopt;
    return std::size_t{8} + cdb[7];
  }
  return cdb_length_for_opcode(cdb[0]);
}

Result<RwCdb> decode_rw(ByteView cdb) {
  if (cdb.empty()) return Violation{kCdbMalformed, "empty CDB"};
  const auto layout = rw_layout(cdb[0]);
  if (!layout) {
    return Violation{kCdbMalformed,
                     fmt::format("operation code 0x{:02x} is not a medium access command", cdb[0])};
  }
  if (cdb.size() < layout->length) {
    return Violation{kCdbMalformed, fmt::format("CDB 0x{:02x} has {} bytes, needs {}", cdb[0],
                                                cdb.size(), layout->length)};
  }
  RwCdb out;
  out.kind = layout->kind;
  out.cdb_length = layout->length;
  const std::uint8_t* p = cdb.data();
  switch (layout->length) {
    case 6:
      decode_rw6(p, out);
      return out;  // no flags in the 6-byte forms
    case 10:
      out.lba = load_be32(p + 2);
      out.group_number = p[6] & 0x3f;
      out.transfer_length = load_be16(p + 7);
      break;
    case 12:
      out.lba = load_be32(p + 2);
      out.transfer_length = load_be32(p + 6);
      out.group_number = p[10] & 0x3f;
      break;
    default:
      out.lba = load_be64(p + 2);
      out.transfer_length = load_be32(p + 10);
      out.group_number = p[14] & 0x3f;
      break;
  }
  decode_flags(p, out);
  return out;
}

std::optional<std::uint32_t> allocation_length(ByteView cdb) {
  if (cdb.empty()) return std::nullopt;
  const auto needs = [&](std::size_t n) { return cdb.size() >= n; };
  const std::uint8_t* p = cdb.data();
  switch (cdb[0]) {
    case op::kInquiry:
      if (needs(6)) return load_be16(p + 3);
      return std::nullopt;
    case op::kRequestSense:
    case op::kModeSense6:
      if (needs(6)) return p[4];
      return std::nullopt;
    case op::kModeSense10:
    case op::kPersistentReserveIn:
    case op::kLogSense:
    case op::kReadDefectData10:
      if (needs(10)) return load_be16(p + 7);
      return std::nullopt;
    case op::kReadCapacity10:
      if (needs(10)) return 8;
      return std::nullopt;
    case op::kReportLuns:
    case op::kMaintenanceIn:
    case op::kReadDefectData12:
      if (needs(12)) return load_be32(p + 6);
      return std::nullopt;
    case op::kServiceActionIn16:
    case op::kReceiveCopyResults:
      if (needs(16)) return load_be32(p + 10);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<std::uint8_t> control_byte(ByteView cdb) {
  const auto length = cdb_length(cdb);
  if (!length || *length == 0 || cdb.size() < *length) return std::nullopt;
  // SPC-4 §4.2.3: the variable-length CDB keeps its CONTROL byte at byte 1.
  if (cdb[0] == op::kVariableLength) return cdb[1];
  return cdb[*length - 1];
}

}  // namespace iscsi::scsi
