#pragma once
// The local control channel between a command-line front end and the daemon it drives:
// `iscsim tgtadm` -> `iscsim target`, and `iscsim iscsiadm` -> the initiator's session daemon.
// Messages are control_protocol.hpp frames, one request and one reply per connection. The
// socket work is plain POSIX on the channel's own thread (requests are rare and small), so no
// Boost.Asio type appears here.
//
// Two kinds of address (ControlAddress):
// - a control port number, as tgtd's is (tgtadm -C N): a Linux abstract-namespace Unix socket
//   named "iscsim-tgtd.<N>". Nothing to clean up when the target dies, and two targets with
//   different numbers coexist; a second target with the same number fails to bind.
// - a filesystem path (e.g. "$ISCSIM_HOME/iscsid.sock"): the socket file is created with mode
//   0600, so only its owner may talk to the daemon; a stale file left by a dead server is
//   replaced, a live server there is never displaced, and the server removes its file when it
//   stops.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/asio/control_protocol.hpp"
#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"

namespace iscsi::asio {

// tgtd's default control port is 0, and so is ours.
inline constexpr std::uint32_t kDefaultControlPort = 0;
// A client gets this long to send its request, and the owner this long to answer it (unless
// ControlServerOptions sets another answer limit).
inline constexpr std::chrono::seconds kControlRequestReadLimit{10};
inline constexpr std::chrono::seconds kControlAnswerLimit{60};

inline constexpr ViolationKind kControlNotConnected{"control.not-connected",
                                                    "iscsim control channel", Severity::fatal};
inline constexpr ViolationKind kControlTimedOut{"control.timed-out", "iscsim control channel",
                                                Severity::fatal};
// The server closed the connection without a reply: it stopped before it took the request (a
// session daemon exiting after its last logout). The request was not carried out.
inline constexpr ViolationKind kControlClosed{"control.closed", "iscsim control channel",
                                              Severity::fatal};
inline constexpr ViolationKind kControlBindFailed{"control.bind-failed", "iscsim control channel",
                                                  Severity::fatal};

inline constexpr ViolationKind kControlBadPath{"control.bad-path", "iscsim control channel",
                                               Severity::fatal};

// sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.
inline constexpr std::size_t kMaxControlSocketPath = 107;

// "\0iscsim-tgtd.<N>": the abstract socket address (the leading NUL is part of the name).
std::string control_socket_name(std::uint32_t control_port);

// Where a control channel listens: an abstract name derived from a control port, or a socket
// file. A path that cannot be a socket address is refused when the value is made, so every
// ControlAddress can be bound or connected to.
class ControlAddress {
 public:
  static ControlAddress control_port(std::uint32_t port);
  // Fails with control.bad-path for an empty path, a path with a NUL byte, or one longer than
  // kMaxControlSocketPath bytes (the message names the path and the limit).
  static Result<ControlAddress> socket_path(std::string_view path);

  bool is_control_port() const { return path_.empty(); }
  std::uint32_t port() const { return port_; }       // 0 for a socket path
  const std::string& path() const { return path_; }  // empty for a control port
  // "control port 3" or "socket /x/iscsid.sock": the start of every message about it.
  std::string describe() const;

  bool operator==(const ControlAddress&) const = default;

 private:
  ControlAddress(std::uint32_t port, std::string path) : port_(port), path_(std::move(path)) {}
  std::uint32_t port_ = 0;
  std::string path_;
};

struct ControlServerOptions {
  // How long the channel's thread waits for the owner's answer to one request before it drops
  // the client. A daemon whose answers take network round trips (an iSCSI login with its
  // retries) sets this to its longest operation; the client's own wait is the client's.
  runtime::Duration answer_limit = kControlAnswerLimit;
};

// The daemon's end. It runs its own thread for the socket work, so the daemon's event loop
// never blocks on a slow client; requests are answered on the owner's thread, one at a time:
// the next client is accepted only after the current one got its answer (or the answer limit
// passed).
class ControlServer {
 public:
  using Handler = std::function<ControlReply(const ControlRequest&)>;
  // Sends the answer to the waiting client. Callable once, from any thread, now or later; a
  // call after the answer limit passed or after the server stopped does nothing.
  using ReplyFunction = std::function<void(ControlReply)>;
  using AsyncHandler = std::function<void(const ControlRequest&, ReplyFunction)>;

  // Binds the socket and starts the thread. `wake` runs on the channel's thread each time a
  // request starts waiting: the owner then calls serve_pending() from its own thread (for
  // AsioRuntime: wake = stop the loop, serve, run it again).
  static Result<std::unique_ptr<ControlServer>> start(const ControlAddress& address,
                                                      std::function<void()> wake,
                                                      ControlServerOptions options = {});
  static Result<std::unique_ptr<ControlServer>> start(std::uint32_t control_port,
                                                      std::function<void()> wake) {
    return start(ControlAddress::control_port(control_port), std::move(wake));
  }
  // Closes the socket, drops unanswered requests, joins the thread, and removes the socket
  // file of a path address (unless another server has replaced it meanwhile).
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Answers every waiting request through `handler`, on the calling thread. Returns how many.
  std::size_t serve_pending(const Handler& handler);
  // Hands every waiting request to `handler` on the calling thread, with the function that
  // answers it: the handler may call it at once or keep it and call it later (when the work
  // the request started has finished on the owner's event loop). Returns how many.
  std::size_t serve_pending_async(const AsyncHandler& handler);
  const ControlAddress& address() const;

  struct Impl;

 private:
  explicit ControlServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The client end: one request, one reply. Fails with control.not-connected when no server
// listens at that address, control.closed when the server closed the connection without a
// reply, control.timed-out when no reply came within `timeout`.
Result<ControlReply> send_control_request(const ControlAddress& address,
                                          const ControlRequest& request,
                                          runtime::Duration timeout);
inline Result<ControlReply> send_control_request(std::uint32_t control_port,
                                                 const ControlRequest& request,
                                                 runtime::Duration timeout) {
  return send_control_request(ControlAddress::control_port(control_port), request, timeout);
}

}  // namespace iscsi::asio
