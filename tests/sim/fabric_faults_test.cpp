#include <gtest/gtest.h>

#include "tests/sim/fabric_fixture.hpp"

namespace iscsi::sim::testing {
namespace {

using namespace std::chrono_literals;
using runtime::CloseReason;
using runtime::Side;
using Kind = TraceEvent::Kind;

class FaultTest : public FabricTest {
 protected:
  void SetUp() override {
    fabric_.set_link(initiator_, target_, LinkParams{.latency = 1ms});
    connect_and_run();
    start_ns_ = sim_.now().time_since_epoch().count();
  }
  std::int64_t start_ns_ = 0;
};

TEST_F(FaultTest, StallHoldsBytesUntilThePeriodEnds) {
  fabric_.stall(initiator_, target_, 50ms);
  client_.stream->write(to_bytes("late"));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(as_text(server_.received), "late");
  EXPECT_EQ(server_.arrival_ns, (std::vector<std::int64_t>{start_ns_ + 51'000'000}));
}

TEST_F(FaultTest, PartitionHoldsStreamsUntilHealed) {
  fabric_.partition(initiator_, target_);
  client_.stream->write(to_bytes("across"));
  ASSERT_TRUE(sim_.run_for(10s).ok());
  EXPECT_TRUE(server_.received.empty());
  fabric_.heal(initiator_, target_);
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(as_text(server_.received), "across");
  EXPECT_EQ(server_.arrival_ns, (std::vector<std::int64_t>{start_ns_ + 10'001'000'000}));
}

TEST_F(FaultTest, PartitionMakesNewConnectsTimeOut) {
  fabric_.partition(initiator_, target_);
  Collector second(sim_);
  std::optional<CloseReason> failure;
  initiator_.connect({.remote = {kTargetIp, kPort}, .timeout = 3s}, [&](auto s, CloseReason why) {
    if (!s) failure = why;
  });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(failure, CloseReason::timed_out);
  EXPECT_EQ(sim_.now().time_since_epoch().count(), start_ns_ + 3'000'000'000);
}

TEST_F(FaultTest, HostDownAnswersNothingUntilItComesBack) {
  fabric_.set_host_up(target_, false);
  std::optional<CloseReason> failure;
  initiator_.connect({.remote = {kTargetIp, kPort}, .timeout = 2s}, [&](auto s, CloseReason why) {
    if (!s) failure = why;
  });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(failure, CloseReason::timed_out);
  fabric_.set_host_up(target_, true);
  bool connected = false;
  initiator_.connect({.remote = {kTargetIp, kPort}},
                     [&](auto s, CloseReason) { connected = s != nullptr; });
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_TRUE(connected);
}

TEST_F(FaultTest, ResetReachesBothEnds) {
  ASSERT_EQ(fabric_.connections(), (std::vector<runtime::ConnectionKey>{key()}));
  ASSERT_TRUE(fabric_.reset(key()));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(client_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
  EXPECT_EQ(server_.closes, (std::vector<CloseReason>{CloseReason::peer_reset}));
  EXPECT_EQ(trace_.of_kind(Kind::reset).size(), 2u);
  EXPECT_TRUE(fabric_.connections().empty());
  EXPECT_FALSE(fabric_.reset(key()));
}

TEST_F(FaultTest, CorruptFlipsExactlyOneByteOnTheWire) {
  ASSERT_TRUE(fabric_.corrupt(key(), Side::client, 1500, 0x5a));
  const Bytes data = pattern(4000);
  client_.stream->write(data);
  ASSERT_TRUE(sim_.run_until_idle().ok());
  ASSERT_EQ(server_.received.size(), data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::uint8_t expected = i == 1500 ? static_cast<std::uint8_t>(data[i] ^ 0x5a) : data[i];
    ASSERT_EQ(server_.received[i], expected) << "offset " << i;
  }
  Bytes on_wire;
  for (const auto& e : trace_.of_kind(Kind::segment)) {
    on_wire.insert(on_wire.end(), e.payload.begin(), e.payload.end());
  }
  EXPECT_EQ(on_wire, server_.received);  // a capture shows what the receiver got
}

TEST_F(FaultTest, ListenerDownRefusesNewConnectsButKeepsOldStreams) {
  ASSERT_TRUE(fabric_.close_listener({kTargetIp, kPort}));
  std::optional<CloseReason> failure;
  initiator_.connect({.remote = {kTargetIp, kPort}}, [&](auto s, CloseReason why) {
    if (!s) failure = why;
  });
  client_.stream->write(to_bytes("old stream"));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(failure, CloseReason::refused);
  EXPECT_EQ(as_text(server_.received), "old stream");
}

TEST_F(FaultTest, DelayOneDirectionOnly) {
  fabric_.delay_direction(initiator_, target_, 5ms);
  client_.stream->write(to_bytes("up"));
  server_.stream->write(to_bytes("down"));
  ASSERT_TRUE(sim_.run_until_idle().ok());
  EXPECT_EQ(server_.arrival_ns, (std::vector<std::int64_t>{start_ns_ + 6'000'000}));
  EXPECT_EQ(client_.arrival_ns, (std::vector<std::int64_t>{start_ns_ + 1'000'000}));
}

}  // namespace
}  // namespace iscsi::sim::testing
