#pragma once
// Runs the ping exchange (ping_protocol.hpp) over sim/ or over real loopback sockets, for the
// cross-runtime, determinism and tshark tests of issue 3.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "sim/fabric.hpp"
#include "tests/integration/ping_protocol.hpp"

namespace iscsi::integration {

// 0, 1 and a page less one, the 8192-byte default MaxRecvDataSegmentLength (RFC 7143 §13.12),
// and sizes that need 1, 2 and 3 pad bytes.
const std::vector<std::size_t>& ping_sizes();

inline constexpr std::uint32_t kClientIpv4 = 0x0a000001;  // 10.0.0.1
inline constexpr std::uint32_t kServerIpv4 = 0x0a000002;  // 10.0.0.2
inline constexpr std::uint16_t kSimPort = 3260;

struct ExchangeResult {
  PingOutcome client;
  std::size_t server_answered = 0;
  std::vector<std::string> server_errors;
  Bytes capture;  // the pcap bytes, when a capture was asked for
  std::uint16_t server_port = 0;
};

struct SimExchangeOptions {
  std::uint64_t seed = 1;
  sim::LinkParams link{.latency = std::chrono::microseconds(250),
                       .jitter = std::chrono::microseconds(40),
                       .bandwidth_bps = 1'000'000'000};
  bool capture = false;
};

ExchangeResult run_sim_exchange(const SimExchangeOptions& options);
// Listens on 127.0.0.1 port 0 and gives up after `limit` of real time. With `capture`, the
// client's side of the connection is recorded (only one side, or every byte appears twice).
ExchangeResult run_loopback_exchange(runtime::Duration limit, bool capture = false);

}  // namespace iscsi::integration
