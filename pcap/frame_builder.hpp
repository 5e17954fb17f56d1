#pragma once
// Synthesized Ethernet II / IPv4 / TCP frames for capture files (DESIGN.md "pcap"). User space
// never sees the real segments of a connection, so the writer builds frames that a decoder
// accepts as genuine: valid IPv4 header and TCP checksums, DF set, TTL 64, and fixed MAC
// addresses derived from the IPv4 address so one host keeps one MAC across a capture.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/common/bytes.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::pcap {

inline constexpr std::size_t kEthernetHeaderLength = 14;
inline constexpr std::size_t kIpv4HeaderLength = 20;  // no IP options
inline constexpr std::size_t kTcpHeaderLength = 20;   // without options
inline constexpr std::size_t kTcpMssOptionLength = 4;
// RFC 791: Total Length is 16 bits, so one IPv4 packet holds at most 65535 - 20 - 20 bytes of
// TCP payload when neither header carries options.
inline constexpr std::size_t kMaxTcpPayload = 65535 - kIpv4HeaderLength - kTcpHeaderLength;
// The largest frame append_tcp_frame() builds (MSS option only ever travels on SYNs, which carry
// no payload): the pcap snap length is set from this so no frame is truncated.
inline constexpr std::size_t kMaxFrameLength =
    kEthernetHeaderLength + kIpv4HeaderLength + kTcpHeaderLength + kMaxTcpPayload;

using MacAddress = std::array<std::uint8_t, 6>;

// 02:00:a:b:c:d for a.b.c.d: a locally administered unicast address (IEEE 802 U/L bit set).
MacAddress mac_for_ipv4(std::uint32_t ipv4);

// TCP header flag bits (RFC 9293 §3.1).
namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t psh = 0x08;
inline constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

struct TcpFrame {
  runtime::Endpoint source;
  runtime::Endpoint destination;
  std::uint32_t sequence_number = 0;
  std::uint32_t acknowledgment_number = 0;  // meaningful only with tcp_flag::ack
  std::uint8_t flags = 0;
  std::uint16_t window = 65535;
  std::uint16_t ip_id = 0;
  std::uint16_t mss_option = 0;  // 0: no options; otherwise an MSS option (SYN segments)
  ByteView payload;              // at most kMaxTcpPayload bytes (asserted: our own invariant)
};

// Appends one complete frame (Ethernet + IPv4 + TCP + payload) to `out`.
void append_tcp_frame(const TcpFrame& frame, Bytes& out);

// RFC 1071 one's-complement sum of 16-bit big-endian words (an odd last byte is padded with
// zero), folded but not inverted, so partial sums over pieces can be combined.
std::uint32_t ones_complement_sum(ByteView bytes, std::uint32_t initial = 0);
// The final checksum field value: ~fold(sum).
std::uint16_t fold_checksum(std::uint32_t sum);

}  // namespace iscsi::pcap
