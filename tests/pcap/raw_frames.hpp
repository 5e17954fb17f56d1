#pragma once
// Test-side reading of the raw frames of a capture, plus an independent IPv4/TCP checksum check
// (written separately from pcap/frame_builder.cpp so a shared bug cannot hide).
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"

namespace iscsi::test {

struct RawFrame {
  std::int64_t unix_time_ns = 0;
  std::uint32_t original_length = 0;
  Bytes bytes;  // as captured (caplen)
};

// Reads every frame with nanosecond timestamps; fails the calling test on an unreadable file.
std::vector<RawFrame> read_raw_frames(const std::string& path);
// Link type of the capture (DLT_*), snap length.
int capture_link_type(const std::string& path);
int capture_snap_length(const std::string& path);

// True when the Ethernet frame holds an IPv4 packet whose header checksum and TCP checksum
// verify, and whose IPv4 total length matches the frame.
bool ipv4_checksum_ok(ByteView frame);
bool tcp_checksum_ok(ByteView frame);

// A path in this test process's temp directory, which is removed when the process exits.
std::string temp_capture_path(const std::string& name);
Bytes read_file_bytes(const std::string& path);

}  // namespace iscsi::test
