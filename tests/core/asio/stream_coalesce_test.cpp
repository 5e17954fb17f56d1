// TcpStream's receive coalescing (tcp_stream_coalesce.cpp): while the handler expects more
// bytes (StreamHandler::receive_batch_bytes()), a wait lets that many gather and reads them at
// once; a hint of 0 reads at the first byte again; a wait that sees nothing for a guard period
// reads what came; a FIN ends a coalescing wait at once. The peer's pieces leave as separate
// sends, spaced by timers, so without coalescing each would be read on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <vector>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using std::chrono::milliseconds;

// Records the size and time of each delivery; expects `hint` bytes until `hint_until` have
// arrived (the stream asks before each wait, so the hint changes as deliveries come in, as an
// initiator's does when its reads are answered).
class HintingHandler final : public runtime::StreamHandler {
 public:
  void on_data(ByteView bytes) override {
    sizes.push_back(bytes.size());
    received += bytes.size();
    last_delivery = std::chrono::steady_clock::now();
    if (received >= hint_until) hint = 0;
  }
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override { closes.push_back(reason); }
  std::size_t receive_batch_bytes() override { return hint; }

  std::size_t hint = 0;
  std::size_t hint_until = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> sizes;
  std::size_t received = 0;
  std::chrono::steady_clock::time_point last_delivery{};
  std::vector<runtime::CloseReason> closes;
};

constexpr std::size_t kPiece = 16 * 1024;
constexpr std::size_t kBatch = 4 * kPiece;

// A runtime whose coalescing waits give up only after `guard` (longer than run_until's bound
// unless a test wants the guard to act).
AsioRuntimeOptions with_guard(std::chrono::microseconds guard, std::size_t max_batch = kBatch) {
  AsioRuntimeOptions options;
  options.receive_batch_guard = guard;
  options.max_receive_batch = max_batch;
  return options;
}

// The server sends four pieces of kPiece bytes, 20 ms apart, each in a send of its own.
void send_pieces_apart(AsioRuntime& rt, runtime::Stream& server) {
  for (int i = 1; i <= 4; ++i) {
    rt.timers().schedule_after(milliseconds(20 * i),
                               [&server] { (void)server.write(pattern(kPiece, 0x40)); });
  }
}

std::vector<std::size_t> deliveries_of_four_pieces(std::size_t max_batch) {
  AsioRuntime rt(with_guard(std::chrono::seconds(30), max_batch));
  auto pair = connect_pair(rt);
  EXPECT_TRUE(pair);
  if (!pair) return {};
  HintingHandler client;
  client.hint = kBatch;
  pair->client->set_handler(&client);
  send_pieces_apart(rt, *pair->server);
  EXPECT_TRUE(run_until(rt, [&] { return client.received >= kBatch; }));
  return client.sizes;
}

TEST(AsioStreamCoalesce, AWaitLetsTheExpectedBytesGatherAndReadsThemAtOnce) {
  EXPECT_EQ(deliveries_of_four_pieces(kBatch), std::vector<std::size_t>{kBatch});
}

// (Two pieces could share a read only if the loop stalled for 20 ms.)
TEST(AsioStreamCoalesce, WithCoalescingOffThePiecesAreReadAsTheyCome) {
  EXPECT_GT(deliveries_of_four_pieces(0).size(), 1u);
}

TEST(AsioStreamCoalesce, AHintOfZeroReadsAtTheFirstByteAgain) {
  AsioRuntime rt(with_guard(std::chrono::seconds(30)));
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  HintingHandler client;
  client.hint = kBatch;
  client.hint_until = kBatch;
  pair->client->set_handler(&client);
  send_pieces_apart(rt, *pair->server);
  ASSERT_TRUE(run_until(rt, [&] { return client.received >= kBatch; }));
  // Only the mark going back to one byte at the next wait can deliver this before the guard.
  (void)pair->server->write(to_bytes("ten bytes!"));
  EXPECT_TRUE(run_until(rt, [&] { return client.received == kBatch + 10; }));
}

TEST(AsioStreamCoalesce, AWaitThatSeesNothingForAGuardPeriodReadsWhatCame) {
  const auto guard = milliseconds(40);
  AsioRuntime rt(with_guard(guard));
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  HintingHandler client;
  client.hint = kBatch;
  const auto start = std::chrono::steady_clock::now();
  pair->client->set_handler(&client);
  rt.timers().schedule_after(milliseconds(5), [&] { (void)pair->server->write(pattern(1000, 1)); });
  ASSERT_TRUE(run_until(rt, [&] { return client.received == 1000; }));
  // The bytes waited for the guard: the peer sent less than the hint.
  EXPECT_GE(client.last_delivery - start, guard);
}

TEST(AsioStreamCoalesce, APeerFinEndsACoalescingWaitAtOnce) {
  AsioRuntime rt(with_guard(std::chrono::seconds(30)));
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  HintingHandler client;
  client.hint = kBatch;
  pair->client->set_handler(&client);
  rt.timers().schedule_after(milliseconds(5), [&] {
    (void)pair->server->write(pattern(100, 2));
    pair->server->shutdown_write();
  });
  ASSERT_TRUE(run_until(rt, [&] { return !client.closes.empty(); }));
  EXPECT_EQ(client.received, 100u);
  EXPECT_EQ(client.closes.front(), runtime::CloseReason::peer_fin);
}

}  // namespace
}  // namespace iscsi::asio::test
