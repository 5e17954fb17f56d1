#pragma once
// The capture writer a run attaches (issue 3, "pcap/ (writer)"): a runtime::TransportTrace
// that synthesizes Ethernet/IPv4/TCP frames for every transport event and writes them to a
// pcap file (or to memory) stamped with wall-clock time from the run's Clock. Simulated runs
// report their real segments; the real-socket runtime reports what each side wrote and read,
// and the recorder splits anything longer than the MSS into several frames.
#include <cstdint>
#include <memory>
#include <string>

#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/transport_trace.hpp"
#include "pcap/pcap_writer.hpp"
#include "pcap/tcp_synthesizer.hpp"

namespace iscsi::pcap {

struct RecorderOptions {
  std::size_t mss = 1448;                // TCP payload per frame, 1..65495
  std::size_t max_connections = 65536;   // connections tracked at once
};

class PcapRecorder final : public runtime::TransportTrace, private FrameSink {
 public:
  // `clock` must outlive the recorder. The offset between its now() and unix_time_ns() is
  // taken once here, so a simulated clock's fixed epoch gives byte-identical files and a real
  // clock gives monotonic timestamps.
  static Result<std::unique_ptr<PcapRecorder>> open_file(const std::string& path,
                                                         const runtime::Clock& clock,
                                                         const RecorderOptions& options = {});
  static Result<std::unique_ptr<PcapRecorder>> open_memory(const runtime::Clock& clock,
                                                           const RecorderOptions& options = {});

  void on_connected(runtime::TimePoint at, const runtime::ConnectionKey& connection) override;
  void on_refused(runtime::TimePoint at, const runtime::ConnectionKey& connection) override;
  void on_segment(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                  runtime::Side sender, ByteView payload) override;
  void on_fin(runtime::TimePoint at, const runtime::ConnectionKey& connection,
              runtime::Side sender) override;
  void on_reset(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                runtime::Side sender) override;

  // Flushes and closes the capture; see PcapWriter::finish(). Events after finish() are
  // ignored. The destructor closes an unfinished file too (without reporting errors).
  Result<Bytes> finish() { return writer_->finish(); }
  std::uint64_t frames_written() const { return writer_->frames_written(); }
  const TcpSynthesizer& synthesizer() const { return synthesizer_; }

 private:
  PcapRecorder(std::unique_ptr<PcapWriter> writer, const runtime::Clock& clock,
               const RecorderOptions& options);
  void on_frame(runtime::TimePoint at, ByteView frame) override;

  std::unique_ptr<PcapWriter> writer_;
  std::int64_t unix_offset_ns_;
  TcpSynthesizer synthesizer_;
};

}  // namespace iscsi::pcap
