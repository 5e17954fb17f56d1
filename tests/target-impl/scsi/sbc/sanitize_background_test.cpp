// SANITIZE as a background operation (SBC-4 §4.11, §5.30) through the Port: the LU reports
// SANITIZE IN PROGRESS until the store's completions have walked the whole LU, also across
// resets and I_T nexus losses, and a destroyed Port stops the operation cleanly.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

constexpr std::uint16_t kLun = 1;
// 2048 blocks: OVERWRITE writes 8 chunks of 256 blocks, each completing 1 ms after it was
// issued, so the operation takes 8 ms of virtual time.
constexpr runtime::Duration kLatency = std::chrono::milliseconds(1);
constexpr std::uint64_t kChunks = kBlocks / 256;

class SanitizeBackgroundTest : public SbcFixture {
 protected:
  void SetUp() override { build_lun(runtime::Duration{0}); }

  void build_lun(runtime::Duration sanitize_min_duration) {
    auto sparse = backing::SparseMemoryStore::create(clock_, {kBlocks * 512, kLatency});
    ASSERT_TRUE(sparse.ok());
    auto store = backing::make_tracked_store(std::move(sparse).value(),
                                             backing::InitialAllocation::deallocated);
    store_ = store;
    LunSetup setup;
    setup.lun = kLun;
    setup.store = std::move(store);
    setup.size_bytes = kBlocks * 512;
    setup.flags = kThin;
    setup.sanitize_min_duration = sanitize_min_duration;
    build({std::move(setup)});
  }

  // Starts a command and returns the slot its result lands in (empty while it runs).
  std::shared_ptr<std::optional<CommandResult>> start(Bytes cdb, Bytes data_out = {},
                                                      NexusId nexus = kNexusA) {
    auto slot = std::make_shared<std::optional<CommandResult>>();
    Command command;
    command.nexus = nexus;
    command.lun = *pdu::Lun::from_number(kLun);
    command.cdb = std::move(cdb);
    command.expected_data_in_length = 65536;
    command.expected_data_out_length = static_cast<std::uint32_t>(data_out.size());
    command.data_out = std::move(data_out);
    port_->execute(std::move(command), [slot](CommandResult result) { *slot = std::move(result); });
    return slot;
  }

  CommandResult tur(NexusId nexus = kNexusA) {
    return run(kLun, cdb16({op::kTestUnitReady}), nexus);
  }

  // Runs a command that touches the store, letting virtual time pass until it completes.
  CommandResult run_timed(Bytes cdb, Bytes data_out = {}) {
    const auto slot = start(std::move(cdb), std::move(data_out));
    for (int i = 0; i < 100 && !slot->has_value(); ++i) clock_.advance_by(kLatency);
    EXPECT_TRUE(slot->has_value());
    return slot->value_or(CommandResult{});
  }
  void write_blocks(std::uint64_t lba, std::uint32_t blocks, std::uint8_t value) {
    expect_good(run_timed(cdb16_rw(op::kWrite16, 0, lba, blocks), Bytes(blocks * 512, value)));
  }
  Bytes read_blocks(std::uint64_t lba, std::uint32_t blocks) {
    const CommandResult result = run_timed(cdb16_rw(op::kRead16, 0, lba, blocks));
    expect_good(result);
    return result.data_in;
  }

  // The PROGRESS INDICATION of REQUEST SENSE's fixed-format answer (SPC-4 §4.5.2.4.4).
  std::uint16_t reported_progress() {
    const CommandResult sense = run(kLun, cdb16({op::kRequestSense, 0, 0, 0, 18}));
    expect_good(sense);
    EXPECT_EQ(sense.data_in.size(), 18u);
    if (sense.data_in.size() < 18) return 0;
    EXPECT_EQ(sense.data_in[2] & 0x0f, 0x02);  // NOT READY
    EXPECT_EQ(sense.data_in[12], 0x04);
    EXPECT_EQ(sense.data_in[13], 0x1b);
    EXPECT_EQ(sense.data_in[15], 0x80);  // SKSV
    return load_be16(&sense.data_in[16]);
  }

