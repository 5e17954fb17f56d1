// Read turns (tcp_stream.hpp): a stream reads until its socket is empty, but gives the loop
// back after a turn's budget, so a peer that never stops sending cannot starve timers and
// other connections (and, with yield_after_short_read, after every short read); and what a
// handler writes while it is being fed is sent, with back-pressure reported and lifted as for
// any other write.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

// A blocking socket that writes `total` bytes to `to` from its own thread, `piece` bytes per
// send, as fast as the kernel takes them.
class FloodingPeer {
 public:
  FloodingPeer(runtime::Endpoint to, std::size_t total, std::size_t piece) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(to.port);
    address.sin_addr.s_addr = htonl(to.ipv4);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (!connected_) return;
    writer_ = std::thread([this, total, piece] {
      const Bytes block = pattern(piece, 0x3c);
      for (std::size_t sent = 0; sent < total && !stop_;) {
        const ssize_t n =
            ::send(fd_, block.data(), std::min(block.size(), total - sent), MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
    });
  }
  ~FloodingPeer() {
    stop_ = true;
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
    if (writer_.joinable()) writer_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  FloodingPeer(const FloodingPeer&) = delete;
  FloodingPeer& operator=(const FloodingPeer&) = delete;
  bool connected() const { return connected_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::atomic<bool> stop_{false};
  std::thread writer_;
};

// Listens on 127.0.0.1, lets a FloodingPeer connect, and returns the accepted stream (null if
// the connection did not come up); `peer` holds the flooding side.
std::unique_ptr<runtime::Stream> accept_flood(AsioRuntime& rt, std::unique_ptr<FloodingPeer>& peer,
                                              std::size_t total, std::size_t piece) {
  std::unique_ptr<runtime::Stream> server;
  const auto listener = rt.network().listen(
      {kLoopback, 0}, [&](std::unique_ptr<runtime::Stream> s) { server = std::move(s); });
  if (!listener.ok()) return nullptr;
  peer = std::make_unique<FloodingPeer>(*rt.listening_endpoint(*listener), total, piece);
  if (peer->connected()) run_until(rt, [&] { return server != nullptr; });
  rt.network().stop_listening(*listener);
  return server;
}

TEST(AsioStreamTurn, APeerThatNeverPausesDoesNotKeepTimersWaiting) {
  AsioRuntime rt;
  constexpr std::size_t kTotal = 64u << 20;
  std::unique_ptr<FloodingPeer> peer;
  const std::unique_ptr<runtime::Stream> server = accept_flood(rt, peer, kTotal, 64 * 1024);
  ASSERT_TRUE(server);

  RecordingHandler handler;
  std::optional<std::size_t> received_when_the_timer_ran;
  bool timer_scheduled = false;
  // At the first delivery: a timer due at once, which runs as soon as the loop gets a turn.
  handler.on_bytes = [&](ByteView) {
    if (timer_scheduled) return;
    timer_scheduled = true;
    rt.timers().schedule_after(std::chrono::milliseconds(0),
                               [&] { received_when_the_timer_ran = handler.received.size(); });
  };
  server->set_handler(&handler);
  ASSERT_TRUE(run_until(rt, [&] { return received_when_the_timer_ran.has_value(); }));
  // One turn reads about a MiB (kMaxTurnBytes), plus at most one read (read_chunk) past it;
  // the timer runs right after the turn that scheduled it.
  EXPECT_LE(*received_when_the_timer_ran, (1u << 20) + 64 * 1024);
  ASSERT_TRUE(run_until(rt, [&] { return handler.received.size() >= kTotal; }));
  EXPECT_EQ(handler.received.size(), kTotal);
}

TEST(AsioStreamTurn, WritesFromInsideADeliveryPushBackAndThenDrain) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  // Far more than the kernel buffers hold while the client reads nothing.
  const Bytes blob = pattern(32u << 20, 0x19);
  bool accepted = true;
  server.on_bytes = [&](ByteView) { accepted = pair->server->write(blob); };
  pair->server->set_handler(&server);
  EXPECT_TRUE(pair->client->write(to_bytes("go")));

  ASSERT_TRUE(run_until(rt, [&] { return server.received.size() == 2; }));
  EXPECT_FALSE(accepted);
  bool stalled_a_while = false;
  rt.timers().schedule_after(std::chrono::milliseconds(100), [&] { stalled_a_while = true; });
  ASSERT_TRUE(run_until(rt, [&] { return stalled_a_while; }));
  EXPECT_EQ(server.writable_calls, 0);

  pair->client->set_handler(&client);
  ASSERT_TRUE(run_until(rt, [&] { return client.received.size() >= blob.size(); }));
  EXPECT_TRUE(client.received == blob);
  ASSERT_TRUE(run_until(rt, [&] { return server.writable_calls == 1; }));
  EXPECT_TRUE(server.closes.empty());
}

// With yield_after_short_read (iscsim target's setting), work a delivery queues on the loop (a
// zero-delay timer here, a RAM store's completion there) runs before the next read, however
// fast the peer keeps sending. Reads never fill the 4 MiB read buffer here, so every read is
// short; without the setting the next read would mostly find bytes already waiting.
TEST(AsioStreamTurn, AfterAShortReadQueuedWorkRunsBeforeTheNextRead) {
  AsioRuntimeOptions options;
  options.read_chunk = 4u << 20;
  options.yield_after_short_read = true;
  AsioRuntime rt(options);
  constexpr std::size_t kTotal = 2u << 20;
  std::unique_ptr<FloodingPeer> peer;
  const std::unique_ptr<runtime::Stream> server = accept_flood(rt, peer, kTotal, 100);
  ASSERT_TRUE(server);

  RecordingHandler handler;
  bool timer_pending = false;
  int deliveries_before_the_timer = 0;
  int deliveries = 0;
  handler.on_bytes = [&](ByteView) {
    ++deliveries;
    if (timer_pending) ++deliveries_before_the_timer;
    timer_pending = true;
    rt.timers().schedule_after(std::chrono::milliseconds(0), [&] { timer_pending = false; });
  };
  server->set_handler(&handler);
  ASSERT_TRUE(run_until(rt, [&] { return handler.received.size() >= kTotal; }));
  EXPECT_EQ(handler.received.size(), kTotal);
  EXPECT_GT(deliveries, 1);
  EXPECT_EQ(deliveries_before_the_timer, 0);
}

}  // namespace
}  // namespace iscsi::asio::test
