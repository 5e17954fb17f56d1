// MemoryBlockIo: synchronous completions, range checks that leave the data untouched.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>

#include "tests/support/fake_runtime.hpp"

namespace iscsi::test {
namespace {

// Runs one operation and returns its completion, checking that it completed exactly once
// before the call returned.
template <class Operation>
Result<void> complete(Operation op) {
  int calls = 0;
  std::optional<Result<void>> outcome;
  op([&](Result<void> r) {
    ++calls;
    outcome.emplace(std::move(r));
  });
  EXPECT_EQ(calls, 1);
  if (!outcome) return Violation{{"test.no-completion", "", Severity::fatal}, ""};
  return *outcome;
}

TEST(MemoryBlockIo, StartsZeroedAndReportsItsSize) {
  MemoryBlockIo io(4096);
  EXPECT_EQ(io.size_bytes(), 4096u);
  Bytes out(16, 0xee);
  ASSERT_TRUE(complete([&](auto done) { io.read(4080, out, done); }).ok());
  EXPECT_EQ(out, Bytes(16, 0));
}

TEST(MemoryBlockIo, WriteThenReadBack) {
  MemoryBlockIo io(1024);
  const Bytes data{1, 2, 3, 4, 5};
  ASSERT_TRUE(complete([&](auto done) { io.write(510, data, done); }).ok());
  Bytes out(7);
  ASSERT_TRUE(complete([&](auto done) { io.read(509, out, done); }).ok());
  EXPECT_EQ(out, (Bytes{0, 1, 2, 3, 4, 5, 0}));
}

TEST(MemoryBlockIo, UnmapZeroesTheRangeOnly) {
  MemoryBlockIo io(64);
  ASSERT_TRUE(complete([&](auto done) { io.write(0, Bytes(64, 0xab), done); }).ok());
  ASSERT_TRUE(complete([&](auto done) { io.unmap(8, 16, done); }).ok());
  Bytes out(64);
  ASSERT_TRUE(complete([&](auto done) { io.read(0, out, done); }).ok());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i], (i >= 8 && i < 24) ? 0x00 : 0xab) << i;
  }
}

TEST(MemoryBlockIo, FlushSucceeds) {
  MemoryBlockIo io(8);
  EXPECT_TRUE(complete([&](auto done) { io.flush(done); }).ok());
}

TEST(MemoryBlockIo, RangesUpToTheEndAreAccepted) {
  MemoryBlockIo io(100);
  Bytes out(10);
  EXPECT_TRUE(complete([&](auto done) { io.read(90, out, done); }).ok());
  EXPECT_TRUE(complete([&](auto done) { io.read(100, MutableByteView{}, done); }).ok());
  EXPECT_TRUE(complete([&](auto done) { io.write(100, ByteView{}, done); }).ok());
  EXPECT_TRUE(complete([&](auto done) { io.unmap(0, 100, done); }).ok());
}

TEST(MemoryBlockIo, OutOfRangeOperationsFailAndChangeNothing) {
  MemoryBlockIo io(100);
  ASSERT_TRUE(complete([&](auto done) { io.write(0, Bytes(100, 0x5a), done); }).ok());
  Bytes out(10, 0xee);
  const Result<void> read = complete([&](auto done) { io.read(91, out, done); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().id(), "blockio.out-of-range");
  EXPECT_EQ(read.error().detail, "range 91+10 beyond 100 bytes");
  EXPECT_EQ(out, Bytes(10, 0xee));

  const Result<void> write = complete([&](auto done) { io.write(95, Bytes(6, 1), done); });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().id(), "blockio.out-of-range");
  const Result<void> unmap = complete([&](auto done) { io.unmap(50, 51, done); });
  ASSERT_FALSE(unmap.ok());
  EXPECT_EQ(unmap.error().id(), "blockio.out-of-range");
  EXPECT_FALSE(complete([&](auto done) { io.read(101, MutableByteView{}, done); }).ok());

  Bytes all(100);
  ASSERT_TRUE(complete([&](auto done) { io.read(0, all, done); }).ok());
  EXPECT_EQ(all, Bytes(100, 0x5a));
}

// offset + length must not wrap around 2^64 into an apparently valid range.
TEST(MemoryBlockIo, HugeOffsetsAndLengthsDoNotWrap) {
  MemoryBlockIo io(100);
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  EXPECT_FALSE(complete([&](auto done) { io.unmap(kMax, 2, done); }).ok());
  EXPECT_FALSE(complete([&](auto done) { io.unmap(10, kMax - 5, done); }).ok());
  Bytes out(4);
  EXPECT_FALSE(complete([&](auto done) { io.read(kMax - 1, out, done); }).ok());
}

TEST(MemoryBlockIo, EmptyStoreRejectsEverythingButEmptyRanges) {
  MemoryBlockIo io(0);
  EXPECT_EQ(io.size_bytes(), 0u);
  EXPECT_TRUE(complete([&](auto done) { io.read(0, MutableByteView{}, done); }).ok());
  Bytes one(1);
  EXPECT_FALSE(complete([&](auto done) { io.read(0, one, done); }).ok());
  EXPECT_FALSE(complete([&](auto done) { io.write(0, one, done); }).ok());
}

}  // namespace
}  // namespace iscsi::test
