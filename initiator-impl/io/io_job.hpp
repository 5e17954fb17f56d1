#pragma once
// SCSI work on a logged-in client::Session, shared by `iscsim io`, the session daemon, the
// scenario runner and the initiator benchmark: the one-command queries (INQUIRY, READ
// CAPACITY 16, REPORT LUNS, TEST UNIT READY) and block transfers (write a pattern or a buffer,
// read into a buffer or verify a pattern) split into blocks with many commands in flight.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "initiator-impl/client/session.hpp"

namespace iscsi::initiator::io {

enum class JobKind : std::uint8_t {
  inquiry,        // standard INQUIRY data, decoded
  read_capacity,  // READ CAPACITY (16): block count and size
  report_luns,    // REPORT LUNS
  test_unit_ready,
  write,   // `source` bytes or the pattern, from `offset`
  read,    // into IoResult::data
  verify,  // read and compare with the pattern
};

// Data written by a pattern job and checked by a verify job: every byte is a function of the
// seed and its absolute byte offset on the LU, so any block can be checked on its own and a
// block written at the wrong LBA is caught.
struct Pattern {
  std::uint64_t seed = 1;
};

struct IoJob {
  JobKind kind = JobKind::inquiry;
  std::uint64_t lun = 0;
  // Transfers: byte offset and length on the LU (multiples of the block size; length 0: up to
  // the end of the LU, from READ CAPACITY), bytes per command, commands in flight.
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint32_t block_bytes = 64 * 1024;
  unsigned queue_depth = 16;
  std::optional<Pattern> pattern;  // write/verify; without it, write sends `source`
  Bytes source;
};

struct IoResult {
  bool ok = false;
  // One sentence when !ok, naming the command, the LBA, the SCSI status and sense
  // (key/ASC/ASCQ in words) or the failure reason; the first mismatching byte for verify.
  std::string error;
  std::uint64_t bytes = 0;         // transferred
  std::uint64_t commands = 0;      // SCSI commands completed
  Bytes data;                      // read: the bytes; queries: the raw parameter data
  std::vector<std::string> lines;  // queries: the decoded answer, as printed
};
using IoCallback = std::function<void(IoResult)>;

// Runs the job on the session; `done` runs once, from the session's event loop (or before
// run_io_job returns when the job is refused at once: a LUN that cannot be addressed, or a
// session that is closing, as Session::submit does).
void run_io_job(client::Session& session, IoJob job, IoCallback done);

}  // namespace iscsi::initiator::io
