#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "tests/sim/fabric_fixture.hpp"

namespace iscsi::sim::testing {
namespace {

using namespace std::chrono_literals;
using runtime::CloseReason;
using runtime::Side;
using Kind = TraceEvent::Kind;

TEST_F(FabricTest, EchoExchangeOverTwoHostsWithOrderlyClose) {
  server_.echo = true;
  connect_and_run();
  const Bytes hello = to_bytes("hello, target");
  client_.stream->write(hello);
  client_.stream->shutdown_write();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.received, hello);
  EXPECT_EQ(client_.received, hello);
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
  ASSERT_EQ(trace_.of_kind(Kind::connected).size(), 1u);
  EXPECT_EQ(trace_.events.front().connection, key());
  const auto fins = trace_.of_kind(Kind::fin);
  ASSERT_EQ(fins.size(), 2u);
  EXPECT_EQ(fins[0].sender, Side::client);
  EXPECT_EQ(fins[1].sender, Side::server);
  EXPECT_EQ(server_.stream->peer_endpoint(), client_.stream->local_endpoint());
  EXPECT_EQ(client_.stream->peer_endpoint(), (runtime::Endpoint{kTargetIp, kPort}));
}

TEST_F(FabricTest, HandshakeTakesOneLatencyEachWay) {
  fabric_.set_link(initiator_, target_, LinkParams{.latency = 10ms});
  std::int64_t accepted_at = -1;
  ASSERT_TRUE(target_
                  .listen({0, kPort},
                          [&](std::unique_ptr<runtime::Stream> s) {
                            accepted_at = sim_.now().time_since_epoch().count();
                            server_.attach(std::move(s));
                          })
                  .ok());
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(accepted_at, 10'000'000);
  EXPECT_EQ(connected_at_ns_, 20'000'000);
  EXPECT_NE(client_.stream, nullptr);
}

TEST_F(FabricTest, ConnectWithNoListenerIsRefusedAfterOneRoundTrip) {
  fabric_.set_link(initiator_, target_, LinkParams{.latency = 3ms});
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(connect_failure_, CloseReason::refused);
  EXPECT_EQ(connected_at_ns_, 6'000'000);
  const auto refused = trace_.of_kind(Kind::refused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].connection.target, (runtime::Endpoint{kTargetIp, kPort}));
}

TEST_F(FabricTest, ConnectToUnknownAddressTimesOutInVirtualTime) {
  connect({.remote = {0x0a0000ff, kPort}, .timeout = 5s});
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(connect_failure_, CloseReason::timed_out);
  EXPECT_EQ(connected_at_ns_, 5'000'000'000);
  EXPECT_TRUE(trace_.events.empty());
}

TEST_F(FabricTest, ListeningTwiceOnOnePortIsAnError) {
  listen();
  auto again = target_.listen({kTargetIp, kPort}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().id(), "sim.address-in-use");
  auto foreign = target_.listen({kInitiatorIp, 1}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().id(), "sim.address-not-local");
}

TEST_F(FabricTest, StopListeningRefusesLaterConnects) {
  listen();
  target_.stop_listening(listener_);
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(connect_failure_, CloseReason::refused);
}

TEST_F(FabricTest, ConnectFromAChosenSourceAddress) {
  initiator_.add_address(0x0a000009);
  listen();
  connect({.remote = {kTargetIp, kPort}, .local_ipv4 = 0x0a000009});
  ASSERT_TRUE(sim_.run_until_idle().ok());
  ASSERT_NE(server_.stream, nullptr);
  EXPECT_EQ(server_.stream->peer_endpoint().ipv4, 0x0a000009u);
}

TEST_F(FabricTest, LatencyAndBandwidthArithmetic) {
  // 8 Mbit/s: one byte per microsecond. Fixed 1000-byte segments.
  fabric_.set_link(
      initiator_, target_,
      LinkParams{.latency = 1ms, .bandwidth_bps = 8'000'000, .mss = 1000, .min_segment = 1000});
  connect_and_run();
  sim_.schedule_at(runtime::TimePoint{10ms}, [&] { client_.stream->write(pattern(2500)); });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.received, pattern(2500));
  EXPECT_EQ(server_.arrival_ns, (std::vector<std::int64_t>{12'000'000, 13'000'000, 13'500'000}));
  const auto segments = trace_.of_kind(Kind::segment);
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[0].at_ns, 10'000'000);
  EXPECT_EQ(segments[1].at_ns, 11'000'000);
  EXPECT_EQ(segments[2].at_ns, 12'000'000);
  EXPECT_EQ(segments[2].payload.size(), 500u);
}

