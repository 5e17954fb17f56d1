#pragma once
// Two hosts on one fabric, a listener helper and a connect helper shared by the fabric tests.
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "sim/fabric.hpp"
#include "tests/sim/sim_test_support.hpp"

namespace iscsi::sim::testing {

inline constexpr std::uint32_t kInitiatorIp = 0x0a000001;  // 10.0.0.1
inline constexpr std::uint32_t kTargetIp = 0x0a000002;     // 10.0.0.2
inline constexpr std::uint16_t kPort = 3260;

class FabricTest : public ::testing::Test {
 protected:
  explicit FabricTest(std::uint64_t seed = 1, FabricConfig config = {})
      : sim_(SimConfig{.seed = seed}),
        fabric_(sim_, config),
        initiator_(fabric_.add_host("initiator", kInitiatorIp)),
        target_(fabric_.add_host("target", kTargetIp)),
        client_(sim_),
        server_(sim_) {
    fabric_.set_trace(&trace_);
  }

  void listen() {
    auto id = target_.listen({kTargetIp, kPort}, [this](std::unique_ptr<runtime::Stream> s) {
      server_.attach(std::move(s));
    });
    ASSERT_TRUE(id.ok());
    listener_ = *id;
  }

  // Starts a connect from the initiator; the outcome lands in client_ / connect_failure_.
  void connect(runtime::ConnectOptions options = {}) {
    if (options.remote.ipv4 == 0) options.remote = {kTargetIp, kPort};
    initiator_.connect(options,
                       [this](std::unique_ptr<runtime::Stream> s, runtime::CloseReason failure) {
                         connected_at_ns_ = sim_.now().time_since_epoch().count();
                         if (s) {
                           client_.attach(std::move(s));
                         } else {
                           connect_failure_ = failure;
                         }
                       });
  }

  void connect_and_run() {
    listen();
    connect();
    ASSERT_TRUE(sim_.run_until_idle().ok());
    ASSERT_NE(client_.stream, nullptr);
    ASSERT_NE(server_.stream, nullptr);
  }

  runtime::ConnectionKey key() const {
    return {client_.stream->local_endpoint(), client_.stream->peer_endpoint()};
  }

  Simulator sim_;
  Fabric fabric_;
  Host& initiator_;
  Host& target_;
  RecordingTransportTrace trace_;
  Collector client_;
  Collector server_;
  runtime::ListenerId listener_ = 0;
  std::optional<runtime::CloseReason> connect_failure_;
  std::int64_t connected_at_ns_ = -1;
};

}  // namespace iscsi::sim::testing
