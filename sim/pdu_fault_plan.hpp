#pragma once
// Faults at iSCSI PDU granularity (DESIGN.md, The simulator: "reset the connection after the 3rd
// Login Response", "flip byte 20 of PDU 7"). A scanner follows each direction's written bytes
// PDU by PDU, using only the BHS length fields (RFC 7143 §11.2.1: TotalAHSLength in 4-byte words,
// DataSegmentLength padded to 4 bytes, §11.1) and the digests the caller says are in use, and
// turns a matching PDU into a byte-offset fault of the stream layer.
#include <cstdint>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/runtime/transport_trace.hpp"

namespace iscsi::sim {

enum class PduFaultAction {
  reset_after,   // reset the connection once the whole PDU has been delivered
  corrupt_byte,  // XOR `mask` into byte `byte` of the PDU (counted from the BHS's first byte)
};

struct PduFault {
  PduFaultAction action = PduFaultAction::reset_after;
  runtime::Side sender = runtime::Side::server;
  int opcode = -1;         // BHS byte 0 & 0x3f; -1 matches every opcode
  std::uint32_t nth = 1;   // the Nth matching PDU of that direction, from 1
  std::uint32_t byte = 0;  // corrupt_byte only
  std::uint8_t mask = 0xff;
};

// What the faults of one direction ask the stream layer to do.
struct PduFaultEffects {
  std::vector<std::pair<std::uint64_t, std::uint8_t>> corruptions;  // stream offset, mask
  std::uint64_t reset_at_delivered = UINT64_MAX;                    // stream offset
};

class PduScanner {
 public:
  explicit PduScanner(std::vector<PduFault> faults) : faults_(std::move(faults)) {}
  // Digests are off during login and may be on afterwards (RFC 7143 §13.1).
  void set_digests(bool header, bool data) {
    header_digest_ = header;
    data_digest_ = data;
  }
  bool empty() const { return faults_.empty(); }
  // Follows `bytes`, the next bytes written in this direction; appends any fault that fires.
  void scan(ByteView bytes, PduFaultEffects& effects);

 private:
  void on_header(PduFaultEffects& effects);

  std::vector<PduFault> faults_;
  bool header_digest_ = false;
  bool data_digest_ = false;
  std::uint64_t offset_ = 0;     // stream offset of the next byte scanned
  std::uint64_t pdu_start_ = 0;  // stream offset of the current PDU's BHS
  std::uint64_t pdu_end_ = 0;    // known once the BHS is complete; 0 while it is incomplete
  Bytes bhs_;
  std::uint32_t seen_any_ = 0;
  std::uint32_t seen_by_opcode_[64] = {};
};

}  // namespace iscsi::sim
