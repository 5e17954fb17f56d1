#include "pcap/pcap_writer.hpp"

#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

namespace iscsi::pcap {

const ViolationKind kCaptureWriteFailed{"capture.write-failed", "pcap file format",
                                        Severity::fatal};

namespace {

Violation write_failed(std::string detail) {
  return Violation{kCaptureWriteFailed, std::move(detail)};
}

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

// libpcap handles plus, in memory mode, the open_memstream buffer that the FILE* grows.
struct PcapWriter::Handles {
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;
  bool memory = false;
  char* buffer = nullptr;
  std::size_t buffer_size = 0;
  bool failed = false;
  bool finished = false;

  ~Handles() {
    if (dumper != nullptr) pcap_dump_close(dumper);
    if (dead != nullptr) pcap_close(dead);
    std::free(buffer);  // allocated by open_memstream
  }
};

namespace {

Result<std::unique_ptr<pcap_t, decltype(&pcap_close)>> open_dead(std::uint32_t snap_length) {
  std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(
      pcap_open_dead_with_tstamp_precision(DLT_EN10MB, static_cast<int>(snap_length),
                                           PCAP_TSTAMP_PRECISION_NANO),
      &pcap_close);
  if (dead == nullptr) return write_failed("pcap_open_dead failed");
  return dead;
}

}  // namespace

PcapWriter::PcapWriter(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}
PcapWriter::~PcapWriter() = default;

Result<std::unique_ptr<PcapWriter>> PcapWriter::open_file(const std::string& path,
                                                         std::uint32_t snap_length) {
  auto dead = open_dead(snap_length);
  if (!dead) return std::move(dead).error();
  auto handles = std::make_unique<Handles>();
  handles->dead = dead->release();
  handles->dumper = pcap_dump_open(handles->dead, path.c_str());
  if (handles->dumper == nullptr) {
    return write_failed(fmt::format("cannot open {} for writing: {}", path,
                                    pcap_geterr(handles->dead)));
  }
  return std::unique_ptr<PcapWriter>(new PcapWriter(std::move(handles)));
}

Result<std::unique_ptr<PcapWriter>> PcapWriter::open_memory(std::uint32_t snap_length) {
  auto dead = open_dead(snap_length);
  if (!dead) return std::move(dead).error();
  auto handles = std::make_unique<Handles>();
  handles->dead = dead->release();
  handles->memory = true;
  FILE* stream = open_memstream(&handles->buffer, &handles->buffer_size);
  if (stream == nullptr) return write_failed("open_memstream failed");
  handles->dumper = pcap_dump_fopen(handles->dead, stream);
  if (handles->dumper == nullptr) {
    std::fclose(stream);
    return write_failed(fmt::format("pcap_dump_fopen failed: {}", pcap_geterr(handles->dead)));
  }
  return std::unique_ptr<PcapWriter>(new PcapWriter(std::move(handles)));
}

void PcapWriter::write(std::int64_t unix_time_ns, ByteView frame) {
  if (handles_->finished) return;
  const std::int64_t t = unix_time_ns < 0 ? 0 : unix_time_ns;
  pcap_pkthdr header{};
  header.ts.tv_sec = t / kNanosPerSecond;  // time_t and suseconds_t are 64-bit here
  // With nanosecond precision, libpcap stores nanoseconds in the tv_usec field.
  header.ts.tv_usec = t % kNanosPerSecond;
  header.len = static_cast<bpf_u_int32>(frame.size());
  const auto snap = static_cast<std::size_t>(pcap_snapshot(handles_->dead));
  header.caplen = static_cast<bpf_u_int32>(frame.size() < snap ? frame.size() : snap);
  pcap_dump(reinterpret_cast<u_char*>(handles_->dumper), &header, frame.data());
  if (std::ferror(pcap_dump_file(handles_->dumper)) != 0) handles_->failed = true;
  ++frames_written_;
}

Result<Bytes> PcapWriter::finish() {
  if (handles_->finished) {
    if (handles_->failed) return write_failed("an earlier write to the capture failed");
    return Bytes{};
  }
  handles_->finished = true;
  if (pcap_dump_flush(handles_->dumper) != 0) handles_->failed = true;
  // pcap_dump_close() fcloses the stream, which also settles the open_memstream buffer.
  pcap_dump_close(handles_->dumper);
  handles_->dumper = nullptr;
  if (handles_->failed) return write_failed("writing the capture failed (disk full or I/O error)");
  if (!handles_->memory) return Bytes{};
  const auto* begin = reinterpret_cast<const std::uint8_t*>(handles_->buffer);
  return Bytes(begin, begin + handles_->buffer_size);
}

}  // namespace iscsi::pcap
