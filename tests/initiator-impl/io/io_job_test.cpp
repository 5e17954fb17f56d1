// I/O jobs on a Client session against the reference target in the simulator, configured with
// tgtadm lines: queries on a RAM LUN, write and verify of whole LUNs on three LUNs at once, a
// verify with the wrong seed, a read past the end, read-back of written bytes, and the queue
// depth kept.
#include "initiator-impl/io/io_job.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "initiator-impl/io/pattern.hpp"
#include "tests/initiator-impl/client/client_lab.hpp"

namespace iscsi::initiator::io {
namespace {

using client::testing::ClientLab;

constexpr std::string_view kDisks = "iqn.2026-01.test.io:disks";
constexpr std::uint64_t kMiB = 1024 * 1024;

class IoJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lab_.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisks));
    const std::array<const char*, 3> sizes{"4M", "8M", "16M"};
    for (std::size_t lun = 1; lun <= sizes.size(); ++lun) {
      lab_.configure(
          fmt::format("--lld iscsi --op new --mode logicalunit --tid 1 --lun {} --bstype ram -b {}",
                      lun, sizes[lun - 1]));
    }
    lab_.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
    client::LoginOutcome outcome = lab_.login(lab_.request(kDisks));
    ASSERT_TRUE(outcome.ok()) << outcome.describe();
    session_ = outcome.session;
  }

  IoResult run(IoJob job) {
    std::optional<IoResult> result;
    run_io_job(*session_, std::move(job), [&result](IoResult done) { result = std::move(done); });
    EXPECT_TRUE(lab_.run_until([&] { return result.has_value(); }));
    return result ? std::move(*result) : IoResult{};
  }

  static IoJob transfer(JobKind kind, std::uint64_t lun, std::optional<std::uint64_t> seed) {
    IoJob job;
    job.kind = kind;
    job.lun = lun;
    job.queue_depth = 8;
    if (seed) job.pattern = Pattern{*seed};
    return job;
  }

  ClientLab lab_;
  std::shared_ptr<client::Session> session_;
};

TEST_F(IoJobTest, QueriesOnARamLun) {
  IoJob job;
  job.lun = 2;
  job.kind = JobKind::test_unit_ready;  // first: meets (and retries past) the unit attention
  IoResult ready = run(job);
  ASSERT_TRUE(ready.ok) << ready.error;
  EXPECT_EQ(ready.lines, std::vector<std::string>{"LUN 2 is ready"});

  job.kind = JobKind::inquiry;
  IoResult inquiry = run(job);
  ASSERT_TRUE(inquiry.ok) << inquiry.error;
  ASSERT_GE(inquiry.lines.size(), 4U);
  EXPECT_EQ(inquiry.lines[0].rfind("vendor: ", 0), 0U);
  EXPECT_GT(inquiry.lines[0].size(), std::string("vendor: ").size());
  EXPECT_EQ(inquiry.lines[1].rfind("product: ", 0), 0U);
  EXPECT_EQ(inquiry.lines[2].rfind("revision: ", 0), 0U);
  EXPECT_EQ(inquiry.lines[3], "peripheral type: 0x00 (direct access block device)");
  EXPECT_GE(inquiry.data.size(), 36U);

  job.kind = JobKind::read_capacity;
  IoResult capacity = run(job);
  ASSERT_TRUE(capacity.ok) << capacity.error;
  ASSERT_GE(capacity.lines.size(), 3U);
  EXPECT_EQ(capacity.lines[0], fmt::format("blocks: {}", 8 * kMiB / 512));
  EXPECT_EQ(capacity.lines[1], "block size: 512 bytes");
  EXPECT_EQ(capacity.lines[2], fmt::format("bytes: {}", 8 * kMiB));

  job.kind = JobKind::report_luns;
  IoResult luns = run(job);
  ASSERT_TRUE(luns.ok) << luns.error;
  // tgt lists LUN 0 (the controller) and the three disks.
  EXPECT_EQ(luns.lines, (std::vector<std::string>{"LUN 0", "LUN 1", "LUN 2", "LUN 3"}));
}

