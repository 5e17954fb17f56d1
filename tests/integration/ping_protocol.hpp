#pragma once
// A tiny request/response protocol on core's PDUs, written only against the runtime interfaces
// (Network, Stream, StreamHandler, TimerService), so the identical exchange can run over sim/
// and over real sockets (issue 3, core/asio/). The server answers each NOP-Out ping with a
// NOP-In echo (RFC 7143 §11.18, §11.19); the client sends pings one at a time, records the
// answers and every byte it received, then half-closes and waits for the server's FIN.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/pdu/framer.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::integration {

// The ping data the client sends as its index-th ping: a pattern that differs per ping.
Bytes ping_data(std::size_t index, std::size_t size);

struct PingServerOptions {
  std::uint32_t first_stat_sn = 1;
  // Connections served at once; further ones are aborted (a named bound).
  std::size_t max_sessions = 16;
};

class PingServer {
 public:
  PingServer(runtime::Network& network, PingServerOptions options = {});
  ~PingServer();
  PingServer(const PingServer&) = delete;
  PingServer& operator=(const PingServer&) = delete;

  Result<runtime::ListenerId> start(runtime::Endpoint local);
  void stop();
  std::size_t pings_answered() const { return pings_answered_; }
  // Framing or protocol errors seen on any connection ("pdu.truncated: ...").
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  class Session;
  void accept(std::unique_ptr<runtime::Stream> stream);

  runtime::Network& network_;
  PingServerOptions options_;
  std::optional<runtime::ListenerId> listener_;
  std::vector<std::unique_ptr<Session>> sessions_;
  std::size_t pings_answered_ = 0;
  std::vector<std::string> errors_;
};

struct PingAnswer {
  std::uint32_t itt = 0;
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  Bytes data;
  bool operator==(const PingAnswer&) const = default;
};

struct PingOutcome {
  bool finished = false;  // every ping answered and the server closed its side in order
  std::optional<runtime::CloseReason> failure;
  std::string error;              // framing or protocol error, empty when none
  std::vector<PingAnswer> answers;  // in arrival order
  Bytes received;                 // every byte the client received, in stream order
};

struct PingClientOptions {
  runtime::Endpoint server;
  std::vector<std::size_t> sizes{};  // one ping per entry, with this much ping data
  std::uint32_t first_itt = 0x1000;
  std::uint32_t first_cmd_sn = 1;
  // The whole exchange must end within this time, or the client aborts (timed_out).
  runtime::Duration deadline = std::chrono::seconds(30);
  std::function<void()> on_done{};  // runs once, when the outcome is final
};

class PingClient final : public runtime::StreamHandler {
 public:
  PingClient(runtime::Network& network, runtime::TimerService& timers, PingClientOptions options);
  ~PingClient() override;
  PingClient(const PingClient&) = delete;
  PingClient& operator=(const PingClient&) = delete;

  void start();
  bool done() const { return done_; }
  const PingOutcome& outcome() const { return outcome_; }

  void on_data(ByteView bytes) override;
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override;

 private:
  void connected(std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure);
  void send_next();
  void handle(const pdu::Pdu& pdu);
  void fail(std::string error);
  void finish();

  runtime::Network& network_;
  runtime::TimerService& timers_;
  PingClientOptions options_;
  std::unique_ptr<runtime::Stream> stream_;
  pdu::Framer framer_;
  std::optional<runtime::TimerId> deadline_timer_;
  std::size_t next_ping_ = 0;
  std::uint32_t exp_stat_sn_ = 0;
  bool closing_ = false;
  bool done_ = false;
  PingOutcome outcome_;
};

}  // namespace iscsi::integration
