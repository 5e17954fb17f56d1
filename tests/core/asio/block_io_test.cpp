// FileBlockIo on a temporary file: completions arrive later, on the loop thread.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

constexpr std::size_t kStoreSize = 1 << 20;

// A sparse temporary file of kStoreSize bytes, removed at the end of the test.
class TempStore {
 public:
  TempStore() {
    std::string templ = ::testing::TempDir() + "asio_block_io_XXXXXX";
    const int fd = ::mkstemp(templ.data());
    if (fd >= 0) {
      ok_ = ::ftruncate(fd, static_cast<off_t>(kStoreSize)) == 0;
      ::close(fd);
      path_ = templ;
    }
  }
  ~TempStore() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;
  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool ok_ = false;
};

// Starts one operation, checks it does not complete inside the call, runs the loop until it
// does, and checks it completed exactly once on this (the loop) thread.
template <class Operation>
Result<void> complete(AsioRuntime& rt, Operation op) {
  int calls = 0;
  std::optional<Result<void>> outcome;
  std::thread::id thread;
  op([&](Result<void> r) {
    ++calls;
    thread = std::this_thread::get_id();
    outcome.emplace(std::move(r));
  });
  EXPECT_EQ(calls, 0) << "completion ran inside the call";
  EXPECT_TRUE(run_until(rt, [&] { return calls > 0; }));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(thread, std::this_thread::get_id());
  if (!outcome) return Violation{{"test.no-completion", "", Severity::fatal}, ""};
  return *outcome;
}

TEST(FileBlockIo, WriteReadFlushUnmap) {
  TempStore store;
  ASSERT_TRUE(store.ok());
  AsioRuntime rt;
  auto opened = rt.open_block_io(store.path());
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  runtime::BlockIo& io = **opened;
  EXPECT_EQ(io.size_bytes(), kStoreSize);

  const Bytes data = pattern(3 * 4096, 0x3c);
  Bytes source = data;
  ASSERT_TRUE(complete(rt, [&](auto done) {
                io.write(4096, source, done);
                // write() copied the bytes: changing the source now must not matter.
                source.assign(source.size(), 0xff);
              }).ok());
  ASSERT_TRUE(complete(rt, [&](auto done) { io.flush(done); }).ok());

  Bytes back(data.size());
  ASSERT_TRUE(complete(rt, [&](auto done) { io.read(4096, back, done); }).ok());
  EXPECT_EQ(back, data);

  // Unmap the middle block: it reads back as zeros, its neighbours are untouched.
  ASSERT_TRUE(complete(rt, [&](auto done) { io.unmap(8192, 4096, done); }).ok());
  ASSERT_TRUE(complete(rt, [&](auto done) { io.read(4096, back, done); }).ok());
  Bytes expected = data;
  std::fill(expected.begin() + 4096, expected.begin() + 8192, 0);
  EXPECT_EQ(back, expected);

  // The data reached the file itself.
  std::ifstream file(store.path(), std::ios::binary);
  file.seekg(4096);
  Bytes on_disk(4096);
  file.read(reinterpret_cast<char*>(on_disk.data()), static_cast<std::streamsize>(4096));
  EXPECT_EQ(on_disk, Bytes(data.begin(), data.begin() + 4096));
}

TEST(FileBlockIo, OutOfRangeFailsWithoutTouchingTheFile) {
  TempStore store;
  ASSERT_TRUE(store.ok());
  AsioRuntime rt;
  auto opened = rt.open_block_io(store.path());
  ASSERT_TRUE(opened.ok());
  runtime::BlockIo& io = **opened;
  Bytes out(16);
  const Result<void> read = complete(rt, [&](auto done) { io.read(kStoreSize - 8, out, done); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().id(), "blockio.out-of-range");
  const Bytes data(16, 1);
  const Result<void> write = complete(rt, [&](auto done) { io.write(kStoreSize, data, done); });
  ASSERT_FALSE(write.ok());
  const Result<void> unmap = complete(rt, [&](auto done) { io.unmap(1, kStoreSize, done); });
  ASSERT_FALSE(unmap.ok());
  EXPECT_EQ(unmap.error().id(), "blockio.out-of-range");
}

TEST(FileBlockIo, OpeningAMissingFileFails) {
  AsioRuntime rt;
  const auto opened = rt.open_block_io(::testing::TempDir() + "no/such/file");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().id(), "blockio.open-failed");
}

TEST(FileBlockIo, ManyConcurrentOperationsAllComplete) {
  TempStore store;
  ASSERT_TRUE(store.ok());
  AsioRuntime rt;
  auto opened = rt.open_block_io(store.path());
  ASSERT_TRUE(opened.ok());
  runtime::BlockIo& io = **opened;
  constexpr std::size_t kOps = 64;
  std::size_t succeeded = 0;
  for (std::size_t i = 0; i < kOps; ++i) {
    const Bytes block = pattern(512, static_cast<std::uint8_t>(i));
    io.write(i * 512, block, [&](Result<void> r) { if (r.ok()) ++succeeded; });
  }
  ASSERT_TRUE(run_until(rt, [&] { return succeeded == kOps; }));
  Bytes all(kOps * 512);
  ASSERT_TRUE(complete(rt, [&](auto done) { io.read(0, all, done); }).ok());
  for (std::size_t i = 0; i < kOps; ++i) {
    const ByteView block = ByteView(all).subspan(i * 512, 512);
    EXPECT_EQ(Bytes(block.begin(), block.end()), pattern(512, static_cast<std::uint8_t>(i))) << i;
  }
}

}  // namespace
}  // namespace iscsi::asio::test

namespace iscsi::asio::test {
namespace {

// Reads are served from the page cache on the loop thread when they fit
// cached_read_max_bytes and by the pool otherwise; both give the file's bytes, complete later
// and on the loop thread (checked by complete()), whatever the size and alignment.
TEST(FileBlockIo, CachedAndPooledReadsReturnTheSameBytes) {
  TempStore store;
  ASSERT_TRUE(store.ok());
  const Bytes data = pattern(256 * 1024, 0x77);
  {
    std::fstream file(store.path(), std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(8192);
    file.write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
  }
  for (const std::size_t cached_max : {std::size_t{0}, std::size_t{4096}, std::size_t{1} << 20}) {
    AsioRuntimeOptions options;
    options.cached_read_max_bytes = cached_max;
    AsioRuntime rt(options);
    auto opened = rt.open_block_io(store.path());
    ASSERT_TRUE(opened.ok());
    runtime::BlockIo& io = **opened;
    for (const std::size_t length : {std::size_t{1}, std::size_t{4096}, std::size_t{65536},
                                     data.size() - 3}) {
      Bytes back(length, 0xee);
      ASSERT_TRUE(complete(rt, [&](auto done) { io.read(8192 + 3, back, done); }).ok());
      const auto from = data.begin() + 3;
      EXPECT_EQ(back, Bytes(from, from + static_cast<std::ptrdiff_t>(length)))
          << "cached_read_max_bytes " << cached_max << ", length " << length;
    }
    // Past the end still fails, before any read is tried.
    Bytes beyond(16);
    EXPECT_FALSE(complete(rt, [&](auto done) { io.read(kStoreSize - 8, beyond, done); }).ok());
  }
}

}  // namespace
}  // namespace iscsi::asio::test
