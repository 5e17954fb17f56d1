// The sparse in-memory store and the null store (target-impl/scsi/backing/): allocation on first
// write, zeros for unwritten ranges, chunks freed by unmap, range errors, and completions that
// never run inside the call.
#include <gtest/gtest.h>

#include <optional>

#include "target-impl/scsi/backing/limits.hpp"
#include "target-impl/scsi/backing/null_store.hpp"
#include "target-impl/scsi/backing/sparse_memory_store.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::target::scsi::backing {
namespace {

using namespace std::chrono_literals;

// Records the one result a BlockIo callback delivers.
struct Outcome {
  std::optional<Result<void>> result;
  runtime::IoCallback callback() {
    return [this](Result<void> r) { result.emplace(std::move(r)); };
  }
};

class SparseMemoryStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SparseMemoryStore> make(std::uint64_t size,
                                          runtime::Duration latency = runtime::Duration{0}) {
    auto store = SparseMemoryStore::create(clock_, {size, latency});
    EXPECT_TRUE(store.ok());
    return std::move(store).value();
  }
  // Runs every due completion.
  void settle() { clock_.advance_by(0ns); }

  Result<void> write(SparseMemoryStore& store, std::uint64_t offset, const Bytes& data) {
    Outcome outcome;
    store.write(offset, data, outcome.callback());
    settle();
    EXPECT_TRUE(outcome.result.has_value());
    return std::move(*outcome.result);
  }
  Bytes read(SparseMemoryStore& store, std::uint64_t offset, std::size_t length) {
    Bytes out(length, 0xee);
    Outcome outcome;
    store.read(offset, out, outcome.callback());
    settle();
    EXPECT_TRUE(outcome.result.has_value() && outcome.result->ok());
    return out;
  }

  iscsi::test::FakeClock clock_;
};

TEST_F(SparseMemoryStoreTest, UnwrittenRangesReadAsZerosWithoutAllocating) {
  auto store = make(1 << 20);
  EXPECT_EQ(store->size_bytes(), 1u << 20);
  EXPECT_EQ(read(*store, 12345, 9000), Bytes(9000, 0));
  EXPECT_EQ(store->allocated_chunks(), 0u);
}

