// TcpStream's receive coalescing (tcp_stream_coalesce.cpp): while the handler expects more
// bytes (StreamHandler::receive_batch_bytes()), a wait lets that many gather and reads them at
// once; a hint of 0 reads at the first byte again; a wait that sees nothing for a guard period
// reads what came; a FIN ends a coalescing wait at once. The peer's pieces leave as separate
// sends, spaced by timers, so without coalescing each would be read on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <optional>
#include <vector>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using std::chrono::milliseconds;

// Records the size of each delivery; expects `hint` bytes until `hint_until` have
// arrived (the stream asks before each wait, so the hint changes as deliveries come in, as an
// initiator's does when its reads are answered).
class HintingHandler final : public runtime::StreamHandler {
 public:
  void on_data(ByteView bytes) override {
    sizes.push_back(bytes.size());
    received += bytes.size();
    if (received >= hint_until) hint = 0;
  }
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override { closes.push_back(reason); }
  std::size_t receive_batch_bytes() override { return hint; }

  std::size_t hint = 0;
  std::size_t hint_until = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> sizes;
  std::size_t received = 0;
  std::vector<runtime::CloseReason> closes;
};

constexpr std::size_t kPiece = 16 * 1024;
constexpr std::size_t kBatch = 4 * kPiece;

// A loopback pair on a runtime whose coalescing waits give up only after `guard` (longer than
// run_until's bound unless a test wants the guard to act); its client end expects kBatch
// bytes once start() gives it the handler.
struct HintedPair {
  explicit HintedPair(std::chrono::microseconds guard, std::size_t max_batch = kBatch)
      : rt(options(guard, max_batch)), streams(connect_pair(rt)) {
    client.hint = kBatch;
  }
  static AsioRuntimeOptions options(std::chrono::microseconds guard, std::size_t max_batch) {
    AsioRuntimeOptions options;
    options.receive_batch_guard = guard;
    options.max_receive_batch = max_batch;
    return options;
  }
  void start() { streams->client->set_handler(&client); }
  runtime::Stream& server() { return *streams->server; }

  AsioRuntime rt;
  HintingHandler client;  // declared before the streams, which point at it
  std::optional<LoopbackPair> streams;
  bool answered = false;  // the server has written its answer
};

constexpr std::chrono::seconds kNoGuard{30};

// The server sends four pieces of kPiece bytes, 20 ms apart, each in a send of its own.
void send_pieces_apart(HintedPair& pair) {
  for (int i = 1; i <= 4; ++i) {
    pair.rt.timers().schedule_after(milliseconds(20 * i),
                                    [&pair] { (void)pair.server().write(pattern(kPiece, 0x40)); });
  }
}

std::vector<std::size_t> deliveries_of_four_pieces(std::size_t max_batch) {
  HintedPair pair(kNoGuard, max_batch);
  EXPECT_TRUE(pair.streams);
  if (!pair.streams) return {};
  pair.start();
  send_pieces_apart(pair);
  EXPECT_TRUE(run_until(pair.rt, [&] { return pair.client.received >= kBatch; }));
  return pair.client.sizes;
}

TEST(AsioStreamCoalesce, AWaitLetsTheExpectedBytesGatherAndReadsThemAtOnce) {
  EXPECT_EQ(deliveries_of_four_pieces(kBatch), std::vector<std::size_t>{kBatch});
}

// (Two pieces could share a read only if the loop stalled for 20 ms.)
TEST(AsioStreamCoalesce, WithCoalescingOffThePiecesAreReadAsTheyCome) {
  EXPECT_GT(deliveries_of_four_pieces(0).size(), 1u);
}

TEST(AsioStreamCoalesce, AHintOfZeroReadsAtTheFirstByteAgain) {
  HintedPair pair(kNoGuard);
  ASSERT_TRUE(pair.streams);
  pair.client.hint_until = kBatch;
  pair.start();
  send_pieces_apart(pair);
  ASSERT_TRUE(run_until(pair.rt, [&] { return pair.client.received >= kBatch; }));
  // Only the mark going back to one byte at the next wait can deliver this before the guard.
  (void)pair.server().write(to_bytes("ten bytes!"));
  EXPECT_TRUE(run_until(pair.rt, [&] { return pair.client.received == kBatch + 10; }));
}

// The server answers with 1000 bytes, less than the client expects.
void send_short_answer(HintedPair& pair) {
  pair.rt.timers().schedule_after(milliseconds(5), [&pair] {
    (void)pair.server().write(pattern(1000, 1));
    pair.answered = true;
  });
}

TEST(AsioStreamCoalesce, AShortAnswerWaitsWhileTheGuardHasNotActed) {
  HintedPair pair(kNoGuard);
  ASSERT_TRUE(pair.streams);
  pair.start();
  send_short_answer(pair);
  ASSERT_TRUE(run_until(pair.rt, [&] { return pair.answered; }));
  // The 30 s guard keeps the loop running the whole time.
  pair.rt.run_for(milliseconds(200));
  EXPECT_EQ(pair.client.received, 0u) << "read before the low-water mark was reached";
}

TEST(AsioStreamCoalesce, AWaitThatSeesNothingForAGuardPeriodReadsWhatCame) {
  HintedPair pair(milliseconds(40));
  ASSERT_TRUE(pair.streams);
  pair.start();
  send_short_answer(pair);
  EXPECT_TRUE(run_until(pair.rt, [&] { return pair.client.received == 1000; }));
}

TEST(AsioStreamCoalesce, APeerFinEndsACoalescingWaitAtOnce) {
  HintedPair pair(kNoGuard);
  ASSERT_TRUE(pair.streams);
  pair.start();
  pair.rt.timers().schedule_after(milliseconds(5), [&] {
    (void)pair.server().write(pattern(100, 2));
    pair.server().shutdown_write();
  });
  ASSERT_TRUE(run_until(pair.rt, [&] { return !pair.client.closes.empty(); }));
  EXPECT_EQ(pair.client.received, 100u);
  EXPECT_EQ(pair.client.closes.front(), runtime::CloseReason::peer_fin);
}

}  // namespace
}  // namespace iscsi::asio::test
