// Real loopback TCP through AsioRuntime: echo, source binding, refusal, half close, abort and
// back-pressure.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using runtime::CloseReason;

TEST(AsioStream, ListenOnPortZeroReportsTheChosenPort) {
  AsioRuntime rt;
  const auto id = rt.network().listen({kLoopback, 0}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  const auto bound = rt.listening_endpoint(*id);
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(bound->ipv4, kLoopback);
  EXPECT_NE(bound->port, 0);
  rt.network().stop_listening(*id);
  EXPECT_FALSE(rt.listening_endpoint(*id).ok());
}

TEST(AsioStream, ListeningTwiceOnOnePortFails) {
  AsioRuntime rt;
  const auto first = rt.network().listen({kLoopback, 0}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_TRUE(first.ok());
  const auto second = rt.network().listen(*rt.listening_endpoint(*first),
                                          [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().id(), "runtime.listen-failed");
}

TEST(AsioStream, EchoesOneMebibyteEachWay) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->client->peer_endpoint(), pair->listen_at);
  EXPECT_EQ(pair->server->peer_endpoint(), pair->client->local_endpoint());

  RecordingHandler client;
  RecordingHandler server;
  // The server echoes whatever arrives; back-pressure is respected by the loop itself.
  server.on_bytes = [&](ByteView bytes) { (void)pair->server->write(bytes); };
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);

  const Bytes data = pattern(1 << 20, 0x5a);
  (void)pair->client->write(data);
  ASSERT_TRUE(run_until(rt, [&] { return client.received.size() >= data.size(); }));
  EXPECT_EQ(server.received, data);
  EXPECT_EQ(client.received, data);
  EXPECT_TRUE(client.closes.empty());
  EXPECT_TRUE(server.closes.empty());
}

TEST(AsioStream, ManySmallWritesArriveInOrder) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);
  // Queued faster than they can be sent, so sends gather several writes at once.
  Bytes expected;
  for (std::size_t i = 0; i < 2000; ++i) {
    const Bytes chunk = pattern(1 + (i * 37) % 300, static_cast<std::uint8_t>(i));
    expected.insert(expected.end(), chunk.begin(), chunk.end());
    (void)pair->client->write(chunk);
  }
  pair->client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.received, expected);
  EXPECT_EQ(server.closes, std::vector<CloseReason>{CloseReason::peer_fin});
}

TEST(AsioStream, BoundSourceAddressIsThePeerTheServerSees) {
  AsioRuntime rt;
  auto pair = connect_pair(rt, kLoopback2);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->server->peer_endpoint().ipv4, kLoopback2);
  EXPECT_EQ(pair->client->local_endpoint().ipv4, kLoopback2);
  EXPECT_EQ(pair->server->peer_endpoint(), pair->client->local_endpoint());
}

TEST(AsioStream, ConnectToAClosedPortIsRefused) {
  AsioRuntime rt;
  // Learn a free port, then close it, so nothing listens there.
  const auto id = rt.network().listen({kLoopback, 0}, [](std::unique_ptr<runtime::Stream>) {});
  ASSERT_TRUE(id.ok());
  const runtime::Endpoint closed = *rt.listening_endpoint(*id);
  rt.network().stop_listening(*id);

  std::optional<CloseReason> failure;
  bool got_stream = false;
  runtime::ConnectOptions options;
  options.remote = closed;
  options.timeout = std::chrono::seconds(3);
  rt.network().connect(options, [&](std::unique_ptr<runtime::Stream> s, CloseReason why) {
    got_stream = s != nullptr;
    failure = why;
  });
  EXPECT_FALSE(failure) << "the callback must not run inside connect()";
  ASSERT_TRUE(run_until(rt, [&] { return failure.has_value(); }));
  EXPECT_FALSE(got_stream);
  EXPECT_EQ(*failure, CloseReason::refused);
}

