// Application callbacks that tear things down mid-delivery, and links shared by streams. These
// run under ASan in CI: a dangling pointer in the delivery path shows up here.
#include <gtest/gtest.h>

#include "tests/sim/fabric_fixture.hpp"

namespace iscsi::sim::testing {
namespace {

using namespace std::chrono_literals;
using runtime::CloseReason;

// Runs `action` on the first on_data, then keeps counting what still arrives.
class TearDownHandler final : public runtime::StreamHandler {
 public:
  std::unique_ptr<runtime::Stream> stream;
  std::function<void(TearDownHandler&)> action;
  int data_calls = 0;
  std::vector<CloseReason> closes;

  void on_data(ByteView) override {
    ++data_calls;
    if (action) std::exchange(action, nullptr)(*this);
  }
  void on_writable() override {}
  void on_closed(CloseReason reason) override { closes.push_back(reason); }
};

class EdgeTest : public FabricTest {
 protected:
  void listen_with(TearDownHandler& handler) {
    ASSERT_TRUE(target_
                    .listen({0, kPort},
                            [&handler](std::unique_ptr<runtime::Stream> s) {
                              handler.stream = std::move(s);
                              handler.stream->set_handler(&handler);
                            })
                    .ok());
  }
};

TEST_F(EdgeTest, DestroyingTheStreamInsideOnDataDropsLaterSegments) {
  fabric_.set_link(initiator_, target_, LinkParams{.latency = 1ms, .mss = 100, .min_segment = 100});
  TearDownHandler server;
  server.action = [](TearDownHandler& h) { h.stream.reset(); };
  listen_with(server);
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  client_.stream->write(pattern(1000));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server.data_calls, 1);
  EXPECT_TRUE(server.closes.empty());
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
}

TEST_F(EdgeTest, AbortInsideOnDataResetsThePeer) {
  fabric_.set_link(initiator_, target_, LinkParams{.latency = 1ms, .mss = 100, .min_segment = 100});
  TearDownHandler server;
  server.action = [](TearDownHandler& h) { h.stream->abort(); };
  listen_with(server);
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  client_.stream->write(pattern(1000));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server.data_calls, 1);
  EXPECT_EQ(server.closes, (std::vector<CloseReason>{CloseReason::local_abort}));
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
  EXPECT_TRUE(client_.stream->write(pattern(10)));  // dropped after the reset, no back-pressure
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server.data_calls, 1);
}

TEST_F(EdgeTest, ResetWhileWaitingOutAPartition) {
  connect_and_run();
  fabric_.partition(initiator_, target_);
  client_.stream->write(pattern(100));
  ASSERT_TRUE(sim_.run_for(1s).ok());
  ASSERT_TRUE(fabric_.reset(key()));
  fabric_.heal(initiator_, target_);
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_TRUE(server_.received.empty());
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
}

TEST_F(EdgeTest, StreamsOnOneLinkShareItsBandwidth) {
  fabric_.set_link(
      initiator_, target_,
      LinkParams{.latency = 1ms, .bandwidth_bps = 8'000'000, .mss = 1000, .min_segment = 1000});
  listen();
  connect();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  Collector second_server(sim_), second_client(sim_);
  target_.stop_listening(listener_);
  ASSERT_TRUE(target_.listen({0, kPort}, [&](auto s) { second_server.attach(std::move(s)); }).ok());
  initiator_.connect({.remote = {kTargetIp, kPort}},
                     [&](auto s, CloseReason) { second_client.attach(std::move(s)); });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  const std::int64_t start = sim_.now().time_since_epoch().count();
  client_.stream->write(pattern(1000));
  second_client.stream->write(pattern(1000, 9));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.arrival_ns, (std::vector<std::int64_t>{start + 2'000'000}));
  EXPECT_EQ(second_server.arrival_ns, (std::vector<std::int64_t>{start + 3'000'000}));
  EXPECT_EQ(second_server.received, pattern(1000, 9));
}

TEST_F(EdgeTest, QueuedBytesStillArriveAfterTheWriterDestroysItsStream) {
  fabric_.set_link(initiator_, target_, LinkParams{.bandwidth_bps = 8'000'000});
  connect_and_run();
  client_.stream->write(pattern(30'000));
  client_.stream.reset();
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.received, pattern(30'000));
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_fin}));
}

}  // namespace
}  // namespace iscsi::sim::testing
