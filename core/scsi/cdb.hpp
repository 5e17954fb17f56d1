#pragma once
// CDB decoding (SPC-4 §4.2): the CDB length an operation code implies, the fields of the
// READ/WRITE/VERIFY family (SBC-3 §5), and the allocation length of data-in commands. The CDB is
// peer input on the target side: every accessor checks the length first.
#include <cstdint>
#include <optional>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::scsi {

// SPC-4 §4.2.5.1, table 6: the group code (bits 7-5 of the operation code) fixes the length
// for groups 0 (6), 1 and 2 (10), 4 (16) and 5 (12); group 3 (7Fh variable length, else
// reserved) and the vendor-specific groups 6 and 7 have no fixed length: std::nullopt.
std::optional<std::size_t> cdb_length_for_opcode(std::uint8_t opcode);
// The CDB length of a CDB: for 7Fh, 8 plus its ADDITIONAL CDB LENGTH (byte 7); needs at least
// the opcode (and 8 bytes for 7Fh).
std::optional<std::size_t> cdb_length(ByteView cdb);

// What the medium access commands have in common.
enum class RwKind : std::uint8_t { read, write, verify, write_and_verify, orwrite, prefetch };

struct RwCdb {
  RwKind kind = RwKind::read;
  std::size_t cdb_length = 0;
  std::uint64_t lba = 0;
  // TRANSFER LENGTH in logical blocks (VERIFICATION LENGTH, PREFETCH LENGTH). For READ(6) and
  // WRITE(6) a 0 on the wire means 256 blocks (SBC-3 §5.10); it is already converted here.
  std::uint32_t transfer_length = 0;
  std::uint8_t protect = 0;  // RDPROTECT / WRPROTECT / VRPROTECT (bits 7-5 of byte 1)
  bool dpo = false;
  bool fua = false;
  bool immed = false;     // PRE-FETCH
  std::uint8_t bytchk = 0;  // VERIFY / WRITE AND VERIFY (bits 2-1 of byte 1)
  std::uint8_t group_number = 0;
};

// Decodes READ/WRITE 6/10/12/16, VERIFY 10/12/16, WRITE AND VERIFY 10/12/16, ORWRITE(16) and
// PRE-FETCH 10/16. A CDB shorter than its opcode's length, or another opcode, is the Violation
// "scsi.cdb-malformed".
Result<RwCdb> decode_rw(ByteView cdb);

// SPC-4 §4.2.5.6: the ALLOCATION LENGTH field of the data-in commands this target implements
// (INQUIRY, MODE SENSE 6/10, REQUEST SENSE, REPORT LUNS, PERSISTENT RESERVE IN, READ CAPACITY
// (16), GET LBA STATUS, REPORT SUPPORTED OPERATION CODES, READ DEFECT DATA 10/12, LOG SENSE,
// RECEIVE COPY RESULTS); std::nullopt for other opcodes or a CDB too short to hold it. READ
// CAPACITY(10) has none and yields 8, its fixed data length.
std::optional<std::uint32_t> allocation_length(ByteView cdb);

// The CONTROL byte (the last byte of a fixed-length CDB), or std::nullopt.
std::optional<std::uint8_t> control_byte(ByteView cdb);

}  // namespace iscsi::scsi
