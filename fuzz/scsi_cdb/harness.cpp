// libFuzzer harness for core/scsi: the CDB decoders and the sense data parser, with invariants
// that hold for any input (a decoded CDB fits its bytes; parsed sense data rebuilds and parses
// back to the same values).
//
// Input: byte 0 selects the target (even: CDB decoding, odd: sense parsing); the rest is the
// CDB or the sense data.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/scsi/cdb.hpp"
#include "core/scsi/sense.hpp"

namespace {

using namespace iscsi;
using namespace iscsi::scsi;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "scsi_cdb harness invariant broken: %s\n", what);
  std::abort();
}

void fuzz_cdb(ByteView cdb) {
  const auto length = cdb_length(cdb);
  const auto rw = decode_rw(cdb);
  if (rw.ok()) {
    check(length.has_value() && *length == rw->cdb_length, "decoded length matches group code");
    check(cdb.size() >= rw->cdb_length, "decoded CDB fits its bytes");
    if (rw->cdb_length == 6) {
      check(rw->transfer_length >= 1 && rw->transfer_length <= 256, "6-byte transfer length");
      check(rw->lba <= 0x1fffff, "6-byte LBA has 21 bits");
    }
  }
  (void)allocation_length(cdb);
  const auto control = control_byte(cdb);
  if (control) check(length.has_value() && cdb.size() >= *length, "control byte inside the CDB");
}

void fuzz_sense(ByteView bytes) {
  const auto parsed = parse_sense(bytes);
  if (!parsed.ok()) {
    check(parsed.error().id() == "scsi.sense-malformed", "stable violation id");
    return;
  }
  check(bytes.size() >= 8, "accepted sense data has a header");
  const Bytes rebuilt = build_sense(*parsed, parsed->format);
  check(rebuilt.size() <= kMaxSenseLength, "rebuilt sense within 252 bytes");
  const auto again = parse_sense(rebuilt);
  check(again.ok(), "rebuilt sense parses");
  check(*again == *parsed, "rebuilt sense parses to the same values");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    fuzz_cdb(input);
  } else {
    fuzz_sense(input);
  }
  return 0;
}
