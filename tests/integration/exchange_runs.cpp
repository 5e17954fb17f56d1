#include "tests/integration/exchange_runs.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "core/asio/runtime.hpp"
#include "pcap/pcap_recorder.hpp"
#include "sim/simulator.hpp"

namespace iscsi::integration {

const std::vector<std::size_t>& ping_sizes() {
  static const std::vector<std::size_t> sizes{0, 1, 4095, 8192, 2, 3, 1448, 5000, 48, 8191};
  return sizes;
}

ExchangeResult run_sim_exchange(const SimExchangeOptions& options) {
  ExchangeResult result;
  sim::Simulator simulator({.seed = options.seed});
  std::unique_ptr<pcap::PcapRecorder> recorder;
  if (options.capture) {
    auto opened = pcap::PcapRecorder::open_memory(simulator);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().to_string());
    if (!opened.ok()) return result;
    recorder = std::move(opened.value());
  }
  {
    // Streams (inside server and client) must go before the fabric (docs/simulator.md).
    sim::Fabric fabric(simulator);
    sim::Host& client_host = fabric.add_host("initiator", kClientIpv4);
    sim::Host& server_host = fabric.add_host("target", kServerIpv4);
    fabric.set_link(client_host, server_host, options.link);
    fabric.set_trace(recorder.get());

    PingServer server(server_host);
    auto listening = server.start({kServerIpv4, kSimPort});
    EXPECT_TRUE(listening.ok());
    PingClient client(client_host, simulator,
                      {.server = {kServerIpv4, kSimPort}, .sizes = ping_sizes()});
    client.start();
    auto ran = simulator.run_until_idle();
    EXPECT_TRUE(ran.ok()) << (ran.ok() ? "" : ran.error().to_string());
    EXPECT_TRUE(client.done());
    result.client = client.outcome();
    result.server_answered = server.pings_answered();
    result.server_errors = server.errors();
  }
  if (recorder) {
    auto bytes = recorder->finish();
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().to_string());
    if (bytes.ok()) result.capture = std::move(bytes.value());
  }
  return result;
}

namespace {

void run_loopback_client(asio::AsioRuntime& runtime, runtime::Duration limit,
                         ExchangeResult& result) {
  PingServer server(runtime.network());
  auto listening = server.start({0x7f000001, 0});
  ASSERT_TRUE(listening.ok()) << listening.error().to_string();
  auto endpoint = runtime.listening_endpoint(listening.value());
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().to_string();
  ASSERT_NE(endpoint->port, 0);
  result.server_port = endpoint->port;
  // The loop would wait for further connections forever: stop it when the client is done.
  PingClient client(runtime.network(), runtime.timers(),
                    {.server = endpoint.value(),
                     .sizes = ping_sizes(),
                     .on_done = [&runtime] { runtime.stop(); }});
  client.start();
  runtime.run_for(limit);
  EXPECT_TRUE(client.done()) << "the loopback exchange did not finish in time";
  result.client = client.outcome();
  result.server_answered = server.pings_answered();
  result.server_errors = server.errors();
}

}  // namespace

ExchangeResult run_loopback_exchange(runtime::Duration limit, bool capture) {
  ExchangeResult result;
  asio::AsioRuntime runtime;
  std::unique_ptr<pcap::PcapRecorder> recorder;
  if (capture) {
    auto opened = pcap::PcapRecorder::open_memory(runtime.clock());
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().to_string());
    if (!opened.ok()) return result;
    recorder = std::move(opened.value());
    runtime.set_transport_trace({.trace = recorder.get(), .trace_accepted = false});
  }
  // Streams are gone when this returns, before the recorder finishes and the runtime ends.
  run_loopback_client(runtime, limit, result);
  if (recorder) {
    auto bytes = recorder->finish();
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().to_string());
    if (bytes.ok()) result.capture = std::move(bytes.value());
  }
  return result;
}

}  // namespace iscsi::integration
