#pragma once
// A pcap file (classic format, nanosecond timestamps, Ethernet link type) written through
// libpcap's dump API, either to a path or to memory (for tests and for callers that store the
// capture elsewhere).
#include <cstdint>
#include <memory>
#include <string>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::pcap {

// capture.write-failed: the file could not be opened or written (a local I/O problem, not a
// protocol finding; the rfc_section field names the format instead).
extern const ViolationKind kCaptureWriteFailed;

class PcapWriter {
 public:
  // `snap_length` is the largest frame length that will be written; longer frames are cut to
  // it, as a capturing kernel would (callers size it to cover every frame they build).
  static Result<std::unique_ptr<PcapWriter>> open_file(const std::string& path,
                                                       std::uint32_t snap_length);
  static Result<std::unique_ptr<PcapWriter>> open_memory(std::uint32_t snap_length);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Appends one frame stamped `unix_time_ns` (nanoseconds since the Unix epoch; values before
  // the epoch are clamped to it). Does nothing after finish().
  void write(std::int64_t unix_time_ns, ByteView frame);
  // Flushes and closes. Returns the whole capture for a memory writer, an empty Bytes for a
  // file writer, or capture.write-failed if any write failed. Idempotent: later calls return
  // an empty Bytes (or the same failure).
  Result<Bytes> finish();
  std::uint64_t frames_written() const { return frames_written_; }

 private:
  struct Handles;
  explicit PcapWriter(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> handles_;
  std::uint64_t frames_written_ = 0;
};

}  // namespace iscsi::pcap