TEST_F(FabricTest, JitterNeverReordersAStream) {
  fabric_.set_link(
      initiator_, target_,
      LinkParams{.latency = 1ms, .jitter = 1ms, .bandwidth_bps = 80'000'000, .mss = 100});
  connect_and_run();
  const Bytes data = pattern(20'000, 7);
  client_.stream->write(data);
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.received, data);
  // Each on_data is one traced segment, in order, arriving within [latency, latency + jitter]
  // of when it was put on the wire, and never before the segment ahead of it.
  const auto segments = trace_.of_kind(Kind::segment);
  ASSERT_EQ(server_.chunk_sizes.size(), segments.size());
  ASSERT_GT(segments.size(), 100u);
  std::set<std::int64_t> gaps;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    ASSERT_EQ(server_.chunk_sizes[i], segments[i].payload.size());
    const std::int64_t sent =
        segments[i].at_ns + static_cast<std::int64_t>(segments[i].payload.size() * 100);
    ASSERT_GE(server_.arrival_ns[i], sent + 1'000'000) << "segment " << i;
    ASSERT_LE(server_.arrival_ns[i], sent + 2'000'000) << "segment " << i;
    if (i > 0) {
      ASSERT_LE(server_.arrival_ns[i - 1], server_.arrival_ns[i]);
      gaps.insert(server_.arrival_ns[i] - server_.arrival_ns[i - 1]);
    }
  }
  EXPECT_GT(gaps.size(), 10u);  // the jitter is visible, not a constant spacing
}

TEST_F(FabricTest, SegmentsRespectTheMss) {
  fabric_.set_link(initiator_, target_, LinkParams{.mss = 536, .min_segment = 100});
  connect_and_run();
  client_.stream->write(pattern(50'000));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  const auto segments = trace_.of_kind(Kind::segment);
  std::size_t total = 0;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    ASSERT_LE(segments[i].payload.size(), 536u);
    if (i + 1 < segments.size()) {
      ASSERT_GE(segments[i].payload.size(), 100u);
    }
    total += segments[i].payload.size();
  }
  EXPECT_EQ(total, 50'000u);
  EXPECT_EQ(server_.received, pattern(50'000));
}

// A gathered write is the concatenation of its pieces, delivered in order between plain writes;
// the simulator copies every piece, so an owner may be released as soon as the call returns.
TEST_F(FabricTest, GatheredWritesDeliverTheConcatenatedBytes) {
  connect_and_run();
  const Bytes message = pattern(3000);
  Bytes expected;
  for (std::size_t cut = 0; cut <= message.size(); cut += 250) {
    const ByteView all(message);
    auto middle = std::make_shared<const Bytes>(all.begin() + static_cast<std::ptrdiff_t>(cut / 2),
                                                all.begin() + static_cast<std::ptrdiff_t>(cut));
    std::weak_ptr<const Bytes> watch = middle;
    {
      const runtime::WriteBuffer pieces[] = {
          {all.first(cut / 2), nullptr}, {ByteView(*middle), middle}, {all.subspan(cut), nullptr}};
      client_.stream->write_gather(pieces);
    }
    middle.reset();
    EXPECT_TRUE(watch.expired());
    client_.stream->write(to_bytes("|"));
    expected.insert(expected.end(), message.begin(), message.end());
    expected.push_back('|');
  }
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.received, expected);
}

TEST_F(FabricTest, HalfCloseKeepsTheOtherDirectionOpen) {
  connect_and_run();
  client_.stream->shutdown_write();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
  EXPECT_TRUE(client_.closes.empty());
  server_.stream->write(to_bytes("still here"));
  client_.stream->write(to_bytes("dropped: written after FIN"));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(as_text(client_.received), "still here");
  EXPECT_TRUE(server_.received.empty());
}

TEST_F(FabricTest, AbortSendsResetToThePeer) {
  fabric_.set_link(initiator_, target_, LinkParams{.latency = 2ms});
  connect_and_run();
  const std::int64_t start = sim_.now().time_since_epoch().count();
  client_.stream->abort();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::local_abort}));
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
  EXPECT_EQ(server_.closed_at_ns, start + 2'000'000);
  const auto resets = trace_.of_kind(Kind::reset);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].sender, Side::client);
}

