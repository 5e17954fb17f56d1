// When TcpStream sends: writes below the send-buffer limit wait for the end of the loop's turn
// (so that a turn's PDUs share one send), and a queue that reaches the limit leaves at once,
// from inside write(). What was sent is read from the transport trace, which records bytes as
// the kernel takes them.
#include <gtest/gtest.h>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

// Counts the payload bytes each side has handed to the kernel.
class SentBytes final : public runtime::TransportTrace {
 public:
  void on_connected(runtime::TimePoint, const runtime::ConnectionKey&) override {}
  void on_refused(runtime::TimePoint, const runtime::ConnectionKey&) override {}
  void on_segment(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side sender,
                  ByteView payload) override {
    if (sender == runtime::Side::client) client += payload.size();
  }
  void on_fin(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side) override {}
  void on_reset(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side) override {}

  std::size_t client = 0;
};

constexpr std::size_t kLimit = 64 * 1024;

TEST(AsioStreamSendPoint, SmallWritesWaitForTheLoopAndAFullQueueLeavesAtOnce) {
  AsioRuntimeOptions options;
  options.send_buffer_limit = kLimit;
  AsioRuntime rt(options);
  SentBytes sent;
  rt.set_transport_trace({&sent, 1460, /*trace_connected=*/true, /*trace_accepted=*/false});
  auto pair = connect_recorded_pair(rt);
  ASSERT_TRUE(pair);
  runtime::Stream& client = *pair->streams.client;

  // Outside any loop turn: nothing is sent until the loop runs.
  const Bytes small = pattern(kLimit / 4, 0x31);
  EXPECT_TRUE(client.write(small));
  EXPECT_TRUE(client.write(small));
  EXPECT_EQ(sent.client, 0u);
  ASSERT_TRUE(run_until(rt, [&] { return pair->server.received.size() == 2 * small.size(); }));
  EXPECT_EQ(sent.client, 2 * small.size());

  // One byte short of the limit still waits; the byte that reaches it sends the whole queue.
  const Bytes almost = pattern(kLimit - 1, 0x32);
  EXPECT_TRUE(client.write(almost));
  EXPECT_EQ(sent.client, 2 * small.size());
  EXPECT_TRUE(client.write(pattern(1, 0x33)));
  EXPECT_EQ(sent.client, 2 * small.size() + kLimit);

  ASSERT_TRUE(run_until(rt, [&] { return pair->server.received.size() == sent.client; }));
  Bytes expected = small;
  expected.insert(expected.end(), small.begin(), small.end());
  expected.insert(expected.end(), almost.begin(), almost.end());
  expected.push_back(pattern(1, 0x33)[0]);
  EXPECT_TRUE(pair->server.received == expected) << "the peer received other bytes";
}

}  // namespace
}  // namespace iscsi::asio::test
