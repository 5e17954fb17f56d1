#pragma once
// Layout of a framer fuzz input, shared by the harness and the seed generator:
//   byte 0  bit 0: HeaderDigest=CRC32C   bit 1: DataDigest=CRC32C
//           bits 2-3: our MaxRecvDataSegmentLength (8192, 512, 65536, 2^24-1)
//           bit 4: digests start only after `byte 2` framer events (as after a login)
//   byte 1  chunk size for the first run (0: the whole stream in one chunk; otherwise chunks
//           grow as byte1, byte1+1, ... to vary the split points)
//   byte 2  events before the digests switch on (with bit 4)
//   rest    the byte stream fed to the framer
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/pdu/codec.hpp"
#include "core/pdu/limits.hpp"

namespace iscsi::fuzz_framer {

inline constexpr std::size_t kConfigBytes = 3;
inline constexpr std::uint32_t kLimitChoices[4] = {pdu::kDefaultMaxRecvDataSegmentLength, 512,
                                                   65536, pdu::kMaxDataSegmentLength};

struct Config {
  pdu::DigestOptions digests{};
  std::uint8_t limit_choice = 0;
  bool digests_after_events = false;
  std::uint8_t chunk = 0;
  std::uint8_t switch_after = 0;

  std::uint32_t max_data_segment_length() const { return kLimitChoices[limit_choice & 3]; }
};

inline Config parse_config(const std::uint8_t* data) {
  Config config;
  config.digests.header = (data[0] & 0x01) != 0;
  config.digests.data = (data[0] & 0x02) != 0;
  config.limit_choice = static_cast<std::uint8_t>((data[0] >> 2) & 0x03);
  config.digests_after_events = (data[0] & 0x10) != 0;
  config.chunk = data[1];
  config.switch_after = data[2];
  return config;
}

inline std::array<std::uint8_t, kConfigBytes> config_bytes(const Config& config) {
  const auto flags = static_cast<std::uint8_t>(
      (config.digests.header ? 0x01 : 0) | (config.digests.data ? 0x02 : 0) |
      ((config.limit_choice & 3) << 2) | (config.digests_after_events ? 0x10 : 0));
  return {flags, config.chunk, config.switch_after};
}

}  // namespace iscsi::fuzz_framer
