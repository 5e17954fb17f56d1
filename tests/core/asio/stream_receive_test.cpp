// Zero-copy receive (StreamHandler::receive_buffer()): the stream reads straight into the
// handler's buffer, then at most then_at_most bytes into its own, and the byte stream the
// handler sees is exactly the one sent, however the kernel cuts it.
#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

// Sees the stream as records of kRecordHead bytes of "header" and kRecordBody bytes of "body"
// (a PDU's BHS and data segment) and asks for every body to be received in place, with only
// the next header after it.
constexpr std::size_t kRecordHead = 48;
constexpr std::size_t kRecordBody = 20000;
constexpr std::size_t kRecord = kRecordHead + kRecordBody;

class InPlaceHandler final : public runtime::StreamHandler {
 public:
  void on_data(ByteView bytes) override {
    EXPECT_EQ(outstanding_, 0u) << "on_data() while the in-place buffer was handed out";
    if (after_in_place_) largest_after_ = std::max(largest_after_, bytes.size());
    after_in_place_ = false;
    received.insert(received.end(), bytes.begin(), bytes.end());
  }
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override { closes.push_back(reason); }

  runtime::ReceiveBuffer receive_buffer() override {
    const std::size_t in_record = received.size() % kRecord;
    if (!enabled) return {};
    if (in_record < kRecordHead) {
      // Only the rest of the header, so that its body is read in place as well.
      if (header_only_reads) return {.bytes = {}, .then_at_most = kRecordHead - in_record};
      return {};
    }
    body_.assign(kRecord - in_record, std::uint8_t{0});
    outstanding_ = body_.size();
    return {.bytes = std::span<std::uint8_t>(body_), .then_at_most = kRecordHead};
  }
  void on_received_in_place(std::size_t count) override {
    EXPECT_LE(count, outstanding_);
    outstanding_ = 0;
    received.insert(received.end(), body_.begin(),
                    body_.begin() + static_cast<std::ptrdiff_t>(count));
    in_place += count;
    after_in_place_ = true;
  }

  bool enabled = true;
  bool header_only_reads = false;
  Bytes received;
  std::size_t in_place = 0;
  std::vector<runtime::CloseReason> closes;
  std::size_t largest_after() const { return largest_after_; }

 private:
  Bytes body_;
  std::size_t outstanding_ = 0;
  bool after_in_place_ = false;
  std::size_t largest_after_ = 0;
};

TEST(AsioStreamReceive, BodiesArriveInPlaceAndTheStreamIsIntact) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  InPlaceHandler server;
  RecordingHandler client;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);
  const Bytes data = pattern(40 * kRecord + 1234, 0x33);
  (void)pair->client->write(data);
  pair->client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.received, data);
  EXPECT_GT(server.in_place, 0u);
  // After an in-place read, at most the next header came through the stream's own buffer.
  EXPECT_LE(server.largest_after(), kRecordHead);
  EXPECT_EQ(server.closes, std::vector<runtime::CloseReason>{runtime::CloseReason::peer_fin});
}

// With an empty buffer and then_at_most set, a read takes at most that many bytes: reading only
// the headers through the stream's buffer puts every body in place, however the kernel cuts
// the stream.
TEST(AsioStreamReceive, HeaderOnlyReadsPutEveryBodyInPlace) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  InPlaceHandler server;
  server.header_only_reads = true;
  RecordingHandler client;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);
  const Bytes data = pattern(40 * kRecord + 1234, 0x35);
  (void)pair->client->write(data);
  pair->client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.received, data);
  EXPECT_EQ(server.in_place, 40 * kRecordBody + (1234 - kRecordHead));
  EXPECT_LE(server.largest_after(), kRecordHead);
}

TEST(AsioStreamReceive, WithoutABufferEverythingGoesThroughOnData) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  InPlaceHandler server;
  server.enabled = false;
  RecordingHandler client;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);
  const Bytes data = pattern(5 * kRecord, 0x44);
  (void)pair->client->write(data);
  pair->client->shutdown_write();
  ASSERT_TRUE(run_until(rt, [&] { return !server.closes.empty(); }));
  EXPECT_EQ(server.received, data);
  EXPECT_EQ(server.in_place, 0u);
}

// A handler replaced while its buffer was handed out: the bytes read into it reach the new
// handler through on_data(), in order.
TEST(AsioStreamReceive, ReplacedHandlerGetsTheBytesInOrder) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  InPlaceHandler first;
  RecordingHandler client;
  RecordingHandler second;
  pair->client->set_handler(&client);
  pair->server->set_handler(&first);
  const Bytes head = pattern(kRecordHead + 10, 0x55);
  (void)pair->client->write(head);
  ASSERT_TRUE(run_until(rt, [&] { return first.received.size() == head.size(); }));
  // The next read is pending with first's body buffer; switch before anything more arrives.
  pair->server->set_handler(&second);
  const Bytes rest = pattern(3 * kRecord, 0x66);
  (void)pair->client->write(rest);
  ASSERT_TRUE(run_until(rt, [&] { return second.received.size() >= rest.size(); }));
  EXPECT_EQ(second.received, rest);
  EXPECT_EQ(first.received, head);
}

}  // namespace
}  // namespace iscsi::asio::test
