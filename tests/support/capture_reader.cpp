#include "tests/support/capture_reader.hpp"

#include <pcap/pcap.h>

#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include <fmt/format.h>

namespace iscsi::test {
namespace {

constexpr ViolationKind kCaptureError{"capture.unreadable", "pcap file format",
                                      Severity::fatal};

Violation capture_error(std::string detail) { return Violation{kCaptureError, std::move(detail)}; }

// Returns the offset of the IPv4 header inside a frame of the given link type, or nullopt for
// frames that are not IPv4.
std::optional<std::size_t> ipv4_offset(int link_type, ByteView frame) {
  switch (link_type) {
    case DLT_EN10MB:
      if (frame.size() >= 14 && load_be16(&frame[12]) == 0x0800) return 14;
      return std::nullopt;
    case DLT_LINUX_SLL:
      if (frame.size() >= 16 && load_be16(&frame[14]) == 0x0800) return 16;
      return std::nullopt;
    case DLT_NULL:
      // The 4-byte family is in the capturing host's byte order; AF_INET is 2 everywhere.
      if (frame.size() >= 4 && (frame[0] == 2 || frame[3] == 2)) return 4;
      return std::nullopt;
    case DLT_RAW:
    case DLT_IPV4:
      return 0;
    default:
      return std::nullopt;
  }
}

std::optional<TcpSegment> parse_tcp(ByteView ip, std::uint32_t frame_number) {
  if (ip.size() < 20 || (ip[0] >> 4) != 4 || ip[9] != 6) return std::nullopt;
  const std::size_t ip_header = std::size_t{ip[0] & 0x0fu} * 4;
  const std::size_t total = load_be16(&ip[2]);
  if (ip_header < 20 || total < ip_header + 20 || total > ip.size()) return std::nullopt;
  const std::uint8_t* tcp = ip.data() + ip_header;
  const std::size_t tcp_header = std::size_t{static_cast<std::uint8_t>(tcp[12] >> 4)} * 4;
  if (tcp_header < 20 || ip_header + tcp_header > total) return std::nullopt;
  TcpSegment s;
  s.frame_number = frame_number;
  s.source = {load_be32(&ip[12]), load_be16(tcp)};
  s.destination = {load_be32(&ip[16]), load_be16(tcp + 2)};
  s.sequence_number = load_be32(tcp + 4);
  s.fin = (tcp[13] & 0x01) != 0;
  s.syn = (tcp[13] & 0x02) != 0;
  s.rst = (tcp[13] & 0x04) != 0;
  s.payload.assign(tcp + tcp_header, ip.data() + total);
  return s;
}

}  // namespace

Result<std::vector<TcpSegment>> read_tcp_segments(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> handle(pcap_open_offline(path.c_str(), errbuf),
                                                       &pcap_close);
  if (!handle) return capture_error(fmt::format("{}: {}", path, errbuf));
  const int link_type = pcap_datalink(handle.get());
  std::vector<TcpSegment> segments;
  pcap_pkthdr* header = nullptr;
  const std::uint8_t* data = nullptr;
  std::uint32_t frame_number = 0;
  int rc = 0;
  while ((rc = pcap_next_ex(handle.get(), &header, &data)) == 1) {
    ++frame_number;
    const ByteView frame(data, header->caplen);
    const auto offset = ipv4_offset(link_type, frame);
    if (!offset) continue;
    if (auto segment = parse_tcp(frame.subspan(*offset), frame_number)) {
      segments.push_back(std::move(*segment));
    }
  }
  if (rc == -1) {
    return capture_error(fmt::format("{}: frame {}: {}", path, frame_number + 1,
                                     pcap_geterr(handle.get())));
  }
  return segments;
}

std::vector<DirectionalStream> split_directions(const std::vector<TcpSegment>& segments) {
  using Key = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
  std::map<Key, std::size_t> index;
  std::vector<DirectionalStream> streams;
  std::vector<std::uint32_t> next_sequence;
  for (const TcpSegment& s : segments) {
    const Key key{s.source.ipv4, s.source.port, s.destination.ipv4, s.destination.port};
    auto [it, inserted] = index.emplace(key, streams.size());
    if (inserted) {
      streams.push_back({s.source, s.destination, {}, {}});
      next_sequence.push_back(s.sequence_number + (s.syn ? 1u : 0u));
    }
    DirectionalStream& stream = streams[it->second];
    std::uint32_t& expected = next_sequence[it->second];
    if (s.syn) expected = s.sequence_number + 1;
    if (s.payload.empty()) continue;
    // Keep only bytes at or after the next expected sequence number (drop retransmissions).
    const auto already_seen = static_cast<std::int32_t>(expected - s.sequence_number);
    if (already_seen < 0) continue;  // a gap: not expected in a clean loopback capture
    const auto skip = static_cast<std::size_t>(already_seen);
    if (skip >= s.payload.size()) continue;
    stream.bytes.insert(stream.bytes.end(), s.payload.begin() + static_cast<std::ptrdiff_t>(skip),
                        s.payload.end());
    expected += static_cast<std::uint32_t>(s.payload.size() - skip);
    stream.frame_ends.emplace_back(s.frame_number, stream.bytes.size());
  }
  return streams;
}

}  // namespace iscsi::test
