#pragma once
// Shared pieces of the core/asio tests: a recording StreamHandler, a connected loopback pair,
// and a bounded loop runner.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/asio/runtime.hpp"

namespace iscsi::asio::test {

// The longest any test lets the loop run; a failure shows up as an unmet condition, not a hang.
inline constexpr std::chrono::seconds kLoopBound{5};

inline constexpr std::uint32_t kLoopback = 0x7f000001;   // 127.0.0.1
inline constexpr std::uint32_t kLoopback2 = 0x7f000002;  // 127.0.0.2

// Runs the loop until `done()` holds or kLoopBound passes; returns done().
bool run_until(AsioRuntime& rt, const std::function<bool()>& done);

class RecordingHandler final : public runtime::StreamHandler {
 public:
  void on_data(ByteView bytes) override;
  void on_writable() override { ++writable_calls; }
  void on_closed(runtime::CloseReason reason) override { closes.push_back(reason); }

  Bytes received;
  int writable_calls = 0;
  std::vector<runtime::CloseReason> closes;
  // Called after each delivery, e.g. to echo.
  std::function<void(ByteView)> on_bytes;
};

// A listener on 127.0.0.1 port 0 and one connection to it, both ends in this process.
struct LoopbackPair {
  std::unique_ptr<runtime::Stream> client;
  std::unique_ptr<runtime::Stream> server;
  runtime::Endpoint listen_at;
};

// Connects from `source_ipv4` (0 = any); returns nullopt if the pair did not come up in time.
std::optional<LoopbackPair> connect_pair(AsioRuntime& rt, std::uint32_t source_ipv4 = 0);

// A connected pair whose two ends already deliver to recording handlers (held here, so that
// their addresses stay put).
struct RecordedPair {
  LoopbackPair streams;
  RecordingHandler client;
  RecordingHandler server;
};
std::unique_ptr<RecordedPair> connect_recorded_pair(AsioRuntime& rt);

// Bytes 0..n-1 of a pattern that differs at every offset within 251 bytes.
Bytes pattern(std::size_t n, std::uint8_t salt);

}  // namespace iscsi::asio::test