TEST_F(IoJobTest, WriteAndVerifyWholeLunsConcurrently) {
  std::array<std::optional<IoResult>, 3> written;
  for (std::uint64_t lun = 1; lun <= 3; ++lun) {
    run_io_job(*session_, transfer(JobKind::write, lun, 100 + lun),
               [&written, lun](IoResult done) { written[lun - 1] = std::move(done); });
  }
  std::size_t most_open = 0;
  ASSERT_TRUE(lab_.run_until([&] {
    most_open = std::max(most_open, session_->open_commands());
    return written[0] && written[1] && written[2];
  }));
  EXPECT_LE(most_open, 3U * 8U);
  for (std::uint64_t lun = 1; lun <= 3; ++lun) {
    const IoResult& result = *written[lun - 1];
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.bytes, (4 * kMiB) << (lun - 1));
    // READ CAPACITY (16), then 64 KiB commands.
    EXPECT_EQ(result.commands, 1 + result.bytes / (64 * 1024));
  }
  std::array<std::optional<IoResult>, 3> verified;
  for (std::uint64_t lun = 1; lun <= 3; ++lun) {
    run_io_job(*session_, transfer(JobKind::verify, lun, 100 + lun),
               [&verified, lun](IoResult done) { verified[lun - 1] = std::move(done); });
  }
  ASSERT_TRUE(lab_.run_until([&] { return verified[0] && verified[1] && verified[2]; }));
  for (std::uint64_t lun = 1; lun <= 3; ++lun) {
    EXPECT_TRUE(verified[lun - 1]->ok) << verified[lun - 1]->error;
    EXPECT_EQ(verified[lun - 1]->bytes, (4 * kMiB) << (lun - 1));
    EXPECT_TRUE(verified[lun - 1]->data.empty());
  }
}

TEST_F(IoJobTest, VerifyWithTheWrongSeedReportsTheFirstMismatch) {
  IoJob write = transfer(JobKind::write, 1, 7);
  write.length = 1 * kMiB;
  ASSERT_TRUE(run(write).ok);
  // The rest of the RAM LUN is zeros; start the check at 512 KiB: the first byte there differs
  // unless seed 8's pattern happens to agree with seed 7's at that byte.
  IoJob verify = transfer(JobKind::verify, 1, 8);
  verify.offset = 512 * 1024;
  verify.length = 1 * kMiB;
  const std::uint64_t first = [] {
    for (std::uint64_t at = 512 * 1024;; ++at) {
      if (pattern_byte(7, at) != pattern_byte(8, at)) return at;
    }
  }();
  IoResult result = run(verify);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(
      result.error,
      fmt::format("verify of LUN 1 found the first mismatch at byte offset {} (LBA {}, "
                  "byte {} of the block): expected 0x{:02x}, got 0x{:02x}",
                  first, first / 512, first % 512, pattern_byte(8, first), pattern_byte(7, first)));
}

TEST_F(IoJobTest, VerifyOfUnwrittenBlocksNamesTheirFirstByte) {
  IoJob write = transfer(JobKind::write, 1, 5);
  write.length = 256 * 1024;
  ASSERT_TRUE(run(write).ok);
  IoJob verify = transfer(JobKind::verify, 1, 5);
  verify.length = 1 * kMiB;
  verify.block_bytes = 32 * 1024;
  IoResult result = run(verify);
  ASSERT_FALSE(result.ok);
  const std::uint64_t first = [] {
    for (std::uint64_t at = 256 * 1024;; ++at) {
      if (pattern_byte(5, at) != 0) return at;
    }
  }();
  EXPECT_NE(result.error.find(fmt::format("byte offset {} (LBA {},", first, first / 512)),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("got 0x00"), std::string::npos) << result.error;
}

