#include "core/asio/control_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace iscsi::asio {
namespace control_detail {

// A file descriptor closed when it goes out of scope. Not in the anonymous namespace because
// ControlServer::Impl (a class with external linkage) holds some (-Wsubobject-linkage).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace control_detail

using control_detail::Fd;

namespace {

using Clock = std::chrono::steady_clock;

// The abstract address: sun_path starts with NUL, and the length covers the name exactly. A
// path address is NUL-terminated (ControlAddress::socket_path checked that it fits).
socklen_t socket_address(const ControlAddress& where, sockaddr_un& address) {
  const std::string name =
      where.is_control_port() ? control_socket_name(where.port()) : where.path();
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, name.data(), name.size());
  const std::size_t terminator = where.is_control_port() ? 0 : 1;
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + terminator);
}

std::string errno_text(int error) { return std::strerror(error); }

// EAGAIN and EWOULDBLOCK are the same value on Linux (this channel is Linux-only: abstract
// sockets), so one comparison covers both.
static_assert(EAGAIN == EWOULDBLOCK);
bool would_block(int error) { return error == EAGAIN; }

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is ready for `events` or the deadline passes; false on timeout or error.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, remaining_ms(deadline));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

enum class ReadOutcome { done, closed, timed_out };

// Reads exactly out.size() bytes before the deadline (the descriptor is non-blocking). `closed`
// when the peer ended the connection (or it failed) first.
ReadOutcome read_exact(int fd, MutableByteView out, Clock::time_point deadline) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::recv(fd, out.data() + done, out.size() - done, 0);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) return ReadOutcome::closed;
    if (errno == EINTR) continue;
    if (!would_block(errno)) return ReadOutcome::closed;
    if (!wait_ready(fd, POLLIN, deadline)) return ReadOutcome::timed_out;
  }
  return ReadOutcome::done;
}

bool write_all(int fd, ByteView bytes, Clock::time_point deadline) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && !would_block(errno)) return false;
    if (!wait_ready(fd, POLLOUT, deadline)) return false;
  }
  return true;
}

// Reads one request: header, then the body it announces.
std::optional<ControlRequest> read_request(int fd) {
  const auto deadline = Clock::now() + kControlRequestReadLimit;
  std::array<std::uint8_t, kControlHeaderLength> header{};
  if (read_exact(fd, header, deadline) != ReadOutcome::done) return std::nullopt;
  auto length = control_request_body_length(header);
  if (!length.ok()) return std::nullopt;
  Bytes body(length.value());
  if (read_exact(fd, body, deadline) != ReadOutcome::done) return std::nullopt;
  auto request = decode_control_request_body(body);
  if (!request.ok()) return std::nullopt;
  return std::move(request).value();
}

}  // namespace

std::string control_socket_name(std::uint32_t control_port) {
  return std::string(1, '\0') + fmt::format("iscsim-tgtd.{}", control_port);
}

ControlAddress ControlAddress::control_port(std::uint32_t port) { return {port, {}}; }

Result<ControlAddress> ControlAddress::socket_path(std::string_view path) {
  if (path.empty()) return Violation{kControlBadPath, "socket path: the path is empty"};
  if (path.find('\0') != std::string_view::npos) {
    return Violation{kControlBadPath, "socket path: the path contains a NUL byte"};
  }
  if (path.size() > kMaxControlSocketPath) {
    return Violation{kControlBadPath,
                     fmt::format("socket {}: the path is {} bytes long, and a Unix socket path "
                                 "holds at most {} (sockaddr_un.sun_path)",
                                 path, path.size(), kMaxControlSocketPath)};
  }
  return ControlAddress(0, std::string(path));
}

std::string ControlAddress::describe() const {
  return is_control_port() ? fmt::format("control port {}", port_)
                           : fmt::format("socket {}", path_);
}

// What the channel's thread and the owner share about the request being answered. Reply
// functions hold it too, so a late answer after the server is gone touches nothing freed.
struct Exchange {
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<ControlRequest> request;  // waiting to be handed to the owner
  std::optional<ControlReply> reply;      // the owner's answer
  // The number of the request a client is waiting for, 0 when none: a reply function answers
  // only its own request, never a later client's.
  std::uint64_t open = 0;
  std::uint64_t last = 0;  // numbers requests
  bool stopping = false;
};

struct ControlServer::Impl {
  Impl(ControlAddress where, std::function<void()> wake_owner, ControlServerOptions settings)
      : address(std::move(where)), wake(std::move(wake_owner)), options(settings) {}

  void run();
  void serve_client(Fd client);
  std::optional<ControlReply> wait_for_answer(ControlRequest received);

