#include "tests/initiator-impl/client/counting_network.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/pdu/codec.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::initiator::client::testing {
namespace {

// SCSI Command PDUs in `wire` when `digests` split it into whole PDUs exactly, else nullopt.
std::optional<std::size_t> commands_in(ByteView wire, const pdu::DigestOptions& digests) {
  std::size_t commands = 0;
  std::size_t offset = 0;
  while (offset < wire.size()) {
    const ByteView rest = wire.subspan(offset);
    const std::size_t length = pdu::pdu_wire_length(rest, digests);
    if (length == 0 || length > rest.size()) return std::nullopt;
    if ((rest[0] & pdu::kOpcodeMask) == static_cast<std::uint8_t>(pdu::Opcode::scsi_command)) {
      ++commands;
    }
    offset += length;
  }
  return commands;
}

// The stream does not know the digests negotiated: the first setting that splits the write
// into whole PDUs is taken (a write holds whole PDUs only).
std::size_t commands_in(ByteView wire) {
  for (const bool header : {false, true}) {
    for (const bool data : {false, true}) {
      if (auto commands = commands_in(wire, {.header = header, .data = data})) return *commands;
    }
  }
  return 0;
}

class CountingStream final : public runtime::Stream {
 public:
  CountingStream(std::unique_ptr<runtime::Stream> inner, std::shared_ptr<CommandWrites> counts)
      : inner_(std::move(inner)), counts_(std::move(counts)) {}

  ~CountingStream() override { forget_handler(); }
  CountingStream(const CountingStream&) = delete;
  CountingStream& operator=(const CountingStream&) = delete;

  void set_handler(runtime::StreamHandler* handler) override {
    forget_handler();
    handler_ = handler;
    if (handler != nullptr) counts_->latest_handler = handler;
    inner_->set_handler(handler);
  }
  bool write(ByteView bytes) override {
    count(bytes);
    return inner_->write(bytes);
  }
  bool write_gather(std::span<const runtime::WriteBuffer> buffers) override {
    return inner_->write_gather(buffers);
  }
  void shutdown_write() override { inner_->shutdown_write(); }
  void abort() override { inner_->abort(); }
  runtime::Endpoint local_endpoint() const override { return inner_->local_endpoint(); }
  runtime::Endpoint peer_endpoint() const override { return inner_->peer_endpoint(); }

 private:
  void count(ByteView bytes) {
    const std::size_t commands = commands_in(bytes);
    if (commands == 0) return;
    ++counts_->writes;
    counts_->commands += commands;
    counts_->most_in_one_write = std::max(counts_->most_in_one_write, commands);
  }

  // A handler may be gone once its stream is: never leave it to be asked.
  void forget_handler() {
    if (handler_ != nullptr && counts_->latest_handler == handler_) {
      counts_->latest_handler = nullptr;
    }
  }

  std::unique_ptr<runtime::Stream> inner_;
  std::shared_ptr<CommandWrites> counts_;
  runtime::StreamHandler* handler_ = nullptr;
};

}  // namespace

void CountingNetwork::connect(const runtime::ConnectOptions& options,
                              runtime::ConnectCallback on_done) {
  inner_.connect(options,
                 [counts = counts_, on_done = std::move(on_done)](
                     std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure) {
                   if (stream) stream = std::make_unique<CountingStream>(std::move(stream), counts);
                   on_done(std::move(stream), failure);
                 });
}

}  // namespace iscsi::initiator::client::testing
