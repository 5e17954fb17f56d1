#include "pcap/frame_builder.hpp"

#include <algorithm>
#include <cassert>

namespace iscsi::pcap {
namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint8_t kIpProtocolTcp = 6;
constexpr std::uint8_t kDefaultTtl = 64;
constexpr std::uint16_t kDontFragment = 0x4000;
constexpr std::uint8_t kTcpOptionMss = 2;

void append_ethernet(const TcpFrame& frame, std::uint8_t* p) {
  const MacAddress destination = mac_for_ipv4(frame.destination.ipv4);
  const MacAddress source = mac_for_ipv4(frame.source.ipv4);
  for (std::size_t i = 0; i < 6; ++i) {
    p[i] = destination[i];
    p[6 + i] = source[i];
  }
  store_be16(p + 12, kEtherTypeIpv4);
}

// RFC 791 §3.1: version 4, IHL 5, DF, TTL 64, header checksum over the header alone.
void write_ipv4(const TcpFrame& frame, std::size_t tcp_length, std::uint8_t* p) {
  p[0] = 0x45;
  p[1] = 0;
  store_be16(p + 2, static_cast<std::uint16_t>(kIpv4HeaderLength + tcp_length));
  store_be16(p + 4, frame.ip_id);
  store_be16(p + 6, kDontFragment);
  p[8] = kDefaultTtl;
  p[9] = kIpProtocolTcp;
  store_be16(p + 10, 0);
  store_be32(p + 12, frame.source.ipv4);
  store_be32(p + 16, frame.destination.ipv4);
  store_be16(p + 10, fold_checksum(ones_complement_sum(ByteView(p, kIpv4HeaderLength))));
}

// RFC 9293 §3.1: the checksum covers a pseudo-header (addresses, protocol, TCP length), the
// TCP header and the payload.
std::uint16_t tcp_checksum(const TcpFrame& frame, ByteView tcp_segment) {
  std::uint8_t pseudo[12];
  store_be32(pseudo, frame.source.ipv4);
  store_be32(pseudo + 4, frame.destination.ipv4);
  pseudo[8] = 0;
  pseudo[9] = kIpProtocolTcp;
  store_be16(pseudo + 10, static_cast<std::uint16_t>(tcp_segment.size()));
  return fold_checksum(ones_complement_sum(tcp_segment, ones_complement_sum(pseudo)));
}

}  // namespace

MacAddress mac_for_ipv4(std::uint32_t ipv4) {
  return {0x02,
          0x00,
          static_cast<std::uint8_t>(ipv4 >> 24),
          static_cast<std::uint8_t>(ipv4 >> 16),
          static_cast<std::uint8_t>(ipv4 >> 8),
          static_cast<std::uint8_t>(ipv4)};
}

std::uint32_t ones_complement_sum(ByteView bytes, std::uint32_t initial) {
  std::uint64_t sum = initial;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += load_be16(bytes.data() + i);
  if (i < bytes.size()) sum += std::uint32_t{bytes[i]} << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint32_t>(sum);
}

std::uint16_t fold_checksum(std::uint32_t sum) {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

void append_tcp_frame(const TcpFrame& frame, Bytes& out) {
  assert(frame.payload.size() <= kMaxTcpPayload);
  const std::size_t options = frame.mss_option != 0 ? kTcpMssOptionLength : 0;
  const std::size_t tcp_header = kTcpHeaderLength + options;
  const std::size_t tcp_length = tcp_header + frame.payload.size();
  const std::size_t start = out.size();
  out.resize(start + kEthernetHeaderLength + kIpv4HeaderLength + tcp_length);
  std::uint8_t* p = out.data() + start;
  append_ethernet(frame, p);
  write_ipv4(frame, tcp_length, p + kEthernetHeaderLength);
  std::uint8_t* tcp = p + kEthernetHeaderLength + kIpv4HeaderLength;
  store_be16(tcp, frame.source.port);
  store_be16(tcp + 2, frame.destination.port);
  store_be32(tcp + 4, frame.sequence_number);
  store_be32(tcp + 8, frame.acknowledgment_number);
  tcp[12] = static_cast<std::uint8_t>((tcp_header / 4) << 4);
  tcp[13] = frame.flags;
  store_be16(tcp + 14, frame.window);
  store_be16(tcp + 16, 0);  // checksum, filled below
  store_be16(tcp + 18, 0);  // urgent pointer
  if (options != 0) {
    tcp[20] = kTcpOptionMss;
    tcp[21] = kTcpMssOptionLength;
    store_be16(tcp + 22, frame.mss_option);
  }
  std::copy(frame.payload.begin(), frame.payload.end(), tcp + tcp_header);
  store_be16(tcp + 16, tcp_checksum(frame, ByteView(tcp, tcp_length)));
}

}  // namespace iscsi::pcap
