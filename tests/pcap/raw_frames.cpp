#include "tests/pcap/raw_frames.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace iscsi::test {
namespace {

using PcapHandle = std::unique_ptr<pcap_t, decltype(&pcap_close)>;

PcapHandle open_nano(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  PcapHandle handle(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf),
      &pcap_close);
  EXPECT_NE(handle, nullptr) << path << ": " << errbuf;
  return handle;
}

// Straightforward RFC 1071 sum: every 16-bit word added into 32 bits, folded once at the end.
std::uint16_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t sum) {
  for (std::size_t i = 0; i < n; ++i) {
    sum += (i % 2 == 0) ? std::uint32_t{p[i]} << 8 : std::uint32_t{p[i]};
  }
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

}  // namespace

std::vector<RawFrame> read_raw_frames(const std::string& path) {
  std::vector<RawFrame> frames;
  PcapHandle handle = open_nano(path);
  if (handle == nullptr) return frames;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(handle.get(), &header, &data) == 1) {
    RawFrame frame;
    frame.unix_time_ns = std::int64_t{header->ts.tv_sec} * 1'000'000'000 + header->ts.tv_usec;
    frame.original_length = header->len;
    frame.bytes.assign(data, data + header->caplen);
    frames.push_back(std::move(frame));
  }
  return frames;
}

int capture_link_type(const std::string& path) {
  PcapHandle handle = open_nano(path);
  return handle == nullptr ? -1 : pcap_datalink(handle.get());
}

int capture_snap_length(const std::string& path) {
  PcapHandle handle = open_nano(path);
  return handle == nullptr ? -1 : pcap_snapshot(handle.get());
}

bool ipv4_checksum_ok(ByteView frame) {
  if (frame.size() < 34 || frame[12] != 0x08 || frame[13] != 0x00) return false;
  const std::uint8_t* ip = frame.data() + 14;
  const std::size_t header_length = std::size_t{ip[0] & 0x0fu} * 4;
  const std::size_t total_length = (std::size_t{ip[2]} << 8) | ip[3];
  if (total_length + 14 != frame.size()) return false;
  return sum16(ip, header_length, 0) == 0xffff;
}

bool tcp_checksum_ok(ByteView frame) {
  if (!ipv4_checksum_ok(frame)) return false;
  const std::uint8_t* ip = frame.data() + 14;
  const std::size_t header_length = std::size_t{ip[0] & 0x0fu} * 4;
  const std::size_t total_length = (std::size_t{ip[2]} << 8) | ip[3];
  const std::size_t tcp_length = total_length - header_length;
  // Pseudo-header: source, destination, zero, protocol, TCP length.
  std::uint32_t pseudo = sum16(ip + 12, 8, 0);
  pseudo += ip[9];
  pseudo += static_cast<std::uint32_t>(tcp_length);
  return sum16(ip + header_length, tcp_length, pseudo) == 0xffff;
}

// One directory per test process, removed when the process ends (set
// ISCSI_KEEP_TEST_CAPTURES to keep the files for a look in Wireshark).
struct TempCaptureDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("iscsim-pcap-test-" + std::to_string(::getpid()));
  TempCaptureDir() { std::filesystem::create_directories(path); }
  ~TempCaptureDir() {
    if (std::getenv("ISCSI_KEEP_TEST_CAPTURES") != nullptr) return;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempCaptureDir(const TempCaptureDir&) = delete;
  TempCaptureDir& operator=(const TempCaptureDir&) = delete;
};

std::string temp_capture_path(const std::string& name) {
  static const TempCaptureDir dir;
  return (dir.path / name).string();
}

Bytes read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace iscsi::test
