#pragma once
// Reads the TCP segments of a capture file (pcap or pcapng, through libpcap) in frame order.
// A test helper for decoding real captures such as ../shared/testdata/*.pcap; the product's
// own reader with full TCP reassembly belongs in pcap/.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::test {

struct TcpSegment {
  std::uint32_t frame_number = 0;  // 1-based, as Wireshark numbers frames
  runtime::Endpoint source;
  runtime::Endpoint destination;
  std::uint32_t sequence_number = 0;
  bool syn = false;
  bool fin = false;
  bool rst = false;
  Bytes payload;
};

// Link types: Ethernet, Linux cooked (SLL), BSD loopback (NULL), raw IPv4. IPv4 only; frames of
// other protocols are skipped. Fails with a message naming the file and the frame on damage.
Result<std::vector<TcpSegment>> read_tcp_segments(const std::string& path);

// Concatenates the in-order payload of one direction (source -> destination), dropping bytes
// already seen (retransmissions). Each entry maps a frame to the stream bytes it completed.
struct DirectionalStream {
  runtime::Endpoint source;
  runtime::Endpoint destination;
  Bytes bytes;
  // frame_ends[i] = {frame number, stream length after that frame's new bytes}
  std::vector<std::pair<std::uint32_t, std::size_t>> frame_ends;
};
std::vector<DirectionalStream> split_directions(const std::vector<TcpSegment>& segments);

}  // namespace iscsi::test
