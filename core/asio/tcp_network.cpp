#include "core/asio/tcp_network.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace iscsi::asio {
namespace {

using boost::asio::ip::tcp;
using runtime::CloseReason;

constexpr ViolationKind kListenFailed{"runtime.listen-failed", "POSIX bind(2)/listen(2)",
                                      Severity::fatal};
constexpr ViolationKind kUnknownListener{"runtime.unknown-listener", "runtime interface",
                                         Severity::fatal};
// Pending connections the kernel queues per listener before the loop accepts them.
constexpr int kListenBacklog = 128;

// asio's reactor saw the connect finish by watching the socket for writability (a connect is a
// write operation to it), and it keeps watching for good: every ACK that frees send-buffer
// space would then wake the loop for nothing. A fresh registration of the same socket watches
// readability only; a send that has to wait (async_write) adds writability back.
tcp::socket watching_reads_only(tcp::socket socket) {
  boost::system::error_code ec;
  const tcp protocol = socket.local_endpoint(ec).protocol();
  if (ec) return socket;
  tcp::socket fresh(socket.get_executor());
  const tcp::socket::native_handle_type fd = socket.release(ec);
  if (ec) return socket;
  fresh.assign(protocol, fd, ec);
  if (ec) {
    ::close(fd);
    return socket;
  }
  return fresh;
}

}  // namespace

struct TcpNetwork::Listener {
  explicit Listener(boost::asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
  runtime::AcceptCallback on_accept;
  runtime::Endpoint bound;
  bool stopped = false;
};

struct TcpNetwork::ConnectAttempt {
  explicit ConnectAttempt(boost::asio::io_context& io) : socket(io), timer(io) {}
  tcp::socket socket;
  boost::asio::steady_timer timer;
  runtime::ConnectOptions options;
  runtime::ConnectCallback on_done;
  bool finished = false;
  bool timed_out = false;
};

TcpNetwork::TcpNetwork(boost::asio::io_context& io, const runtime::Clock& clock,
                       StreamSettings settings)
    : io_(io), clock_(clock), settings_(settings) {}

TcpNetwork::~TcpNetwork() {
  for (auto& [id, listener] : listeners_) {
    listener->stopped = true;
    boost::system::error_code ignored;
    listener->acceptor.close(ignored);
  }
}

Result<runtime::ListenerId> TcpNetwork::listen(runtime::Endpoint local,
                                               runtime::AcceptCallback on_accept) {
  auto listener = std::make_shared<Listener>(io_);
  boost::system::error_code ec;
  const tcp::endpoint where = to_asio(local);
  listener->acceptor.open(where.protocol(), ec);
  if (!ec) listener->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) listener->acceptor.bind(where, ec);
  if (!ec) listener->acceptor.listen(kListenBacklog, ec);
  if (!ec) listener->bound = to_endpoint(listener->acceptor.local_endpoint(ec));
  if (ec) {
    return Violation{kListenFailed,
                     fmt::format("cannot listen on {}: {}", local.to_string(), ec.message())};
  }
  listener->on_accept = std::move(on_accept);
  const runtime::ListenerId id = next_id_++;
  listeners_.emplace(id, listener);
  accept_next(listener);
  return id;
}

void TcpNetwork::accept_next(const std::shared_ptr<Listener>& listener) {
  listener->acceptor.async_accept([this, listener](const boost::system::error_code& ec,
                                                   tcp::socket socket) {
    if (listener->stopped || ec == boost::asio::error::operation_aborted) return;
    if (!ec) {
      auto connection = std::make_shared<TcpConnection>(std::move(socket), runtime::Side::server,
                                                        settings_, trace_, clock_);
      connection->trace().connected();
      listener->on_accept(std::make_unique<TcpStream>(std::move(connection)));
    }
    // Errors such as ECONNABORTED concern one pending connection, not the listener.
    if (!listener->stopped) accept_next(listener);
  });
}

void TcpNetwork::stop_listening(runtime::ListenerId id) {
  const auto it = listeners_.find(id);
  if (it == listeners_.end()) return;
  it->second->stopped = true;
  boost::system::error_code ignored;
  it->second->acceptor.close(ignored);
  listeners_.erase(it);
}

Result<runtime::Endpoint> TcpNetwork::listening_endpoint(runtime::ListenerId id) const {
  const auto it = listeners_.find(id);
  if (it == listeners_.end()) {
    return Violation{kUnknownListener, fmt::format("no listener with id {}", id)};
  }
  return it->second->bound;
}

void TcpNetwork::connect(const runtime::ConnectOptions& options,
                         runtime::ConnectCallback on_done) {
  auto attempt = std::make_shared<ConnectAttempt>(io_);
  attempt->options = options;
  attempt->on_done = std::move(on_done);
  boost::system::error_code ec;
  attempt->socket.open(tcp::v4(), ec);
  if (!ec && options.local_ipv4 != 0) {
    // ACL tests connect from 127.0.0.2 and up: bind the source address, any port.
    attempt->socket.bind(to_asio(runtime::Endpoint{options.local_ipv4, 0}), ec);
  }
  if (ec) {
    // The callback never runs from inside connect(); a local failure looks like a refusal.
    boost::asio::post(io_, [this, attempt] { fail_connect(attempt, CloseReason::refused); });
    return;
  }
  attempt->timer.expires_after(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(options.timeout));
  attempt->timer.async_wait([attempt](const boost::system::error_code& timer_ec) {
    if (timer_ec || attempt->finished) return;
    attempt->timed_out = true;
    boost::system::error_code ignored;
    attempt->socket.cancel(ignored);
  });
  attempt->socket.async_connect(to_asio(options.remote),
                                [this, attempt](const boost::system::error_code& connect_ec) {
                                  on_connect_done(attempt, connect_ec);
                                });
}

void TcpNetwork::on_connect_done(const std::shared_ptr<ConnectAttempt>& attempt,
                                 const boost::system::error_code& ec) {
  attempt->timer.cancel();
  if (attempt->timed_out) {
    fail_connect(attempt, CloseReason::timed_out);
  } else if (ec == boost::asio::error::connection_refused) {
    fail_connect(attempt, CloseReason::refused);
  } else if (ec == boost::asio::error::timed_out) {
    fail_connect(attempt, CloseReason::timed_out);
  } else if (ec) {
    // Unreachable networks and similar local errors: nobody answered with a connection.
    fail_connect(attempt, CloseReason::refused);
  } else {
    attempt->finished = true;
    tcp::socket socket = watching_reads_only(std::move(attempt->socket));
    auto connection = std::make_shared<TcpConnection>(std::move(socket),
                                                      runtime::Side::client, settings_, trace_,
                                                      clock_);
    connection->trace().connected();
    attempt->on_done(std::make_unique<TcpStream>(std::move(connection)), CloseReason::peer_fin);
  }
}

void TcpNetwork::fail_connect(const std::shared_ptr<ConnectAttempt>& attempt,
                              CloseReason why) {
  if (attempt->finished) return;
  attempt->finished = true;
  boost::system::error_code ec;
  runtime::Endpoint local = to_endpoint(attempt->socket.local_endpoint(ec));
  if (ec) local = runtime::Endpoint{attempt->options.local_ipv4, 0};
  if (why == CloseReason::refused) {
    TraceTap tap(trace_, clock_, runtime::ConnectionKey{local, attempt->options.remote},
                 runtime::Side::client);
    tap.refused();
  }
  attempt->socket.close(ec);
  attempt->on_done(nullptr, why);
}

}  // namespace iscsi::asio
