#include "pcap/pcap_recorder.hpp"

#include <algorithm>

namespace iscsi::pcap {
namespace {

std::uint32_t snap_length_for(const RecorderOptions& options) {
  // The largest frame carries one full MSS of payload; SYNs (with the MSS option) carry none.
  const std::size_t payload = std::clamp<std::size_t>(options.mss, 1, kMaxTcpPayload);
  return static_cast<std::uint32_t>(kEthernetHeaderLength + kIpv4HeaderLength +
                                    kTcpHeaderLength + kTcpMssOptionLength + payload);
}

SynthesizerOptions synthesizer_options(const RecorderOptions& options) {
  return {.mss = options.mss, .max_connections = options.max_connections};
}

}  // namespace

PcapRecorder::PcapRecorder(std::unique_ptr<PcapWriter> writer, const runtime::Clock& clock,
                           const RecorderOptions& options)
    : writer_(std::move(writer)),
      unix_offset_ns_(clock.unix_time_ns() - clock.now().time_since_epoch().count()),
      synthesizer_(*this, synthesizer_options(options)) {}

Result<std::unique_ptr<PcapRecorder>> PcapRecorder::open_file(const std::string& path,
                                                             const runtime::Clock& clock,
                                                             const RecorderOptions& options) {
  auto writer = PcapWriter::open_file(path, snap_length_for(options));
  if (!writer) return std::move(writer).error();
  return std::unique_ptr<PcapRecorder>(new PcapRecorder(std::move(*writer), clock, options));
}

Result<std::unique_ptr<PcapRecorder>> PcapRecorder::open_memory(const runtime::Clock& clock,
                                                               const RecorderOptions& options) {
  auto writer = PcapWriter::open_memory(snap_length_for(options));
  if (!writer) return std::move(writer).error();
  return std::unique_ptr<PcapRecorder>(new PcapRecorder(std::move(*writer), clock, options));
}

void PcapRecorder::on_frame(runtime::TimePoint at, ByteView frame) {
  writer_->write(unix_offset_ns_ + at.time_since_epoch().count(), frame);
}

void PcapRecorder::on_connected(runtime::TimePoint at, const runtime::ConnectionKey& connection) {
  synthesizer_.on_connected(at, connection);
}
void PcapRecorder::on_refused(runtime::TimePoint at, const runtime::ConnectionKey& connection) {
  synthesizer_.on_refused(at, connection);
}
void PcapRecorder::on_segment(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                              runtime::Side sender, ByteView payload) {
  synthesizer_.on_segment(at, connection, sender, payload);
}
void PcapRecorder::on_fin(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                          runtime::Side sender) {
  synthesizer_.on_fin(at, connection, sender);
}
void PcapRecorder::on_reset(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                            runtime::Side sender) {
  synthesizer_.on_reset(at, connection, sender);
}

}  // namespace iscsi::pcap