TEST_F(IoJobTest, ReadBeyondTheEndIsAClearError) {
  IoJob read = transfer(JobKind::read, 1, std::nullopt);
  read.offset = 4 * kMiB - 64 * 1024;
  read.length = 128 * 1024;
  IoResult result = run(read);
  ASSERT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            fmt::format("READ(16) of 128 blocks at LBA {} on LUN 1 failed: status CHECK "
                        "CONDITION, sense key ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE "
                        "(ASC 0x21, ASCQ 0x00)",
                        4 * kMiB / 512))
      << result.error;
  EXPECT_TRUE(result.data.empty());
}

TEST_F(IoJobTest, ReadReturnsExactlyTheWrittenBytes) {
  IoJob write;
  write.kind = JobKind::write;
  write.lun = 3;
  write.offset = 3 * kMiB;
  write.block_bytes = 12 * 1024;
  write.source.resize(300 * 1024);
  for (std::size_t i = 0; i < write.source.size(); ++i) {
    write.source[i] = static_cast<std::uint8_t>((i * 131) ^ (i >> 9));
  }
  IoResult written = run(write);
  ASSERT_TRUE(written.ok) << written.error;
  EXPECT_EQ(written.bytes, write.source.size());

  IoJob read = transfer(JobKind::read, 3, std::nullopt);
  read.offset = 3 * kMiB - 4096;
  read.length = write.source.size() + 8192;
  read.block_bytes = 16 * 1024;
  IoResult result = run(read);
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.data.size(), read.length);
  EXPECT_TRUE(std::all_of(result.data.begin(), result.data.begin() + 4096,
                          [](std::uint8_t b) { return b == 0; }));
  EXPECT_TRUE(std::equal(write.source.begin(), write.source.end(), result.data.begin() + 4096));
  EXPECT_TRUE(std::all_of(result.data.end() - 4096, result.data.end(),
                          [](std::uint8_t b) { return b == 0; }));
}

TEST_F(IoJobTest, QueueDepthIsKept) {
  for (unsigned depth : {1U, 3U, 8U}) {
    IoJob write = transfer(JobKind::write, 2, depth);
    write.queue_depth = depth;
    write.length = 2 * kMiB;
    write.block_bytes = 16 * 1024;
    std::optional<IoResult> result;
    run_io_job(*session_, write, [&result](IoResult done) { result = std::move(done); });
    std::size_t most_open = 0;
    ASSERT_TRUE(lab_.run_until([&] {
      most_open = std::max(most_open, session_->open_commands());
      return result.has_value();
    }));
    ASSERT_TRUE(result->ok) << result->error;
    EXPECT_EQ(most_open, depth);
  }
}

TEST_F(IoJobTest, BadJobsAreRefusedInASentence) {
  IoJob job = transfer(JobKind::write, 1, 1);
  job.offset = 100;
  EXPECT_NE(run(job).error.find("must be multiples of the 512-byte blocks of LUN 1"),
            std::string::npos);
  job = transfer(JobKind::verify, 1, std::nullopt);
  EXPECT_EQ(run(job).error, "a verify job needs a pattern");
  job = transfer(JobKind::read, 20000, std::nullopt);
  EXPECT_EQ(run(job).error, "LUN 20000 cannot be addressed (0 to 16383)");
}

TEST_F(IoJobTest, AMissingLunInWords) {
  // SPC-4 §6.6.2: INQUIRY answers for a LUN that is not there, with qualifier 011b.
  IoJob job = transfer(JobKind::inquiry, 9, std::nullopt);
  IoResult inquiry = run(job);
  ASSERT_TRUE(inquiry.ok) << inquiry.error;
  ASSERT_GE(inquiry.lines.size(), 5U);
  EXPECT_EQ(inquiry.lines[4],
            "peripheral qualifier: 3 (not capable of supporting a device on this logical unit)");
  job.kind = JobKind::read;
  const std::string error = run(job).error;
  EXPECT_EQ(error,
            "READ CAPACITY(16) on LUN 9 failed: status CHECK CONDITION, sense key ILLEGAL "
            "REQUEST, LOGICAL UNIT NOT SUPPORTED (ASC 0x25, ASCQ 0x00)");
}

}  // namespace
}  // namespace iscsi::initiator::io
