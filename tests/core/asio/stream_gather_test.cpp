// TcpStream's gathered writes: pieces sent in place (with an owner) and copied pieces, mixed
// with plain write() calls, reach the peer as exactly the same bytes in the same order, however
// the stream is cut; owners are released once their bytes are sent; buffers reused for copies
// never belong to a send still in flight.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using std::chrono::milliseconds;

runtime::WriteBuffer copied(ByteView bytes) { return {bytes, nullptr}; }

TEST(AsioStreamGather, PiecesSplitAtEveryPointArriveAsOneStream) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);

  // One 517-byte message written in three pieces for every pair of cut points (i <= j): a
  // copied head, a middle sent in place, a copied tail; every tenth message as plain write().
  const Bytes message = pattern(517, 0x21);
  Bytes expected;
  std::vector<std::weak_ptr<const Bytes>> owners;
  std::size_t count = 0;
  for (std::size_t i = 0; i <= message.size(); i += 11) {
    for (std::size_t j = i; j <= message.size(); j += 13) {
      const ByteView all(message);
      if (++count % 10 == 0) {
        (void)pair->server->write(all);
      } else {
        auto middle = std::make_shared<const Bytes>(all.begin() + static_cast<std::ptrdiff_t>(i),
                                                    all.begin() + static_cast<std::ptrdiff_t>(j));
        owners.push_back(middle);
        const runtime::WriteBuffer pieces[] = {
            copied(all.first(i)), {ByteView(*middle), middle}, copied(all.subspan(j))};
        (void)pair->server->write_gather(pieces);
      }
      expected.insert(expected.end(), message.begin(), message.end());
    }
    // Let some of it go out between batches, so later writes meet sends in flight.
    if (i % 44 == 0) rt.run_for(milliseconds(1));
  }
  ASSERT_TRUE(run_until(rt, [&] { return client.received.size() >= expected.size(); }));
  EXPECT_EQ(client.received, expected);
  rt.run_for(milliseconds(5));
  for (const auto& owner : owners) {
    EXPECT_TRUE(owner.expired()) << "an owner was kept after its send";
  }
}

// The peer reads nothing at first, so a large send stays in flight while more small writes
// are copied (coalesced and into reused buffers). Had a reused or grown buffer been one the
// kernel was still reading from, the peer would see altered bytes.
TEST(AsioStreamGather, ReusedBuffersNeverAlterBytesInFlight) {
  AsioRuntime rt;
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler server;
  pair->server->set_handler(&server);

  Bytes expected;
  std::uint8_t salt = 0;
  for (int round = 0; round < 40; ++round) {
    for (std::size_t size : {std::size_t{48}, std::size_t{4096}, std::size_t{70000},
                             std::size_t{300}}) {
      const Bytes piece = pattern(size, salt++);
      // The source is overwritten right after the call: the stream must have copied it.
      Bytes scratch = piece;
      (void)pair->server->write(scratch);
      scratch.assign(scratch.size(), 0xff);
      expected.insert(expected.end(), piece.begin(), piece.end());
    }
    rt.run_for(milliseconds(1));
  }
  RecordingHandler client;
  pair->client->set_handler(&client);
  ASSERT_TRUE(run_until(rt, [&] { return client.received.size() >= expected.size(); }));
  EXPECT_EQ(client.received, expected);
}

}  // namespace
}  // namespace iscsi::asio::test