  std::weak_ptr<backing::TrackedStore> store_;
};

constexpr bool kImmed = true;

Bytes sanitize_cdb(std::uint16_t action, std::uint16_t list_length, bool immed = false) {
  Bytes cdb = cdb16({op::kSanitize, static_cast<std::uint8_t>(action)});
  if (immed) cdb[1] |= 0x80;
  store_be16(&cdb[7], list_length);
  return cdb;
}

Bytes overwrite_list(std::uint8_t value) {
  Bytes list(8, 0);
  list[0] = 0x01;  // one pass
  store_be16(&list[2], 4);
  for (std::size_t i = 4; i < 8; ++i) list[i] = value;
  return list;
}

void expect_sanitize_in_progress(const CommandResult& result) {
  ASSERT_EQ(result.status, kStatusCheckCondition);
  ASSERT_GE(result.sense.size(), 18u);
  EXPECT_EQ(result.sense[2] & 0x0f, 0x02);
  EXPECT_EQ(result.sense[12], 0x04);
  EXPECT_EQ(result.sense[13], 0x1b);
  EXPECT_EQ(result.sense[15], 0x80);  // the progress indication is valid
}

TEST_F(SanitizeBackgroundTest, ImmedAnswersAtOnceAndTheLuIsBusyUntilTheLastChunk) {
  write_blocks(100, 1, 0x11);
  expect_good(run(kLun, sanitize_cdb(sa::kSanitizeOverwrite, 8, kImmed), kNexusA,
                  overwrite_list(0xa5)));
  // Everything but INQUIRY, REPORT LUNS and REQUEST SENSE is refused, on every nexus.
  expect_sanitize_in_progress(tur());
  expect_sanitize_in_progress(tur(kNexusB));
  expect_sanitize_in_progress(run(kLun, cdb16_rw(op::kRead16, 0, 0, 1)));
  expect_sanitize_in_progress(run(kLun, cdb16({op::kStartStopUnit, 1, 0, 0, 0x02})));
  expect_sanitize_in_progress(run(kLun, sanitize_cdb(sa::kSanitizeBlockErase, 0)));
  expect_good(run(kLun, cdb16({op::kInquiry, 0, 0, 0, 96})));
  expect_good(run(kLun, cdb16({op::kReportLuns, 0, 0, 0, 0, 0, 0, 0, 1, 0})));
  EXPECT_EQ(reported_progress(), 0);

  clock_.advance_by(kLatency);  // the first chunk completes
  EXPECT_EQ(reported_progress(), 65536 / kChunks);
  clock_.advance_by(kLatency * (kChunks - 2));
  EXPECT_EQ(reported_progress(), 65536 / kChunks * (kChunks - 1));
  expect_sanitize_in_progress(tur());
  clock_.advance_by(kLatency);  // the last chunk completes
  expect_good(tur());
  const CommandResult sense = run(kLun, cdb16({op::kRequestSense, 0, 0, 0, 18}));
  EXPECT_EQ(sense.data_in[2] & 0x0f, 0x00);  // NO SENSE again
  EXPECT_EQ(read_blocks(100, 1), Bytes(512, 0xa5));
}

TEST_F(SanitizeBackgroundTest, WithoutImmedTheStatusWaitsForTheWholeOperation) {
  const auto sanitize = start(sanitize_cdb(sa::kSanitizeOverwrite, 8), overwrite_list(0x3c));
  clock_.advance_by(runtime::Duration{0});
  EXPECT_FALSE(sanitize->has_value());
  expect_sanitize_in_progress(tur(kNexusB));
  clock_.advance_by(kLatency * (kChunks - 1));
  EXPECT_FALSE(sanitize->has_value());
  clock_.advance_by(kLatency);
  ASSERT_TRUE(sanitize->has_value());
  expect_good(**sanitize);
  expect_good(tur());
  EXPECT_EQ(read_blocks(kBlocks - 1, 1), Bytes(512, 0x3c));
}

