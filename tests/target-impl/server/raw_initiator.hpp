#pragma once
// A hand-driven initiator for the server tests: one simulated TCP connection on which a test
// sends PDUs it built itself (tests/support/pdu_builders.hpp) or raw bytes, and reads back the
// target's PDUs one by one. Nothing of the reference initiator is used, so every byte the
// target sees is the test's choice, malformed ones included.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pdu/framer.hpp"
#include "core/runtime/stream.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"

namespace iscsi::target::server::testing {

class RawInitiator final : public runtime::StreamHandler {
 public:
  RawInitiator(sim::Simulator& simulator, sim::Host& host);
  ~RawInitiator() override;
  RawInitiator(const RawInitiator&) = delete;
  RawInitiator& operator=(const RawInitiator&) = delete;

  // Connects and runs the simulator until the connection is up (or refused).
  bool connect(runtime::Endpoint target);
  void send(const pdu::Pdu& pdu);
  void send_bytes(ByteView bytes);
  // Runs the simulator until a PDU from the target is there (or the connection ended, or the
  // simulator ran idle) and returns it.
  std::optional<pdu::Pdu> receive();
  // Runs the simulator until the target closed the connection; true if it did.
  bool wait_closed();
  // Digests on both directions from the next PDU on (after the Login Final-Response).
  void set_digests(const pdu::DigestOptions& digests);
  void close();

  bool closed() const { return close_reason_.has_value(); }
  std::optional<runtime::CloseReason> close_reason() const { return close_reason_; }
  const std::vector<std::string>& errors() const { return errors_; }
  runtime::Endpoint local_endpoint() const;

  void on_data(ByteView bytes) override;
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override;

 private:
  sim::Simulator& simulator_;
  sim::Host& host_;
  std::unique_ptr<runtime::Stream> stream_;
  pdu::Framer framer_;
  pdu::DigestOptions digests_{};
  std::deque<pdu::Pdu> inbox_;
  std::optional<runtime::CloseReason> close_reason_;
  std::vector<std::string> errors_;
};

}  // namespace iscsi::target::server::testing
