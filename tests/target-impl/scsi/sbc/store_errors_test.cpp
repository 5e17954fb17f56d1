// What the SBC handlers answer when the backing store fails, and that range locks are released
// on those paths; plus a thin LUN whose blocks start mapped (a file LUN).
#include <gtest/gtest.h>

#include "core/scsi/opcodes.hpp"
#include "tests/target-impl/scsi/sbc/sbc_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

// A store whose every operation fails (completing synchronously, which the Task tolerates).
class FailingStore final : public runtime::BlockIo {
 public:
  explicit FailingStore(std::uint64_t size) : size_(size) {}
  std::uint64_t size_bytes() const override { return size_; }
  void read(std::uint64_t, MutableByteView, runtime::IoCallback done) override { done(error()); }
  void write(std::uint64_t, ByteView, runtime::IoCallback done) override { done(error()); }
  void flush(runtime::IoCallback done) override { done(error()); }
  void unmap(std::uint64_t, std::uint64_t, runtime::IoCallback done) override { done(error()); }

 private:
  static Violation error() {
    static constexpr ViolationKind kIo{"blockio.io-error", "SBC-3 §4.16", Severity::recoverable};
    return Violation{kIo, "simulated I/O error"};
  }
  std::uint64_t size_;
};

class StoreErrorsTest : public SbcFixture {
 protected:
  void SetUp() override {
    LunFlags thin;
    thin.thin_provisioning = true;
    failing_ = backing::make_tracked_store(std::make_shared<FailingStore>(kBlocks * 512),
                                           backing::InitialAllocation::mapped);
    LunSetup setup;
    setup.lun = kThinLun;
    setup.store = failing_;
    setup.size_bytes = kBlocks * 512;
    setup.flags = thin;
    build({setup});
  }
  std::shared_ptr<backing::TrackedStore> failing_;
};

TEST_F(StoreErrorsTest, ReadErrorIsMediumErrorWithTheLba) {
  const CommandResult result = run(kThinLun, cdb10(op::kRead10, 0, 77, 1));
  EXPECT_EQ(result.status, kStatusCheckCondition);
  EXPECT_EQ(to_hex(result.sense),
            to_hex(expected_fixed_sense(SenseKey::medium_error, asc::kUnrecoveredReadError,
                                        std::nullopt, 77)));
}

TEST_F(StoreErrorsTest, WriteFlushAndUnmapErrorsAreWriteErrors) {
  const Bytes write_error =
      expected_fixed_sense(SenseKey::medium_error, asc::kWriteError, std::nullopt, 5);
  EXPECT_EQ(to_hex(run(kThinLun, cdb10(op::kWrite10, 0, 5, 1), kNexusA, Bytes(512, 1)).sense),
            to_hex(write_error));
  EXPECT_EQ(to_hex(run(kThinLun, cdb10(op::kWriteSame10, 0x08, 5, 1), kNexusA,
                       Bytes(512, 0)).sense),
            to_hex(write_error));
  const CommandResult sync = run(kThinLun, cdb10(op::kSynchronizeCache10, 0, 0, 0));
  EXPECT_EQ(sync.status, kStatusCheckCondition);
  ASSERT_GE(sync.sense.size(), 14u);
  EXPECT_EQ(sync.sense[12], 0x0c);
}

TEST_F(StoreErrorsTest, IndivisibleCommandsReleaseTheirLockOnFailure) {
  Bytes caw = cdb16({op::kCompareAndWrite});
  store_be64(&caw[2], 9);
  caw[13] = 1;
  const CommandResult failed = run(kThinLun, caw, kNexusA, Bytes(1024, 0));
  EXPECT_EQ(failed.status, kStatusCheckCondition);
  EXPECT_EQ(run(kThinLun, cdb16_rw(op::kOrWrite16, 0, 9, 1), kNexusA, Bytes(512, 0)).status,
            kStatusCheckCondition);
  EXPECT_EQ(failing_->locks().size(), 0u);
}

TEST_F(StoreErrorsTest, AFileLikeThinLunStartsMapped) {
  Bytes cdb = cdb16({op::kServiceActionIn16, static_cast<std::uint8_t>(sa::kGetLbaStatus)});
  store_be32(&cdb[10], 24);
  const CommandResult result = run(kThinLun, cdb);
  expect_good(result);
  ASSERT_EQ(result.data_in.size(), 24u);
  EXPECT_EQ(load_be32(&result.data_in[16]), kBlocks);
  EXPECT_EQ(result.data_in[20], 0);  // mapped
}

}  // namespace
}  // namespace iscsi::target::scsi::test