TEST_F(SanitizeBackgroundTest, ResetsAndNexusLossDoNotStopIt) {
  write_blocks(0, 8, 0x77);
  const auto sanitize = start(sanitize_cdb(sa::kSanitizeOverwrite, 8), overwrite_list(0x00));
  clock_.advance_by(kLatency);
  const pdu::Lun lun = *pdu::Lun::from_number(kLun);
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::abort_task_set, lun));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset, lun));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::target_warm_reset, lun));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::target_cold_reset, lun));
  port_->nexus_removed(kNexusA);
  constexpr NexusId kNexusC = 3;
  add_nexus(kNexusC);
  // The new nexus first sees its power-on unit attention, then the sanitize.
  const CommandResult attention = tur(kNexusC);
  ASSERT_EQ(attention.status, kStatusCheckCondition);
  EXPECT_EQ(attention.sense[2] & 0x0f, 0x06);
  expect_sanitize_in_progress(tur(kNexusC));
  clock_.advance_by(kLatency * kChunks);
  clear_unit_attentions(kNexusC);
  expect_good(tur(kNexusC));
  EXPECT_EQ(read_blocks(0, 8), Bytes(8 * 512, 0x00));
  EXPECT_TRUE(sanitize->has_value());  // answered (to the nexus that is gone)
}

TEST_F(SanitizeBackgroundTest, BlockEraseDeallocatesInTheBackground) {
  write_blocks(0, 16, 0x42);
  expect_good(run(kLun, sanitize_cdb(sa::kSanitizeBlockErase, 0, kImmed)));
  expect_sanitize_in_progress(tur());
  clock_.advance_by(kLatency);  // one unmap step covers the 2048 blocks
  expect_good(tur());
  EXPECT_FALSE(store_.lock()->tracker().run_at(0).mapped);
  EXPECT_EQ(read_blocks(0, 16), Bytes(16 * 512, 0x00));
}

TEST_F(SanitizeBackgroundTest, DestroyingThePortStopsTheOperationAndFreesTheStore) {
  const auto sanitize = start(sanitize_cdb(sa::kSanitizeOverwrite, 8, kImmed),
                              overwrite_list(0x01));
  clock_.advance_by(kLatency);
  ASSERT_TRUE(sanitize->has_value());
  port_.reset();
  // The chunk in flight completes, the job sees the Port gone and lets go of everything.
  clock_.advance_by(kLatency * kChunks);
  EXPECT_EQ(clock_.pending_timers(), 0u);
  EXPECT_TRUE(store_.expired());
}

// tgtadm --params sanitize_ms=N: the LU stays busy for N ms even when the store is done sooner,
// and only then answers the SANITIZE and serves commands again.
class SanitizeMinDurationTest : public SanitizeBackgroundTest {
 protected:
  static constexpr runtime::Duration kMinDuration = std::chrono::milliseconds(50);
  void SetUp() override { build_lun(kMinDuration); }
};

TEST_F(SanitizeMinDurationTest, TheLuStaysBusyUntilTheMinimumDurationHasPassed) {
  const auto sanitize = start(sanitize_cdb(sa::kSanitizeOverwrite, 8), overwrite_list(0x5a));
  clock_.advance_by(kLatency * kChunks);  // every chunk is written
  EXPECT_FALSE(sanitize->has_value());
  expect_sanitize_in_progress(tur());
  clock_.advance_by(kMinDuration - kLatency * kChunks - runtime::Duration{1});
  EXPECT_FALSE(sanitize->has_value());
  expect_sanitize_in_progress(tur(kNexusB));
  clock_.advance_by(runtime::Duration{1});
  ASSERT_TRUE(sanitize->has_value());
  expect_good(**sanitize);
  expect_good(tur());
  EXPECT_EQ(read_blocks(0, 1), Bytes(512, 0x5a));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
