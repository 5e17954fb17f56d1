#pragma once
// runtime::Network over real TCP sockets: listeners on ip:port (port 0 picks a free port) and
// connects with an optional bound source address and a timeout.
#include <map>
#include <memory>

#include "core/asio/boost_asio.hpp"
#include "core/asio/tcp_stream.hpp"
#include "core/asio/trace_tap.hpp"
#include "core/runtime/network.hpp"

namespace iscsi::asio {

class TcpNetwork final : public runtime::Network {
 public:
  TcpNetwork(boost::asio::io_context& io, const runtime::Clock& clock, StreamSettings settings);
  ~TcpNetwork() override;
  TcpNetwork(const TcpNetwork&) = delete;
  TcpNetwork& operator=(const TcpNetwork&) = delete;

  Result<runtime::ListenerId> listen(runtime::Endpoint local,
                                     runtime::AcceptCallback on_accept) override;
  void stop_listening(runtime::ListenerId id) override;
  void connect(const runtime::ConnectOptions& options, runtime::ConnectCallback on_done) override;

  // The address a listener is bound to, with the port the OS chose when asked for port 0.
  Result<runtime::Endpoint> listening_endpoint(runtime::ListenerId id) const;
  // Applies to streams created after the call.
  void set_trace(const TraceSettings& trace) { trace_ = trace; }

 private:
  struct Listener;
  struct ConnectAttempt;
  void accept_next(const std::shared_ptr<Listener>& listener);
  void on_connect_done(const std::shared_ptr<ConnectAttempt>& attempt,
                       const boost::system::error_code& ec);
  void fail_connect(const std::shared_ptr<ConnectAttempt>& attempt, runtime::CloseReason why);

  boost::asio::io_context& io_;
  const runtime::Clock& clock_;
  StreamSettings settings_;
  TraceSettings trace_;
  runtime::ListenerId next_id_ = 1;
  std::map<runtime::ListenerId, std::shared_ptr<Listener>> listeners_;
};

}  // namespace iscsi::asio
