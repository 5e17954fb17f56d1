#include "sim/block_io.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace iscsi::sim {
namespace {

using namespace std::chrono_literals;

class SparseBlockIoTest : public ::testing::Test {
 protected:
  // Runs one operation to completion and returns its result and the virtual time it took.
  template <class Op>
  std::pair<Result<void>, std::int64_t> complete(Op op) {
    std::optional<Result<void>> result;
    const auto start = sim_.now();
    op([&](Result<void> r) { result = std::move(r); });
    EXPECT_TRUE(sim_.run_until_idle().ok());
    EXPECT_TRUE(result.has_value());
    return {result.value_or(success()), (sim_.now() - start).count()};
  }

  Simulator sim_;
  static constexpr std::uint64_t kForty = 40ULL << 30;  // a 40 GiB LUN
  SparseBlockIo io_{sim_, kForty, BlockIoLatency{.read = 100us, .write = 200us, .flush = 1ms}};
};

TEST_F(SparseBlockIoTest, UnwrittenRangesReadAsZerosAndCostNothing) {
  Bytes out(8192, 0xee);
  auto [result, took] = complete([&](auto done) { io_.read(kForty - 8192, out, done); });
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(took, 100'000);
  EXPECT_EQ(out, Bytes(8192, 0));
  EXPECT_EQ(io_.allocated_chunks(), 0u);
  EXPECT_EQ(io_.size_bytes(), kForty);
}

TEST_F(SparseBlockIoTest, WriteAcrossChunkBoundariesReadsBack) {
  Bytes data(10'000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i % 251 + 1);
  const std::uint64_t offset = (20ULL << 30) + 4000;
  auto [written, took] = complete([&](auto done) { io_.write(offset, data, done); });
  EXPECT_TRUE(written.ok());
  EXPECT_EQ(took, 200'000);
  EXPECT_EQ(io_.allocated_chunks(), 4u);  // bytes 4000..14000 of a 4 KiB grid touch 4 chunks
  Bytes out(10'010, 0xee);
  EXPECT_TRUE(complete([&](auto done) { io_.read(offset - 5, out, done); }).first.ok());
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 5), Bytes(5, 0));
  EXPECT_EQ(Bytes(out.begin() + 5, out.end() - 5), data);
  EXPECT_EQ(Bytes(out.end() - 5, out.end()), Bytes(5, 0));
}

TEST_F(SparseBlockIoTest, UnmapReleasesWholeChunksAndZeroesPartialOnes) {
  const Bytes data(3 * 4096, 0x77);
  EXPECT_TRUE(complete([&](auto done) { io_.write(0, data, done); }).first.ok());
  EXPECT_TRUE(complete([&](auto done) { io_.unmap(100, 8192, done); }).first.ok());
  EXPECT_EQ(io_.allocated_chunks(), 2u);  // chunk 1 released, chunks 0 and 2 partly zeroed
  Bytes out(3 * 4096);
  EXPECT_TRUE(complete([&](auto done) { io_.read(0, out, done); }).first.ok());
  Bytes expected(3 * 4096, 0x77);
  std::fill(expected.begin() + 100, expected.begin() + 100 + 8192, 0);
  EXPECT_EQ(out, expected);
}

TEST_F(SparseBlockIoTest, OutOfRangeIsAnErrorResult) {
  Bytes out(16);
  auto [result, took] = complete([&](auto done) { io_.read(kForty - 8, out, done); });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().id(), "sim.block-io-out-of-range");
  EXPECT_FALSE(complete([&](auto done) { io_.unmap(kForty, 1, done); }).first.ok());
  EXPECT_EQ(took, 100'000);
}

TEST_F(SparseBlockIoTest, FlushCompletesAfterItsLatency) {
  auto [result, took] = complete([&](auto done) { io_.flush(done); });
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(took, 1'000'000);
}

}  // namespace
}  // namespace iscsi::sim