  ControlAddress address;
  std::function<void()> wake;
  ControlServerOptions options;
  // The socket file this server created (path addresses only), identified by device and inode
  // so that stopping never removes a file another server has put there since.
  std::optional<std::pair<dev_t, ino_t>> socket_file;
  Fd listener;
  Fd stop_event;  // eventfd: the destructor writes it to end the thread
  std::shared_ptr<Exchange> exchange = std::make_shared<Exchange>();
  std::thread thread;
};

void ControlServer::Impl::run() {
  for (;;) {
    std::array<pollfd, 2> entries{pollfd{listener.get(), POLLIN, 0},
                                  pollfd{stop_event.get(), POLLIN, 0}};
    if (::poll(entries.data(), entries.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (entries[1].revents != 0) return;
    if ((entries[0].revents & POLLIN) == 0) continue;
    Fd client(::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (client.valid()) serve_client(std::move(client));
  }
}

// Offers the request to the owner and waits for its answer, at most the answer limit. A reply
// given before the channel stopped still goes out (`--mode system --op delete` is answered,
// then the target exits).
std::optional<ControlReply> ControlServer::Impl::wait_for_answer(ControlRequest received) {
  Exchange& shared = *exchange;
  std::unique_lock lock(shared.mutex);
  shared.request = std::move(received);
  shared.reply.reset();
  shared.open = ++shared.last;
  lock.unlock();
  if (wake) wake();
  lock.lock();
  const auto limit = std::chrono::duration_cast<Clock::duration>(options.answer_limit);
  shared.answered.wait_for(lock, limit,
                           [&shared] { return shared.reply.has_value() || shared.stopping; });
  std::optional<ControlReply> answer = std::move(shared.reply);
  shared.reply.reset();
  shared.request.reset();
  shared.open = 0;
  return answer;
}

// One client at a time: tgtadm requests are short, and tgtd serialises them too.
void ControlServer::Impl::serve_client(Fd client) {
  std::optional<ControlRequest> received = read_request(client.get());
  if (!received) return;
  std::optional<ControlReply> answer = wait_for_answer(std::move(*received));
  if (!answer) return;
  auto bytes = encode_control_reply(*answer);
  if (!bytes.ok()) {
    bytes = encode_control_reply({22, "", fmt::format("tgtadm: {}\n", bytes.error().to_string())});
  }
  if (bytes.ok()) write_all(client.get(), bytes.value(), Clock::now() + kControlRequestReadLimit);
  ::shutdown(client.get(), SHUT_RDWR);
}

namespace {

bool bind_to(int fd, const ControlAddress& where) {
  sockaddr_un address{};
  const socklen_t length = socket_address(where, address);
  return ::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) == 0;
}

// A socket file is stale when connecting to it is refused: nobody listens on it any more. Any
// other outcome (a live server, no permission to ask) leaves the file where it is.
bool is_stale_socket(const ControlAddress& where) {
  Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  const socklen_t length = socket_address(where, address);
  return probe.valid() &&
         ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0 &&
         errno == ECONNREFUSED;
}

// Binds a path address. A socket file nobody answers on is what a dead server leaves behind:
// it is removed and bound again. A live server, or a file that is not a socket, is left alone.
Result<std::pair<dev_t, ino_t>> bind_path(int fd, const ControlAddress& where) {
  const std::string& path = where.path();
  if (!bind_to(fd, where)) {
    const int error = errno;
    struct stat existing {};
    if (error != EADDRINUSE || ::lstat(path.c_str(), &existing) != 0) {
      return Violation{kControlBindFailed, fmt::format("{}: cannot bind: {}", where.describe(),
                                                       errno_text(error))};
    }
    if (!S_ISSOCK(existing.st_mode)) {
      return Violation{kControlBindFailed,
                       fmt::format("{}: the path exists and is not a socket", where.describe())};
    }
    if (!is_stale_socket(where)) {
      return Violation{kControlBindFailed,
                       fmt::format("{}: a server already listens there", where.describe())};
    }
    if ((::unlink(path.c_str()) != 0 && errno != ENOENT) || !bind_to(fd, where)) {
      return Violation{kControlBindFailed,
                       fmt::format("{}: cannot replace the stale socket file: {}",
                                   where.describe(), errno_text(errno))};
    }
  }
  // Nobody can connect before listen(), so the mode is set before anyone could use the file.
  struct stat created {};
  if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0 || ::stat(path.c_str(), &created) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    return Violation{kControlBindFailed, fmt::format("{}: cannot restrict the socket file to "
                                                     "its owner: {}",
                                                     where.describe(), errno_text(error))};
  }
  return std::pair{created.st_dev, created.st_ino};
}

// Removes the socket file only while it is still the one this server created.
void remove_socket_file(const std::string& path, std::pair<dev_t, ino_t> created) {
  struct stat current {};
  if (::lstat(path.c_str(), &current) == 0 && current.st_dev == created.first &&
      current.st_ino == created.second) {
    ::unlink(path.c_str());
  }
}

}  // namespace

Result<std::unique_ptr<ControlServer>> ControlServer::start(const ControlAddress& address,
                                                            std::function<void()> wake,
                                                            ControlServerOptions options) {
  auto impl = std::make_unique<Impl>(address, std::move(wake), options);
  impl->listener = Fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  impl->stop_event = Fd(::eventfd(0, EFD_CLOEXEC));
  if (!impl->listener.valid() || !impl->stop_event.valid()) {
    return Violation{kControlBindFailed, fmt::format("{}: cannot create the socket: {}",
                                                     address.describe(), errno_text(errno))};
  }
  if (address.is_control_port()) {
    if (!bind_to(impl->listener.get(), address)) {
      return Violation{kControlBindFailed,
                       fmt::format("control port {}: cannot listen on the abstract socket "
                                   "\"@iscsim-tgtd.{}\": {}",
                                   address.port(), address.port(), errno_text(errno))};
    }
  } else {
    auto bound = bind_path(impl->listener.get(), address);
    if (!bound.ok()) return bound.error();
    impl->socket_file = bound.value();
  }
  if (::listen(impl->listener.get(), 16) != 0) {
    const int error = errno;
    if (impl->socket_file) remove_socket_file(address.path(), *impl->socket_file);
    return Violation{kControlBindFailed,
                     fmt::format("{}: cannot listen: {}", address.describe(), errno_text(error))};
  }
  Impl* raw = impl.get();
  raw->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(impl)));
}

