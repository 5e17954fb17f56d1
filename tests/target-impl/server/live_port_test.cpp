#include "target-impl/server/live_port.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace iscsi::target::server {
namespace {

// A Port that records calls and completes commands only when the test says so.
class FakePort final : public scsi::Port {
 public:
  explicit FakePort(std::vector<std::uint16_t> luns) : luns_(std::move(luns)) {}
  void execute(scsi::Command command, scsi::CommandDone done) override {
    commands.push_back(command.tag);
    pending.push_back(std::move(done));
  }
  void nexus_added(const scsi::Nexus& nexus) override { added.push_back(nexus.id); }
  void nexus_removed(scsi::NexusId nexus) override { removed.push_back(nexus); }
  bool task_management(scsi::NexusId, scsi::TaskManagement, pdu::Lun lun) override {
    ++task_management_calls;
    return has_lun(lun);
  }
  bool has_lun(pdu::Lun lun) const override {
    const auto number = lun.to_number();
    if (!number) return false;
    if (*number == 0) return true;
    for (std::uint16_t own : luns_) {
      if (own == *number) return true;
    }
    return false;
  }
  void complete_all() {
    auto done = std::move(pending);
    pending.clear();
    for (auto& callback : done) callback(scsi::CommandResult{});
  }

  std::vector<std::uint32_t> commands;
  std::vector<scsi::CommandDone> pending;
  std::vector<scsi::NexusId> added;
  std::vector<scsi::NexusId> removed;
  int task_management_calls = 0;

 private:
  std::vector<std::uint16_t> luns_;
};

scsi::Nexus nexus(scsi::NexusId id) {
  scsi::Nexus value;
  value.id = id;
  return value;
}

scsi::Command command(std::uint32_t tag) {
  scsi::Command c;
  c.tag = tag;
  c.lun = *pdu::Lun::from_number(1);
  return c;
}

TEST(LivePort, ReplacementSendsNewCommandsToTheNewPortAndFinishesOldOnes) {
  auto first_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1});
  FakePort* first = first_owned.get();
  LivePort port(std::move(first_owned));
  port.nexus_added(nexus(5));
  int completions = 0;
  port.execute(command(1), [&completions](scsi::CommandResult) { ++completions; });

  auto second_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1, 2});
  FakePort* second = second_owned.get();
  port.replace(std::move(second_owned));
  EXPECT_EQ(second->added, std::vector<scsi::NexusId>{5});  // known nexuses carried over
  EXPECT_EQ(port.retired_ports(), 1u);                      // a command still runs there
  EXPECT_TRUE(port.has_lun(*pdu::Lun::from_number(2)));

  port.execute(command(2), [&completions](scsi::CommandResult) { ++completions; });
  EXPECT_EQ(first->commands, std::vector<std::uint32_t>{1});
  EXPECT_EQ(second->commands, std::vector<std::uint32_t>{2});
  first->complete_all();
  second->complete_all();
  EXPECT_EQ(completions, 2);

  // The idle retired Port goes at the next change.
  port.replace(std::make_unique<FakePort>(std::vector<std::uint16_t>{1}));
  EXPECT_EQ(port.retired_ports(), 0u);
}

TEST(LivePort, RemovedNexusesReachRetiredPortsToo) {
  auto first_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1});
  FakePort* first = first_owned.get();
  LivePort port(std::move(first_owned));
  port.nexus_added(nexus(9));
  port.execute(command(1), [](scsi::CommandResult) {});
  auto second_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1});
  FakePort* second = second_owned.get();
  port.replace(std::move(second_owned));
  port.nexus_removed(9);
  EXPECT_EQ(first->removed, std::vector<scsi::NexusId>{9});
  EXPECT_EQ(second->removed, std::vector<scsi::NexusId>{9});
  // A later replacement does not re-add a removed nexus.
  auto third_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1});
  FakePort* third = third_owned.get();
  port.replace(std::move(third_owned));
  EXPECT_TRUE(third->added.empty());
  first->complete_all();
}

TEST(LivePort, TaskManagementAnswersFromTheCurrentPort) {
  auto first_owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1, 2});
  FakePort* first = first_owned.get();
  LivePort port(std::move(first_owned));
  port.execute(command(1), [](scsi::CommandResult) {});
  port.replace(std::make_unique<FakePort>(std::vector<std::uint16_t>{1}));
  // LUN 2 is gone from the current Port; the retired one still sees the function.
  EXPECT_FALSE(port.task_management(1, scsi::TaskManagement::logical_unit_reset,
                                    *pdu::Lun::from_number(2)));
  EXPECT_EQ(first->task_management_calls, 1);
  first->complete_all();
}

TEST(LivePort, ACompletionAfterThePortIsGoneStillRuns) {
  auto owned = std::make_unique<FakePort>(std::vector<std::uint16_t>{1});
  FakePort* fake = owned.get();
  std::vector<scsi::CommandDone> stolen;
  int completions = 0;
  {
    LivePort port(std::move(owned));
    port.execute(command(1), [&completions](scsi::CommandResult) { ++completions; });
    stolen = std::move(fake->pending);  // the callback outlives the Port
  }
  for (auto& done : stolen) done(scsi::CommandResult{});
  EXPECT_EQ(completions, 1);
}

}  // namespace
}  // namespace iscsi::target::server
