#include "core/asio/control_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace iscsi::asio {
namespace {

using Clock = std::chrono::steady_clock;

// A file descriptor closed when it goes out of scope.
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

// The abstract address: sun_path starts with NUL, and the length covers the name exactly.
socklen_t control_address(std::uint32_t control_port, sockaddr_un& address) {
  const std::string name = control_socket_name(control_port);
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, name.data(), name.size());
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
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

// Reads exactly out.size() bytes before the deadline (the descriptor is non-blocking).
bool read_exact(int fd, MutableByteView out, Clock::time_point deadline) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::recv(fd, out.data() + done, out.size() - done, 0);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (!would_block(errno)) return false;
    if (!wait_ready(fd, POLLIN, deadline)) return false;
  }
  return true;
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
  if (!read_exact(fd, header, deadline)) return std::nullopt;
  auto length = control_request_body_length(header);
  if (!length.ok()) return std::nullopt;
  Bytes body(length.value());
  if (!read_exact(fd, body, deadline)) return std::nullopt;
  auto request = decode_control_request_body(body);
  if (!request.ok()) return std::nullopt;
  return std::move(request).value();
}

}  // namespace

std::string control_socket_name(std::uint32_t control_port) {
  return std::string(1, '\0') + fmt::format("iscsim-tgtd.{}", control_port);
}

struct ControlServer::Impl {
  Impl(std::uint32_t port, std::function<void()> wake_owner)
      : control_port(port), wake(std::move(wake_owner)) {}

  void run();
  void serve_client(Fd client);

  std::uint32_t control_port;
  std::function<void()> wake;
  Fd listener;
  Fd stop_event;  // eventfd: the destructor writes it to end the thread
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<ControlRequest> request;  // guarded by mutex: waiting for serve_pending()
  std::optional<ControlReply> reply;      // guarded by mutex: the owner's answer
  bool stopping = false;                  // guarded by mutex
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

// One client at a time: tgtadm requests are short, and tgtd serialises them too.
void ControlServer::Impl::serve_client(Fd client) {
  std::optional<ControlRequest> received = read_request(client.get());
  if (!received) return;
  std::unique_lock lock(mutex);
  request = std::move(received);
  reply.reset();
  lock.unlock();
  if (wake) wake();
  lock.lock();
  const bool got = answered.wait_for(lock, kControlAnswerLimit,
                                     [this] { return reply.has_value() || stopping; });
  // A reply given before the channel stopped still goes out (`--mode system --op delete`
  // is answered, then the target exits).
  if (!got || !reply) {
    request.reset();
    return;
  }
  ControlReply answer = std::move(*reply);
  reply.reset();
  lock.unlock();
  auto bytes = encode_control_reply(answer);
  if (!bytes.ok()) {
    bytes = encode_control_reply({22, "", fmt::format("tgtadm: {}\n", bytes.error().to_string())});
  }
  if (bytes.ok()) write_all(client.get(), bytes.value(), Clock::now() + kControlRequestReadLimit);
  ::shutdown(client.get(), SHUT_RDWR);
}

Result<std::unique_ptr<ControlServer>> ControlServer::start(std::uint32_t control_port,
                                                            std::function<void()> wake) {
  auto impl = std::make_unique<Impl>(control_port, std::move(wake));
  impl->listener = Fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  impl->stop_event = Fd(::eventfd(0, EFD_CLOEXEC));
  sockaddr_un address{};
  const socklen_t length = control_address(control_port, address);
  if (!impl->listener.valid() || !impl->stop_event.valid() ||
      ::bind(impl->listener.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0 ||
      ::listen(impl->listener.get(), 16) != 0) {
    return Violation{kControlBindFailed,
                     fmt::format("control port {}: cannot listen on the abstract socket "
                                 "\"@iscsim-tgtd.{}\": {}",
                                 control_port, control_port, errno_text(errno))};
  }
  Impl* raw = impl.get();
  raw->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(impl)));
}

ControlServer::ControlServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ControlServer::~ControlServer() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->answered.notify_all();
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(impl_->stop_event.get(), &one, sizeof one);
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint32_t ControlServer::control_port() const { return impl_->control_port; }

std::size_t ControlServer::serve_pending(const Handler& handler) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->request) return 0;
  ControlRequest request = std::move(*impl_->request);
  impl_->request.reset();
  lock.unlock();
  ControlReply answer = handler(request);
  lock.lock();
  impl_->reply = std::move(answer);
  lock.unlock();
  impl_->answered.notify_all();
  return 1;
}

Result<ControlReply> send_control_request(std::uint32_t control_port, const ControlRequest& request,
                                          runtime::Duration timeout) {
  auto encoded = encode_control_request(request);
  if (!encoded.ok()) return encoded.error();
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  const socklen_t length = control_address(control_port, address);
  if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    return Violation{kControlNotConnected,
                     fmt::format("control port {}: {}", control_port, errno_text(errno))};
  }
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
  if (!write_all(fd.get(), encoded.value(), deadline)) {
    return Violation{kControlNotConnected,
                     fmt::format("control port {}: the request could not be sent", control_port)};
  }
  std::array<std::uint8_t, kControlHeaderLength> header{};
  if (!read_exact(fd.get(), header, deadline)) {
    return Violation{kControlTimedOut, fmt::format("control port {}: no reply in time",
                                                   control_port)};
  }
  auto body_length = control_reply_body_length(header);
  if (!body_length.ok()) return body_length.error();
  Bytes body(body_length.value());
  if (!read_exact(fd.get(), body, deadline)) {
    return Violation{kControlTimedOut, fmt::format("control port {}: the reply was cut short",
                                                   control_port)};
  }
  return decode_control_reply_body(body);
}

}  // namespace iscsi::asio