ControlServer::ControlServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ControlServer::~ControlServer() {
  {
    std::lock_guard lock(impl_->exchange->mutex);
    impl_->exchange->stopping = true;
  }
  impl_->exchange->answered.notify_all();
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(impl_->stop_event.get(), &one, sizeof one);
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->listener.reset();
  if (impl_->socket_file) remove_socket_file(impl_->address.path(), *impl_->socket_file);
}

const ControlAddress& ControlServer::address() const { return impl_->address; }

std::size_t ControlServer::serve_pending(const Handler& handler) {
  return serve_pending_async([&handler](const ControlRequest& request, ReplyFunction reply) {
    reply(handler(request));
  });
}

std::size_t ControlServer::serve_pending_async(const AsyncHandler& handler) {
  const std::shared_ptr<Exchange> shared = impl_->exchange;
  std::unique_lock lock(shared->mutex);
  if (!shared->request) return 0;
  ControlRequest request = std::move(*shared->request);
  shared->request.reset();
  const std::uint64_t number = shared->open;
  lock.unlock();
  handler(request, [shared, number](ControlReply answer) {
    {
      std::lock_guard guard(shared->mutex);
      if (shared->open != number || shared->reply) return;
      shared->reply = std::move(answer);
    }
    shared->answered.notify_all();
  });
  return 1;
}

Result<ControlReply> send_control_request(const ControlAddress& where,
                                          const ControlRequest& request,
                                          runtime::Duration timeout) {
  auto encoded = encode_control_request(request);
  if (!encoded.ok()) return encoded.error();
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout);
  const std::string name = where.describe();
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  const socklen_t length = socket_address(where, address);
  if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    return Violation{kControlNotConnected, fmt::format("{}: {}", name, errno_text(errno))};
  }
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
  if (!write_all(fd.get(), encoded.value(), deadline)) {
    return Violation{kControlNotConnected,
                     fmt::format("{}: the request could not be sent", name)};
  }
  std::array<std::uint8_t, kControlHeaderLength> header{};
  const ReadOutcome got = read_exact(fd.get(), header, deadline);
  if (got != ReadOutcome::done) {
    if (got == ReadOutcome::closed) {
      return Violation{kControlClosed,
                       fmt::format("{}: the server closed the connection without a reply", name)};
    }
    return Violation{kControlTimedOut, fmt::format("{}: no reply in time", name)};
  }
  auto body_length = control_reply_body_length(header);
  if (!body_length.ok()) return body_length.error();
  Bytes body(body_length.value());
  if (read_exact(fd.get(), body, deadline) != ReadOutcome::done) {
    return Violation{kControlTimedOut, fmt::format("{}: the reply was cut short", name)};
  }
  return decode_control_reply_body(body);
}

}  // namespace iscsi::asio
