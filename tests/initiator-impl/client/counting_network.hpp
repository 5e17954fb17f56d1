#pragma once
// A runtime::Network that hands out its inner network's streams wrapped, counting what our
// initiator writes: how many writes carried SCSI Command PDUs, and how many commands each
// (the command batching of client::Connection, command_batch.hpp). Every write the Connection
// makes holds whole PDUs, which is what lets a write be split into PDUs here (with whichever
// digest setting splits it exactly: the stream does not know what was negotiated). It also
// keeps the handler of the latest stream, to ask it what a socket stream would before a wait
// (StreamHandler::receive_batch_bytes(), which the simulator's streams never ask).
#include <cstddef>
#include <memory>

#include "core/runtime/network.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::initiator::client::testing {

struct CommandWrites {
  std::size_t writes = 0;    // writes that carried at least one SCSI Command
  std::size_t commands = 0;  // SCSI Commands written
  std::size_t most_in_one_write = 0;
  runtime::StreamHandler* latest_handler = nullptr;  // of the latest stream (kept by reset())
};

class CountingNetwork final : public runtime::Network {
 public:
  explicit CountingNetwork(runtime::Network& inner) : inner_(inner) {}

  Result<runtime::ListenerId> listen(runtime::Endpoint local,
                                     runtime::AcceptCallback on_accept) override {
    return inner_.listen(local, std::move(on_accept));
  }
  void stop_listening(runtime::ListenerId id) override { inner_.stop_listening(id); }
  void connect(const runtime::ConnectOptions& options, runtime::ConnectCallback on_done) override;

  // Over every stream connected so far; reset() starts counting again.
  const CommandWrites& command_writes() const { return *counts_; }
  void reset() { *counts_ = CommandWrites{.latest_handler = counts_->latest_handler}; }
  // What the latest stream's handler answers to receive_batch_bytes(); 0 without one.
  std::size_t receive_batch_hint() const {
    return counts_->latest_handler ? counts_->latest_handler->receive_batch_bytes() : 0;
  }

 private:
  runtime::Network& inner_;
  std::shared_ptr<CommandWrites> counts_ = std::make_shared<CommandWrites>();
};

}  // namespace iscsi::initiator::client::testing
