#pragma once
// Input layout of the initiator_session harness: a 3-byte configuration, then a target's byte
// stream framed with pdu::Framer and fed to an engine with requests in flight:
//   ITT 1: READ(10) of 4096 bytes, ITT 2: WRITE(10) of 8192 bytes, ITT 3: TEST UNIT READY
//   (CmdSN 1-3, the window ends at 3), ITT 4: Text SendTargets= (queued behind the window).
//   byte 0: bit 0 ImmediateData, bit 1 InitialR2T, bit 2 DataPDUInOrder=No,
//           bit 3 DataSequenceInOrder=No, bit 4 NOP pings (1 s, timeout 2 s)
//   byte 1: target MaxRecvDataSegmentLength = 512 << (low 3 bits);
//           MaxBurstLength = 512 << (bits 3-5); FirstBurstLength = MaxBurstLength / 2
//   byte 2: chunk size for feeding the stream (0: all at once)
// PDUs are fed 100 ms apart, with on_deadline() after each.
#include <cstddef>
#include <cstdint>

namespace iscsi::fuzz_initiator_session {

inline constexpr std::size_t kConfigBytes = 3;

struct Config {
  bool immediate_data = true;
  bool initial_r2t = true;
  bool data_pdu_in_order = true;
  bool data_sequence_in_order = true;
  bool nop_pings = false;
  std::uint32_t target_mrdsl = 8192;
  std::uint32_t max_burst_length = 262144;
  std::size_t chunk = 0;
};

inline Config parse_config(const std::uint8_t* data) {
  Config config;
  config.immediate_data = (data[0] & 0x01) != 0;
  config.initial_r2t = (data[0] & 0x02) != 0;
  config.data_pdu_in_order = (data[0] & 0x04) == 0;
  config.data_sequence_in_order = (data[0] & 0x08) == 0;
  config.nop_pings = (data[0] & 0x10) != 0;
  config.target_mrdsl = 512u << (data[1] & 0x07u);
  config.max_burst_length = 512u << ((data[1] >> 3) & 0x07u);
  config.chunk = data[2];
  return config;
}

}  // namespace iscsi::fuzz_initiator_session