TEST_F(SparseMemoryStoreTest, WriteAllocatesOnlyTouchedChunks) {
  auto store = make(1 << 20);
  // 10 bytes straddling the boundary between chunk 0 and chunk 1.
  const Bytes data{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  ASSERT_TRUE(write(*store, kChunkBytes - 4, data).ok());
  EXPECT_EQ(store->allocated_chunks(), 2u);
  EXPECT_EQ(read(*store, kChunkBytes - 4, 10), data);
  // The rest of both chunks still reads as zeros.
  Bytes around = read(*store, kChunkBytes - 8, 18);
  EXPECT_EQ(Bytes(around.begin(), around.begin() + 4), Bytes(4, 0));
  EXPECT_EQ(Bytes(around.end() - 4, around.end()), Bytes(4, 0));
  // A write far away allocates a chunk in another leaf.
  ASSERT_TRUE(write(*store, (1 << 20) - 1, Bytes{0x7f}).ok());
  EXPECT_EQ(store->allocated_chunks(), 3u);
  EXPECT_EQ(read(*store, (1 << 20) - 1, 1), Bytes{0x7f});
}

TEST_F(SparseMemoryStoreTest, WholeChunkOfZerosDoesNotAllocateAndFreesAWrittenChunk) {
  auto store = make(64 * kChunkBytes);
  ASSERT_TRUE(write(*store, 0, Bytes(4 * kChunkBytes, 0)).ok());
  EXPECT_EQ(store->allocated_chunks(), 0u);
  ASSERT_TRUE(write(*store, kChunkBytes, Bytes(kChunkBytes, 0x55)).ok());
  EXPECT_EQ(store->allocated_chunks(), 1u);
  ASSERT_TRUE(write(*store, kChunkBytes, Bytes(kChunkBytes, 0)).ok());
  EXPECT_EQ(store->allocated_chunks(), 0u);
  EXPECT_EQ(read(*store, kChunkBytes, kChunkBytes), Bytes(kChunkBytes, 0));
}

TEST_F(SparseMemoryStoreTest, UnmapFreesWholeChunksAndZerosPartialOnes) {
  auto store = make(64 * kChunkBytes);
  ASSERT_TRUE(write(*store, 0, Bytes(4 * kChunkBytes, 0xab)).ok());
  ASSERT_EQ(store->allocated_chunks(), 4u);
  // From the middle of chunk 0 to the middle of chunk 3: chunks 1 and 2 go away.
  Outcome outcome;
  store->unmap(kChunkBytes / 2, 3 * kChunkBytes, outcome.callback());
  settle();
  ASSERT_TRUE(outcome.result.has_value() && outcome.result->ok());
  EXPECT_EQ(store->allocated_chunks(), 2u);
  Bytes all = read(*store, 0, 4 * kChunkBytes);
  const auto half = static_cast<std::ptrdiff_t>(kChunkBytes / 2);
  EXPECT_EQ(Bytes(all.begin(), all.begin() + half), Bytes(kChunkBytes / 2, 0xab));
  EXPECT_EQ(Bytes(all.begin() + half, all.end() - half), Bytes(3 * kChunkBytes, 0));
  EXPECT_EQ(Bytes(all.end() - half, all.end()), Bytes(kChunkBytes / 2, 0xab));
}

TEST_F(SparseMemoryStoreTest, CompletionNeverRunsInsideTheCall) {
  auto store = make(1 << 16);
  Outcome w, r, f, u;
  Bytes out(16);
  store->write(0, Bytes(16, 1), w.callback());
  store->read(0, out, r.callback());
  store->flush(f.callback());
  store->unmap(0, 16, u.callback());
  EXPECT_FALSE(w.result || r.result || f.result || u.result);
  EXPECT_EQ(clock_.pending_timers(), 4u);
  settle();
  EXPECT_TRUE(w.result && r.result && f.result && u.result);
  // The read was issued after the write and saw its data.
  EXPECT_EQ(out, Bytes(16, 1));
}

TEST_F(SparseMemoryStoreTest, LatencyDelaysCompletion) {
  auto store = make(1 << 16, 250us);
  Outcome outcome;
  store->flush(outcome.callback());
  clock_.advance_by(249us);
  EXPECT_FALSE(outcome.result);
  clock_.advance_by(1us);
  EXPECT_TRUE(outcome.result);
}

TEST_F(SparseMemoryStoreTest, OutOfRangeFailsLaterAndChangesNothing) {
  auto store = make(8 * kChunkBytes);
  Outcome outcome;
  store->write(8 * kChunkBytes - 2, Bytes(4, 9), outcome.callback());
  EXPECT_FALSE(outcome.result);
  settle();
  ASSERT_TRUE(outcome.result && !outcome.result->ok());
  EXPECT_EQ(outcome.result->error().id(), "blockio.out-of-range");
  EXPECT_NE(outcome.result->error().detail.find("sparse memory store"), std::string::npos);
  EXPECT_EQ(store->allocated_chunks(), 0u);
  // An offset near 2^64 must not wrap around into range.
  Outcome wrapped;
  Bytes out(16);
  store->read(~std::uint64_t{0} - 4, out, wrapped.callback());
  settle();
  ASSERT_TRUE(wrapped.result && !wrapped.result->ok());
  Outcome unmapped;
  store->unmap(4, ~std::uint64_t{0}, unmapped.callback());
  settle();
  ASSERT_TRUE(unmapped.result && !unmapped.result->ok());
}

TEST_F(SparseMemoryStoreTest, SizeAboveTheLimitIsRefused) {
  auto too_big = SparseMemoryStore::create(clock_, {kMaxSparseStoreBytes + 1, {}});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().id(), "blockio.bad-size");
  EXPECT_TRUE(SparseMemoryStore::create(clock_, {kMaxSparseStoreBytes, {}}).ok());
}

TEST_F(SparseMemoryStoreTest, StoreMayBeDestroyedWithCompletionsPending) {
  auto store = make(1 << 16);
  Outcome outcome;
  store->write(0, Bytes(8, 3), outcome.callback());
  store.reset();
  settle();
  EXPECT_TRUE(outcome.result && outcome.result->ok());
}

TEST(NullStoreTest, ReadsZerosDiscardsWritesAndDefersCompletion) {
  iscsi::test::FakeClock clock;
  auto created = NullStore::create(clock, 1 << 20);
  ASSERT_TRUE(created.ok());
  auto& store = *created.value();
  Outcome w, r;
  store.write(0, Bytes(512, 0xaa), w.callback());
  Bytes out(512, 0xee);
  store.read(0, out, r.callback());
  EXPECT_FALSE(w.result || r.result);
  clock.advance_by(0ns);
  ASSERT_TRUE(w.result && w.result->ok() && r.result && r.result->ok());
  EXPECT_EQ(out, Bytes(512, 0));

  Outcome beyond;
  store.unmap(1 << 20, 1, beyond.callback());
  clock.advance_by(0ns);
  ASSERT_TRUE(beyond.result && !beyond.result->ok());
  EXPECT_EQ(beyond.result->error().id(), "blockio.out-of-range");
  EXPECT_FALSE(NullStore::create(clock, kMaxNullStoreBytes + 1).ok());
}

}  // namespace
}  // namespace iscsi::target::scsi::backing
