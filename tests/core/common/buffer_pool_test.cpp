// BufferPool: a buffer given back is handed out again without a new allocation, shrunk to the
// size asked for; small buffers and buffers past the limit are not kept.
#include "core/common/buffer_pool.hpp"

#include <gtest/gtest.h>

namespace iscsi {
namespace {

TEST(BufferPoolTest, AnEmptyPoolAllocatesTheSizeAskedFor) {
  BufferPool pool;
  const Bytes buffer = pool.take(8192);
  EXPECT_EQ(buffer.size(), 8192u);
  EXPECT_EQ(pool.reused(), 0u);
}

TEST(BufferPoolTest, AGivenBufferComesBackWithItsMemoryAndTheNewSize) {
  BufferPool pool;
  Bytes first(65536, 0xab);
  const std::uint8_t* memory = first.data();
  pool.give(std::move(first));
  EXPECT_EQ(pool.size(), 1u);
  const Bytes again = pool.take(4096);
  EXPECT_EQ(again.data(), memory);
  EXPECT_EQ(again.size(), 4096u);
  EXPECT_EQ(again[0], 0xab);  // not cleared: the caller overwrites it
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.reused(), 1u);
}

TEST(BufferPoolTest, TheWarmestLongEnoughBufferIsTakenFirst) {
  BufferPool pool;
  Bytes big(65536);
  Bytes small(8192);
  const std::uint8_t* big_memory = big.data();
  const std::uint8_t* small_memory = small.data();
  pool.give(std::move(big));
  pool.give(std::move(small));
  EXPECT_EQ(pool.take(65536).data(), big_memory);  // the small one is too short
  EXPECT_EQ(pool.take(4096).data(), small_memory);
}

TEST(BufferPoolTest, ABufferGrowsWithinItsCapacity) {
  BufferPool pool;
  Bytes buffer(65536);
  buffer.resize(100);  // capacity stays
  const std::uint8_t* memory = buffer.data();
  pool.give(std::move(buffer));
  const Bytes grown = pool.take(60000);
  EXPECT_EQ(grown.data(), memory);
  EXPECT_EQ(grown.size(), 60000u);
}

TEST(BufferPoolTest, SmallBuffersAndThoseBeyondTheLimitAreDropped) {
  BufferPool pool;
  pool.give(Bytes(BufferPool::kMinCapacity - 1));
  EXPECT_EQ(pool.size(), 0u);
  for (std::size_t i = 0; i < BufferPool::kMaxBuffers + 5; ++i) pool.give(Bytes(8192));
  EXPECT_EQ(pool.size(), BufferPool::kMaxBuffers);
}

}  // namespace
}  // namespace iscsi
