// Issue 3 (core/asio/): the identical ping exchange, written only against the runtime
// interfaces, runs once over sim/ and once over real loopback sockets and gives the same
// results: the same answers in the same order, the same bytes, the same StatSNs.
#include <gtest/gtest.h>

#include "core/asio/runtime.hpp"
#include "core/pdu/codec.hpp"
#include "sim/simulator.hpp"
#include "tests/integration/exchange_runs.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::integration {
namespace {

// What the server must send, built independently of the server with the peer-side builders:
// NOP-In i echoes ITT 0x1000+i and its ping data, with StatSN 1+i and ExpCmdSN = CmdSN + 1.
Bytes expected_answer_stream() {
  Bytes stream;
  const auto& sizes = ping_sizes();
  for (std::uint32_t i = 0; i < sizes.size(); ++i) {
    pdu::encode_to(test::nop_in_reply({.itt = 0x1000 + i,
                                       .stat_sn = 1 + i,
                                       .exp_cmd_sn = 2 + i,
                                       .max_cmd_sn = 33 + i},
                                      ping_data(i, sizes[i])),
                   {}, stream);
  }
  return stream;
}

void expect_complete(const ExchangeResult& run) {
  EXPECT_TRUE(run.client.finished);
  EXPECT_FALSE(run.client.failure.has_value())
      << runtime::to_string(run.client.failure.value_or(runtime::CloseReason::local_abort));
  EXPECT_EQ(run.client.error, "");
  EXPECT_TRUE(run.server_errors.empty()) << run.server_errors.front();
  EXPECT_EQ(run.server_answered, ping_sizes().size());
  ASSERT_EQ(run.client.answers.size(), ping_sizes().size());
  for (std::uint32_t i = 0; i < run.client.answers.size(); ++i) {
    const PingAnswer& answer = run.client.answers[i];
    EXPECT_EQ(answer.itt, 0x1000 + i);
    EXPECT_EQ(answer.stat_sn, 1 + i);
    EXPECT_EQ(answer.data, ping_data(i, ping_sizes()[i])) << "ping " << i;
  }
  EXPECT_EQ(run.client.received, expected_answer_stream());
}

TEST(CrossRuntime, SimulatedExchangeAnswersEveryPingInOrder) {
  const ExchangeResult simulated = run_sim_exchange({.seed = 42});
  expect_complete(simulated);
}

TEST(CrossRuntime, LoopbackExchangeAnswersEveryPingInOrder) {
  const ExchangeResult loopback = run_loopback_exchange(std::chrono::seconds(5));
  expect_complete(loopback);
}

TEST(CrossRuntime, SimulatedAndLoopbackRunsGiveTheSameResults) {
  const ExchangeResult simulated = run_sim_exchange({.seed = 42});
  const ExchangeResult loopback = run_loopback_exchange(std::chrono::seconds(5));
  ASSERT_TRUE(simulated.client.finished);
  ASSERT_TRUE(loopback.client.finished);
  EXPECT_EQ(simulated.client.answers, loopback.client.answers);
  EXPECT_EQ(simulated.client.received, loopback.client.received);
  EXPECT_EQ(simulated.server_answered, loopback.server_answered);
}

TEST(CrossRuntime, ConnectingWhereNothingListensFailsTheSameWayOnBothRuntimes) {
  // The sim refuses at once (RST); loopback port 1 refuses too, as nothing listens there.
  sim::Simulator simulator({.seed = 3});
  sim::Fabric fabric(simulator);
  sim::Host& client_host = fabric.add_host("initiator", kClientIpv4);
  fabric.add_host("target", kServerIpv4);
  PingClient sim_client(client_host, simulator, {.server = {kServerIpv4, 3261}, .sizes = {0}});
  sim_client.start();
  ASSERT_TRUE(simulator.run_until_idle().ok());
  ASSERT_TRUE(sim_client.done());
  EXPECT_EQ(sim_client.outcome().failure, runtime::CloseReason::refused);
  EXPECT_FALSE(sim_client.outcome().finished);

  asio::AsioRuntime runtime;
  PingClient real_client(runtime.network(), runtime.timers(),
                         {.server = {0x7f000001, 1},
                          .sizes = {0},
                          .on_done = [&runtime] { runtime.stop(); }});
  real_client.start();
  runtime.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(real_client.done());
  EXPECT_EQ(real_client.outcome().failure, sim_client.outcome().failure);
  EXPECT_FALSE(real_client.outcome().finished);
}

}  // namespace
}  // namespace iscsi::integration
