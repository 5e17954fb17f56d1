#pragma once
// Input layout of the target_session harness: a 6-byte configuration, then an initiator's byte
// stream framed with pdu::Framer.
//   byte 0: bit 0 ImmediateData, bit 1 InitialR2T, bit 2 Discovery session, bit 3 DataDigest,
//           bit 4 NOP pings on (interval 1 s, timeout 2 s)
//   byte 1: MaxOutstandingR2T - 1 (low 2 bits)
//   byte 2: FirstBurstLength = 512 << (low 3 bits); MaxBurstLength = FirstBurstLength << (bits 3-4)
//   byte 3: initiator MaxRecvDataSegmentLength = 512 << (low 3 bits) (RFC 7143 §13.12 minimum)
//   byte 4: chunk size for feeding the stream (0: all at once)
//   byte 5: milliseconds that pass between PDUs, times 16
#include <cstddef>
#include <cstdint>

namespace iscsi::fuzz_target_session {

inline constexpr std::size_t kConfigBytes = 6;

struct Config {
  bool immediate_data = true;
  bool initial_r2t = true;
  bool discovery = false;
  bool data_digest = false;
  bool nop_pings = false;
  std::uint32_t max_outstanding_r2t = 1;
  std::uint32_t first_burst_length = 65536;
  std::uint32_t max_burst_length = 262144;
  std::uint32_t initiator_mrdsl = 8192;
  std::size_t chunk = 0;
  std::int64_t step_ms = 0;
};

inline Config parse_config(const std::uint8_t* data) {
  Config config;
  config.immediate_data = (data[0] & 0x01) != 0;
  config.initial_r2t = (data[0] & 0x02) != 0;
  config.discovery = (data[0] & 0x04) != 0;
  config.data_digest = (data[0] & 0x08) != 0;
  config.nop_pings = (data[0] & 0x10) != 0;
  config.max_outstanding_r2t = 1u + (data[1] & 0x03u);
  config.first_burst_length = 512u << (data[2] & 0x07u);
  config.max_burst_length = config.first_burst_length << ((data[2] >> 3) & 0x03u);
  config.initiator_mrdsl = 512u << (data[3] & 0x07u);
  config.chunk = data[4];
  config.step_ms = std::int64_t{data[5]} * 16;
  return config;
}

}  // namespace iscsi::fuzz_target_session
