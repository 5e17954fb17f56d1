// Command batching (client/command_batch.hpp): the policy on its own, then the Client in the
// simulator keeping a queue of reads full, with the writes it makes counted: SCSI Commands
// share writes only while the target has enough of ours, held ones go out when the queue
// drains, and a short queue is never held.
#include "initiator-impl/client/command_batch.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "initiator-impl/client/cdb_builders.hpp"
#include "tests/initiator-impl/client/client_lab.hpp"

namespace iscsi::initiator::client::testing {
namespace {

TEST(CommandBatchTest, HoldsOnlyWhileTheTargetHasEnoughAndFillsUpToTheLimit) {
  CommandBatch batch({.max_commands_per_write = 3, .hold_while_at_target = 8});
  EXPECT_FALSE(batch.may_hold(7));
  EXPECT_TRUE(batch.may_hold(8));
  batch.add(Bytes{1, 2});
  batch.add(Bytes{3});
  EXPECT_FALSE(batch.full());
  batch.add(Bytes{4, 5});
  EXPECT_TRUE(batch.full());
  EXPECT_EQ(batch.count(), 3u);
  EXPECT_EQ(Bytes(batch.bytes().begin(), batch.bytes().end()), (Bytes{1, 2, 3, 4, 5}));
  batch.clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(batch.bytes().empty());
}

TEST(CommandBatchTest, OneCommandPerWriteNeverHolds) {
  const CommandBatch batch({.max_commands_per_write = 1, .hold_while_at_target = 0});
  EXPECT_FALSE(batch.may_hold(1000));
}

constexpr std::string_view kBatchingDisk = "iqn.2026-01.test.lab:batching";
constexpr std::uint32_t kBlocksPerRead = 8;

// Keeps `depth` reads of 4 KiB in flight on LUN 1 until `total` were issued, issuing the next
// from each completion as a benchmark does.
class ReadQueue {
 public:
  ReadQueue(Session& session, unsigned depth, unsigned total) : session_(session), total_(total) {
    for (unsigned i = 0; i < depth; ++i) issue();
  }
  bool finished() const { return completed_ == total_; }
  unsigned failed() const { return failed_; }

 private:
  void issue() {
    if (issued_ == total_) return;
    const std::uint64_t lba = std::uint64_t{issued_ % 64} * kBlocksPerRead;
    ++issued_;
    session_.submit(cdb::read_request(*pdu::Lun::from_number(1), lba, kBlocksPerRead, 512),
                    [this](const session::CommandCompleted& done) {
                      ++completed_;
                      if (done.failure || done.status != 0) ++failed_;
                      issue();
                    });
  }

  Session& session_;
  unsigned total_;
  unsigned issued_ = 0;
  unsigned completed_ = 0;
  unsigned failed_ = 0;
};

// Logs in with `batching`, clears the LUN's power-on unit attention, runs the queue and
// returns what was written while it ran.
CommandWrites run_queue(CommandBatchSettings batching, unsigned depth, unsigned total) {
  ClientLab lab;
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kBatchingDisk));
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M");
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
  LoginRequest request = lab.request(kBatchingDisk);
  request.connection.batching = batching;
  const LoginOutcome outcome = lab.login(std::move(request));
  EXPECT_TRUE(outcome.ok()) << outcome.describe();
  if (!outcome.ok()) return {};
  lab.command(*outcome.session,
              cdb::no_data_request(*pdu::Lun::from_number(1), cdb::test_unit_ready()));
  lab.client_network().reset();
  ReadQueue queue(*outcome.session, depth, total);
  EXPECT_TRUE(lab.run_until([&] { return queue.finished(); }));
  EXPECT_EQ(queue.failed(), 0u);
  return lab.client_network().command_writes();
}

TEST(ClientCommandBatching, ADeepQueueSharesWritesAndItsLastHeldCommandsStillGo) {
  // 99 = 8 sent one by one, then 22 full batches of 4, then 3 that only the queue draining
  // below 8 at the target sends (the run would not finish otherwise).
  const CommandWrites writes = run_queue({}, 24, 99);
  EXPECT_EQ(writes.commands, 99u);
  EXPECT_EQ(writes.most_in_one_write, CommandBatchSettings{}.max_commands_per_write);
  EXPECT_LT(writes.writes, 99u / 2);
}

TEST(ClientCommandBatching, OneCommandPerWriteWhenBatchingIsOff) {
  const CommandWrites writes = run_queue({.max_commands_per_write = 1}, 24, 99);
  EXPECT_EQ(writes.commands, 99u);
  EXPECT_EQ(writes.writes, 99u);
  EXPECT_EQ(writes.most_in_one_write, 1u);
}

TEST(ClientCommandBatching, AShortQueueIsNeverHeld) {
  const CommandWrites writes = run_queue({}, CommandBatchSettings{}.hold_while_at_target, 40);
  EXPECT_EQ(writes.commands, 40u);
  EXPECT_EQ(writes.most_in_one_write, 1u);
}

}  // namespace
}  // namespace iscsi::initiator::client::testing
