#include "tests/integration/ping_protocol.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/pdu/codec.hpp"
#include "core/pdu/pdu.hpp"

namespace iscsi::integration {

// The CmdSN window the server advertises (RFC 7143 §4.2.2.1): MaxCmdSN - ExpCmdSN + 1 commands.
constexpr std::uint32_t kCommandWindow = 32;

Bytes ping_data(std::size_t index, std::size_t size) {
  Bytes data(size);
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = static_cast<std::uint8_t>((index * 31 + i * 7 + i / 256) & 0xffU);
  }
  return data;
}

// One accepted connection: frames the NOP-Outs and answers each with a NOP-In echo.
class PingServer::Session final : public runtime::StreamHandler {
 public:
  Session(PingServer& server, std::unique_ptr<runtime::Stream> stream)
      : server_(server), stream_(std::move(stream)), stat_sn_(server.options_.first_stat_sn) {
    stream_->set_handler(this);
  }
  ~Session() override {
    if (stream_) stream_->set_handler(nullptr);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void on_data(ByteView bytes) override {
    if (failed_) return;
    framer_.feed(bytes);
    for (;;) {
      pdu::FrameEvent event = framer_.next();
      if (std::holds_alternative<pdu::NeedMore>(event)) return;
      if (auto* error = std::get_if<pdu::FrameError>(&event)) {
        return fail(error->violation.to_string());
      }
      answer(std::get<pdu::DecodedPdu>(event).pdu);
      if (failed_) return;
    }
  }
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override {
    // The client half-closed after its last ping: close our side too (RFC 7143 §6.1 leaves
    // the TCP close to the peers; an orderly FIN both ways ends the capture cleanly).
    if (reason == runtime::CloseReason::peer_fin && !failed_) {
      if (auto end = framer_.check_end_of_stream(); !end) {
        server_.errors_.push_back(end.error().to_string());
      }
      stream_->shutdown_write();
    }
  }

 private:
  void answer(const pdu::Pdu& request) {
    const auto* ping = std::get_if<pdu::NopOut>(&request.header);
    if (ping == nullptr) {
      return fail(fmt::format("ping server: expected a NOP-Out, got opcode 0x{:02x}",
                              static_cast<unsigned>(pdu::opcode(request))));
    }
    // RFC 7143 §11.19.1: a NOP-In answering a ping copies its ITT and LUN, carries the
    // reserved TTT and echoes the ping data; a response PDU advances StatSN (§4.2.2.2).
    pdu::NopIn echo;
    echo.lun = ping->lun;
    echo.itt = ping->itt;
    echo.ttt = pdu::kReservedTag;
    echo.stat_sn = stat_sn_++;
    echo.exp_cmd_sn = ping->immediate ? ping->cmd_sn : ping->cmd_sn + 1;
    echo.max_cmd_sn = echo.exp_cmd_sn + kCommandWindow - 1;
    const Bytes wire = pdu::encode(pdu::Pdu{echo, request.data, {}});
    stream_->write(wire);
    ++server_.pings_answered_;
  }
  void fail(std::string error) {
    failed_ = true;
    server_.errors_.push_back(std::move(error));
    stream_->abort();
  }

  PingServer& server_;
  std::unique_ptr<runtime::Stream> stream_;
  pdu::Framer framer_;
  std::uint32_t stat_sn_;
  bool failed_ = false;
};

PingServer::PingServer(runtime::Network& network, PingServerOptions options)
    : network_(network), options_(options) {}

PingServer::~PingServer() { stop(); }

Result<runtime::ListenerId> PingServer::start(runtime::Endpoint local) {
  auto id = network_.listen(local, [this](std::unique_ptr<runtime::Stream> stream) {
    accept(std::move(stream));
  });
  if (id) listener_ = id.value();
  return id;
}

void PingServer::stop() {
  if (listener_) network_.stop_listening(*listener_);
  listener_.reset();
}

void PingServer::accept(std::unique_ptr<runtime::Stream> stream) {
  if (sessions_.size() >= options_.max_sessions) {
    errors_.push_back(fmt::format("ping server: more than {} connections", options_.max_sessions));
    stream->abort();
    return;
  }
  sessions_.push_back(std::make_unique<Session>(*this, std::move(stream)));
}

}  // namespace iscsi::integration
