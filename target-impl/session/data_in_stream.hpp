#pragma once
// Read data to the initiator (RFC 7143 §11.7, §13.12, §13.13): Data-In PDUs of at most the
// initiator's MaxRecvDataSegmentLength, grouped in sequences of at most MaxBurstLength (F=1 on
// the last PDU of each), DataSN counting from the task's first DataSN, contiguous Buffer
// Offsets, and either the status in the last PDU (S=1, phase collapse, §11.7.3) or a SCSI
// Response after the data. PDUs are produced one at a time so that a large read never sits in
// memory twice; their StatSN/ExpCmdSN/MaxCmdSN are filled in when they are handed out. The
// PDUs share the read's buffer (SharedData) instead of copying their data segments out of it.
#include <cstdint>
#include <memory>
#include <optional>

#include "core/common/bytes.hpp"
#include "core/pdu/pdu.hpp"
#include "target-impl/session/shared_data.hpp"

namespace iscsi::target::session {

// Residual over- or underflow (RFC 7143 §11.4.5): `wanted` bytes the command wanted to move,
// `expected` the initiator's Expected Data Transfer Length.
struct Residual {
  bool overflow = false;
  bool underflow = false;
  std::uint32_t count = 0;
  bool operator==(const Residual&) const = default;
};
Residual residual_for(std::uint64_t wanted, std::uint32_t expected);

struct DataInSettings {
  std::uint32_t itt = 0;
  pdu::Lun lun{};
  std::uint32_t max_segment = 8192;  // the initiator's MaxRecvDataSegmentLength
  std::uint32_t max_burst = 262144;  // MaxBurstLength
  std::uint32_t first_data_sn = 0;   // R2Ts of a bidirectional command come first (§4.2.2.3)
};

// The status carried by the last Data-In (phase collapse: only without sense data).
struct CollapsedStatus {
  std::uint8_t status = 0;
  Residual residual;
};

// One PDU of a DataInStream: a Data-In whose data segment is `data` (pdu.data stays empty), or
// the SCSI Response after the data (empty `data`).
struct DataInPdu {
  pdu::Pdu pdu;
  SharedData data;
};

class DataInStream {
 public:
  DataInStream(Bytes data, std::uint32_t length, const DataInSettings& settings,
               std::optional<CollapsedStatus> collapsed, std::optional<pdu::Pdu> response);

  bool done() const { return offset_ >= length_ && !response_; }
  // The next PDU (unstamped). Precondition: !done().
  DataInPdu next();

  // How many Data-In PDUs `length` bytes take (for ExpDataSN in the SCSI Response).
  static std::uint32_t count_pdus(std::uint32_t length, std::uint32_t max_segment,
                                  std::uint32_t max_burst);

 private:
  std::shared_ptr<const Bytes> data_;
  std::uint32_t length_;
  DataInSettings settings_;
  std::optional<CollapsedStatus> collapsed_;
  std::optional<pdu::Pdu> response_;
  std::uint32_t offset_ = 0;
  std::uint32_t data_sn_;
};

}  // namespace iscsi::target::session