TEST_F(FabricTest, BackPressureThenWritable) {
  FabricConfig config;
  config.send_buffer_limit = 4096;
  Simulator sim;
  Fabric fabric(sim, config);
  Host& a = fabric.add_host("a", kInitiatorIp);
  Host& b = fabric.add_host("b", kTargetIp);
  fabric.set_link(a, b, LinkParams{.latency = 1ms, .bandwidth_bps = 8'000'000});
  Collector client(sim), server(sim);
  ASSERT_TRUE(b.listen({0, kPort}, [&](auto s) { server.attach(std::move(s)); }).ok());
  a.connect({.remote = {kTargetIp, kPort}},
            [&](auto s, CloseReason) { client.attach(std::move(s)); });
  ASSERT_TRUE(sim.run_until_idle().ok());
  EXPECT_TRUE(client.stream->write(pattern(4000)));
  EXPECT_FALSE(client.stream->write(pattern(1000, 1)));  // 5000 > 4096: queued, but wait
  ASSERT_TRUE(sim.run_until_idle().ok());
  EXPECT_EQ(client.writable_calls, 1);
  Bytes expected = pattern(4000);
  const Bytes tail = pattern(1000, 1);
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(server.received, expected);
}

TEST_F(FabricTest, DataArrivingBeforeTheHandlerIsSetIsKept) {
  std::unique_ptr<runtime::Stream> accepted;
  ASSERT_TRUE(target_.listen({0, kPort}, [&](auto s) { accepted = std::move(s); }).ok());
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  client_.stream->write(to_bytes("early"));
  client_.stream->shutdown_write();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  ASSERT_NE(accepted, nullptr);
  server_.attach(std::move(accepted));
  EXPECT_TRUE(server_.received.empty());  // handed over from the event loop, not set_handler()
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(as_text(server_.received), "early");
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
}

TEST_F(FabricTest, DestroyingAStreamSendsFin) {
  connect_and_run();
  client_.stream.reset();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
}

// One complete run: connect, 64 KiB each way, close. Returns the trace and what each side got.
struct RunRecord {
  std::vector<TraceEvent> events;
  Bytes server_received;
  Bytes client_received;
};

RunRecord run_with_seed(std::uint64_t seed) {
  Simulator sim(SimConfig{.seed = seed});
  Fabric fabric(sim);
  Host& a = fabric.add_host("a", kInitiatorIp);
  Host& b = fabric.add_host("b", kTargetIp);
  fabric.set_link(a, b,
                  LinkParams{.latency = 100us, .jitter = 50us, .bandwidth_bps = 1'000'000'000});
  RecordingTransportTrace trace;
  fabric.set_trace(&trace);
  Collector client(sim), server(sim);
  server.echo = true;
  EXPECT_TRUE(b.listen({0, kPort}, [&](auto s) { server.attach(std::move(s)); }).ok());
  a.connect({.remote = {kTargetIp, kPort}}, [&](auto s, CloseReason) {
    client.attach(std::move(s));
    client.stream->write(pattern(65'536, 3));
    client.stream->shutdown_write();
  });
  EXPECT_TRUE(sim.run_until_idle().ok());
  return {trace.events, server.received, client.received};
}

TEST(FabricDeterminism, SameSeedSameSegmentsDifferentSeedSameBytes) {
  const RunRecord first = run_with_seed(11);
  const RunRecord again = run_with_seed(11);
  const RunRecord other = run_with_seed(12);
  EXPECT_EQ(first.events, again.events);
  EXPECT_EQ(first.server_received, pattern(65'536, 3));
  EXPECT_EQ(first.client_received, pattern(65'536, 3));
  EXPECT_EQ(other.server_received, first.server_received);
  EXPECT_EQ(other.client_received, first.client_received);
  auto sizes = [](const RunRecord& r) {
    std::vector<std::size_t> out;
    for (const auto& e : r.events) {
      if (e.kind == Kind::segment) out.push_back(e.payload.size());
    }
    return out;
  };
  EXPECT_NE(sizes(first), sizes(other));
}

}  // namespace
}  // namespace iscsi::sim::testing
