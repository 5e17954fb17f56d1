#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {

bool run_until(AsioRuntime& rt, const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + kLoopBound;
  // A poll timer re-checks the condition while sockets are busy.
  std::function<void()> poll;
  runtime::TimerId poll_timer = 0;
  poll = [&] {
    if (done() || std::chrono::steady_clock::now() >= give_up) {
      rt.stop();
      return;
    }
    poll_timer = rt.timers().schedule_after(std::chrono::milliseconds(1), poll);
  };
  poll();
  while (!done() && std::chrono::steady_clock::now() < give_up) {
    rt.run_for(std::chrono::milliseconds(100));
  }
  rt.timers().cancel(poll_timer);
  return done();
}

void RecordingHandler::on_data(ByteView bytes) {
  received.insert(received.end(), bytes.begin(), bytes.end());
  if (on_bytes) on_bytes(bytes);
}

std::optional<LoopbackPair> connect_pair(AsioRuntime& rt, std::uint32_t source_ipv4) {
  LoopbackPair pair;
  const auto listener = rt.network().listen(
      runtime::Endpoint{kLoopback, 0},
      [&](std::unique_ptr<runtime::Stream> s) { pair.server = std::move(s); });
  if (!listener.ok()) return std::nullopt;
  const auto bound = rt.listening_endpoint(*listener);
  if (!bound.ok()) return std::nullopt;
  pair.listen_at = *bound;
  runtime::ConnectOptions options;
  options.remote = pair.listen_at;
  options.local_ipv4 = source_ipv4;
  options.timeout = std::chrono::seconds(3);
  rt.network().connect(options, [&](std::unique_ptr<runtime::Stream> s, runtime::CloseReason) {
    pair.client = std::move(s);
  });
  const bool up = run_until(rt, [&] { return pair.client && pair.server; });
  rt.network().stop_listening(*listener);
  if (!up) return std::nullopt;
  return pair;
}

std::unique_ptr<RecordedPair> connect_recorded_pair(AsioRuntime& rt) {
  std::optional<LoopbackPair> streams = connect_pair(rt);
  if (!streams) return nullptr;
  auto recorded = std::make_unique<RecordedPair>();
  recorded->streams = std::move(*streams);
  recorded->streams.client->set_handler(&recorded->client);
  recorded->streams.server->set_handler(&recorded->server);
  return recorded;
}

Bytes pattern(std::size_t n, std::uint8_t salt) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::uint8_t>((i % 251) ^ salt);
  }
  return out;
}

}  // namespace iscsi::asio::test