TEST(AsioStream, ConnectToAFullListenerTimesOut) {
  AsioRuntime rt;
  // A listener that never accepts, with the smallest backlog: once its accept queue is full,
  // Linux drops further SYNs, so those connects get no answer and hit our timeout.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(kLoopback);
  socklen_t length = sizeof(address);
  sockaddr* generic = reinterpret_cast<sockaddr*>(&address);
  ASSERT_EQ(::bind(fd, generic, length), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  ASSERT_EQ(::getsockname(fd, generic, &length), 0);

  constexpr int kAttempts = 4;
  std::vector<std::unique_ptr<runtime::Stream>> streams;
  std::vector<CloseReason> failures;
  runtime::ConnectOptions options;
  options.remote = {kLoopback, ntohs(address.sin_port)};
  options.timeout = std::chrono::milliseconds(300);
  for (int i = 0; i < kAttempts; ++i) {
    rt.network().connect(options, [&](std::unique_ptr<runtime::Stream> s, CloseReason why) {
      if (s) {
        streams.push_back(std::move(s));
      } else {
        failures.push_back(why);
      }
    });
  }
  const bool all_done = run_until(rt, [&] {
    return streams.size() + failures.size() == static_cast<std::size_t>(kAttempts);
  });
  ::close(fd);
  ASSERT_TRUE(all_done);
  ASSERT_FALSE(failures.empty());
  for (const CloseReason why : failures) EXPECT_EQ(why, CloseReason::timed_out);
}

TEST(AsioStream, HalfCloseDeliversPeerFinAndTheOtherDirectionStillWorks) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);

  const Bytes request = to_bytes("last request");
  (void)pair->client->write(request);
  pair->client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.received, request);
  EXPECT_EQ(server.closes, std::vector<CloseReason>{CloseReason::peer_fin});

  const Bytes reply = pattern(200'000, 0x11);
  (void)pair->server->write(reply);
  pair->server->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !client.closes.empty(); }));
  EXPECT_EQ(client.received, reply);
  EXPECT_EQ(client.closes, std::vector<CloseReason>{CloseReason::peer_fin});
}

TEST(AsioStream, AbortIsSeenAsResetByThePeer) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);

  pair->client->abort();
  EXPECT_TRUE(client.closes.empty()) << "on_closed must not run inside abort()";
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty() && !client.closes.empty(); }));
  EXPECT_EQ(server.closes, std::vector<CloseReason>{CloseReason::peer_reset});
  EXPECT_EQ(client.closes, std::vector<CloseReason>{CloseReason::local_abort});
}

TEST(AsioStream, WriteReportsBackPressureUntilTheSlowReaderDrains) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);

  // More than the kernel's loopback send plus receive buffers hold, so the bytes stay queued
  // in user space while the server reads nothing (it has no handler yet).
  const Bytes blob = pattern(32u << 20, 0x77);
  EXPECT_FALSE(pair->client->write(blob));
  bool stalled_a_while = false;
  rt.timers().schedule_after(std::chrono::milliseconds(200), [&] { stalled_a_while = true; });
  ASSERT_TRUE(run_until(rt, [&] { return stalled_a_while; }));
  EXPECT_EQ(client.writable_calls, 0);

  pair->server->set_handler(&server);
  ASSERT_TRUE(run_until(rt, [&] { return server.received.size() >= blob.size(); }));
  EXPECT_EQ(client.writable_calls, 1);
  EXPECT_TRUE(server.received == blob);
  EXPECT_TRUE(pair->client->write(to_bytes("small")));
}

TEST(AsioStream, DestroyingAStreamClosesItForThePeer) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler server;
  pair->server->set_handler(&server);
  pair->client.reset();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.closes, std::vector<CloseReason>{CloseReason::peer_fin});
}

TEST(AsioStream, BytesReadWhileNoHandlerIsSetWaitForTheNextHandler) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler first;
  RecordingHandler second;
  pair->server->set_handler(&first);
  const Bytes one = to_bytes("one");
  (void)pair->client->write(one);
  ASSERT_TRUE(run_until(rt, [&] { return first.received.size() == one.size(); }));

  // With no handler, a read that completes keeps its bytes; the next handler gets them, later.
  pair->server->set_handler(nullptr);
  const Bytes two = pattern(10'000, 0x22);
  (void)pair->client->write(two);
  bool waited = false;
  rt.timers().schedule_after(std::chrono::milliseconds(50), [&] { waited = true; });
  ASSERT_TRUE(run_until(rt, [&] { return waited; }));
  pair->server->set_handler(&second);
  EXPECT_TRUE(second.received.empty()) << "no delivery from inside set_handler()";
  ASSERT_TRUE(run_until(rt, [&] { return second.received.size() >= two.size(); }));
  EXPECT_EQ(first.received, one);
  EXPECT_EQ(second.received, two);
}

TEST(AsioRuntimeLoop, RunReturnsAfterStopAndCanRunAgain) {
  AsioRuntime rt;
  int stops = 0;
  // The second timer is a safety net: if stop() did not work, the test still ends.
  rt.timers().schedule_after(std::chrono::milliseconds(5), [&] {
    ++stops;
    rt.stop();
  });
  const runtime::TimerId net = rt.timers().schedule_after(kLoopBound, [&] { rt.stop(); });
  bool later = false;
  rt.timers().schedule_after(std::chrono::milliseconds(20), [&] { later = true; });
  rt.run();
  EXPECT_EQ(stops, 1);
  EXPECT_FALSE(later);
  ASSERT_TRUE(run_until(rt, [&] { return later; }));
  rt.timers().cancel(net);
}

}  // namespace
}  // namespace iscsi::asio::test
