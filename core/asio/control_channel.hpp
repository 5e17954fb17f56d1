#pragma once
// The local control channel between `iscsim tgtadm` and a running `iscsim target`, selected by
// a control port number as tgtd's is (tgtadm -C N). The socket is a Linux abstract-namespace
// Unix socket named "iscsim-tgtd.<N>": nothing to clean up when the target dies, no file
// permissions to manage, and two targets with different numbers coexist; a second target with
// the same number fails to bind. Messages are control_protocol.hpp frames, one request and one
// reply per connection. The socket work is plain POSIX on the channel's own thread (requests are
// rare and small), so no Boost.Asio type appears here.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/asio/control_protocol.hpp"
#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"

namespace iscsi::asio {

// tgtd's default control port is 0, and so is ours.
inline constexpr std::uint32_t kDefaultControlPort = 0;
// A client gets this long to send its request, and the owner this long to answer it.
inline constexpr std::chrono::seconds kControlRequestReadLimit{10};
inline constexpr std::chrono::seconds kControlAnswerLimit{60};

inline constexpr ViolationKind kControlNotConnected{"control.not-connected",
                                                    "iscsim control channel", Severity::fatal};
inline constexpr ViolationKind kControlTimedOut{"control.timed-out", "iscsim control channel",
                                                Severity::fatal};
inline constexpr ViolationKind kControlBindFailed{"control.bind-failed", "iscsim control channel",
                                                  Severity::fatal};

// "\0iscsim-tgtd.<N>": the abstract socket address (the leading NUL is part of the name).
std::string control_socket_name(std::uint32_t control_port);

// The target's end. It runs its own thread for the socket work, so the target's event loop
// never blocks on a slow client; requests are answered on the owner's thread, one at a time.
class ControlServer {
 public:
  using Handler = std::function<ControlReply(const ControlRequest&)>;

  // Binds the socket and starts the thread. `wake` runs on the channel's thread each time a
  // request starts waiting: the owner then calls serve_pending() from its own thread (for
  // AsioRuntime: wake = stop the loop, serve, run it again).
  static Result<std::unique_ptr<ControlServer>> start(std::uint32_t control_port,
                                                      std::function<void()> wake);
  ~ControlServer();  // closes the socket, drops unanswered requests, joins the thread
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Answers every waiting request through `handler`, on the calling thread. Returns how many.
  std::size_t serve_pending(const Handler& handler);
  std::uint32_t control_port() const;

  struct Impl;

 private:
  explicit ControlServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The tgtadm end: one request, one reply. Fails with control.not-connected when no target
// listens on that control port, control.timed-out when no reply came within `timeout`.
Result<ControlReply> send_control_request(std::uint32_t control_port, const ControlRequest& request,
                                          runtime::Duration timeout);

}  // namespace iscsi::asio
