// TransportTrace synthesis on real sockets: the handshake, payload split at the MSS with byte
// totals matching per direction, FIN and RST, and refusals.
#include <gtest/gtest.h>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using runtime::ConnectionKey;
using runtime::Side;

class RecordingTransportTrace final : public runtime::TransportTrace {
 public:
  struct Event {
    enum class Kind { connected, refused, segment, fin, reset } kind;
    ConnectionKey key;
    Side sender;
    Bytes payload;
  };

  void on_connected(runtime::TimePoint, const ConnectionKey& key) override {
    events.push_back({Event::Kind::connected, key, Side::client, {}});
  }
  void on_refused(runtime::TimePoint, const ConnectionKey& key) override {
    events.push_back({Event::Kind::refused, key, Side::client, {}});
  }
  void on_segment(runtime::TimePoint, const ConnectionKey& key, Side sender,
                  ByteView payload) override {
    events.push_back({Event::Kind::segment, key, sender, Bytes(payload.begin(), payload.end())});
  }
  void on_fin(runtime::TimePoint, const ConnectionKey& key, Side sender) override {
    events.push_back({Event::Kind::fin, key, sender, {}});
  }
  void on_reset(runtime::TimePoint, const ConnectionKey& key, Side sender) override {
    events.push_back({Event::Kind::reset, key, sender, {}});
  }

  // All payload `sender` sent, in order.
  Bytes stream_from(Side sender) const {
    Bytes out;
    for (const Event& e : events) {
      if (e.kind == Event::Kind::segment && e.sender == sender) {
        out.insert(out.end(), e.payload.begin(), e.payload.end());
      }
    }
    return out;
  }
  std::size_t count(Event::Kind kind) const {
    std::size_t n = 0;
    for (const Event& e : events) {
      if (e.kind == kind) ++n;
    }
    return n;
  }

  std::vector<Event> events;
};
using Kind = RecordingTransportTrace::Event::Kind;

// Client sends `request`, the server echoes it, then both close in order (client first).
void run_echo_and_close(AsioRuntime& rt, LoopbackPair& pair, const Bytes& request) {
  RecordingHandler client;
  RecordingHandler server;
  server.on_bytes = [&](ByteView bytes) { (void)pair.server->write(bytes); };
  pair.client->set_handler(&client);
  pair.server->set_handler(&server);
  (void)pair.client->write(request);
  ASSERT_TRUE(run_until(rt, [&] { return client.received.size() >= request.size(); }));
  pair.client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  pair.server->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !client.closes.empty(); }));
  pair.client->set_handler(nullptr);
  pair.server->set_handler(nullptr);
}

void expect_echo_trace(const RecordingTransportTrace& trace, const LoopbackPair& pair,
                       const Bytes& request, std::size_t mss) {
  ASSERT_FALSE(trace.events.empty());
  EXPECT_EQ(trace.events.front().kind, Kind::connected);
  const ConnectionKey key{pair.client->local_endpoint(), pair.server->local_endpoint()};
  for (const auto& e : trace.events) {
    EXPECT_EQ(e.key, key);
    if (e.kind == Kind::segment) {
      EXPECT_LE(e.payload.size(), mss);
      EXPECT_FALSE(e.payload.empty());
    }
  }
  EXPECT_EQ(trace.count(Kind::connected), 1u);
  EXPECT_EQ(trace.stream_from(Side::client), request);
  EXPECT_EQ(trace.stream_from(Side::server), request);
  EXPECT_EQ(trace.count(Kind::fin), 2u);
  EXPECT_EQ(trace.count(Kind::reset), 0u);
  // The client's FIN comes after all its payload; the server's FIN is last.
  EXPECT_EQ(trace.events.back().kind, Kind::fin);
  EXPECT_EQ(trace.events.back().sender, Side::server);
}

TEST(AsioTransportTrace, ClientSideSynthesisSplitsAtMssAndMatchesBothDirections) {
  AsioRuntime rt;
  RecordingTransportTrace trace;
  rt.set_transport_trace({&trace, 100, true, false});
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  const Bytes request = pattern(50'000, 0x42);
  run_echo_and_close(rt, *pair, request);
  expect_echo_trace(trace, *pair, request, 100);
}

TEST(AsioTransportTrace, ServerSideSynthesisSeesTheSameConnection) {
  AsioRuntime rt;
  RecordingTransportTrace trace;
  rt.set_transport_trace({&trace, 1460, false, true});
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  const Bytes request = pattern(300'000, 0x24);
  run_echo_and_close(rt, *pair, request);
  expect_echo_trace(trace, *pair, request, 1460);
}

TEST(AsioTransportTrace, AbortIsReportedAsResetFromEitherSide) {
  for (const bool trace_aborter : {true, false}) {
    AsioRuntime rt;
    RecordingTransportTrace trace;
    rt.set_transport_trace({&trace, 1460, trace_aborter, !trace_aborter});
    auto pair = connect_pair(rt);
    ASSERT_TRUE(pair);
    RecordingHandler client;
    RecordingHandler server;
    pair->client->set_handler(&client);
    pair->server->set_handler(&server);
    pair->client->abort();
    ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
    ASSERT_EQ(trace.count(Kind::reset), 1u) << trace_aborter;
    EXPECT_EQ(trace.events.back().kind, Kind::reset);
    EXPECT_EQ(trace.events.back().sender, Side::client);
    EXPECT_EQ(trace.count(Kind::fin), 0u);
  }
}

TEST(AsioTransportTrace, RefusedConnectIsReported) {
  AsioRuntime rt;
  RecordingTransportTrace trace;
  rt.set_transport_trace({&trace, 1460, true, true});
  const auto id = rt.network().listen({kLoopback, 0}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_TRUE(id.ok());
  const runtime::Endpoint closed = *rt.listening_endpoint(*id);
  rt.network().stop_listening(*id);
  bool done = false;
  runtime::ConnectOptions options;
  options.remote = closed;
  options.timeout = std::chrono::seconds(3);
  rt.network().connect(options,
                       [&](std::unique_ptr<runtime::Stream>, runtime::CloseReason) { done = true; });
  ASSERT_TRUE(run_until(rt, [&] { return done; }));
  ASSERT_EQ(trace.events.size(), 1u);
  EXPECT_EQ(trace.events[0].kind, Kind::refused);
  EXPECT_EQ(trace.events[0].key.target, closed);
  EXPECT_EQ(trace.events[0].key.initiator.ipv4, kLoopback);
}

}  // namespace
}  // namespace iscsi::asio::test
