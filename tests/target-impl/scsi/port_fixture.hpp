#pragma once
// A GoogleTest fixture that runs SCSI commands through a real Port (make_port) on a FakeClock
// (which is also the TimerService) with in-memory backing stores, and hands back the
// CommandResult. Shared by the SPC tests here and the SBC tests in sbc/ (link
// iscsi_target_scsi_fixture).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/scsi/sense.hpp"
#include "target-impl/scsi/make_port.hpp"
#include "target-impl/scsi/port.hpp"
#include "target-impl/scsi/task.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::target::scsi::test {

inline constexpr std::uint32_t kTid = 1;
inline constexpr const char* kTargetName = "iqn.2001-04.com.example:storage.disk1";
inline constexpr NexusId kNexusA = 1;
inline constexpr NexusId kNexusB = 2;
// LunFlags{readonly, removable, thin_provisioning}.
inline constexpr LunFlags kReadonly{true, false, false};
inline constexpr LunFlags kRemovable{false, true, false};
inline constexpr LunFlags kThin{false, false, true};

class PortFixture : public ::testing::Test {
 protected:
  // A LUN on a MemoryBlockIo of `blocks` 512-byte blocks; the store is kept in stores_.
  LunSetup memory_lun(std::uint16_t lun, std::uint64_t blocks, LunFlags flags = {});
  // Builds port_ with these LUNs (replacing an earlier Port), and adds nexuses A and B with
  // their power-on unit attentions cleared unless `clear_attentions` is false.
  void build(std::vector<LunSetup> luns, bool clear_attentions = true);
  // LUN 1: 2048 blocks (1 MiB), no flags.
  void build_default() { build({memory_lun(1, 2048)}); }

  // Nexus `id` with initiator port name "iqn.1994-05.com.example:init<id>,i,0x23d0000000<id>".
  Nexus make_nexus(NexusId id) const;
  void add_nexus(NexusId id);

  // Runs one command and fires timers until it completes; fails the test when `done` ran from
  // inside execute(), twice, or never. expected_data_in_length defaults to 65536.
  CommandResult run(Command command);
  CommandResult run(std::uint16_t lun, Bytes cdb, NexusId nexus = kNexusA, Bytes data_out = {});
  // Sends TEST UNIT READY on every LUN until no unit attention is left for `nexus`.
  void clear_unit_attentions(NexusId nexus);

  iscsi::test::FakeClock clock_;
  std::unique_ptr<ConfigurablePort> port_;
  std::map<std::uint16_t, std::shared_ptr<iscsi::test::MemoryBlockIo>> stores_;
  std::vector<std::uint16_t> luns_;
};

// A 16-byte CDB buffer padded with zeros, as the iSCSI BHS carries it.
Bytes cdb16(std::initializer_list<std::uint8_t> bytes);

// Fixed-format sense data (SPC-4 §4.5.3) expected byte for byte: 70h, key, ASC/ASCQ, and the
// optional field pointer (SKSV, C/D, BPV, bit, byte).
Bytes expected_fixed_sense(iscsi::scsi::SenseKey key, iscsi::scsi::AdditionalSense code,
                           std::optional<iscsi::scsi::FieldPointer> field = std::nullopt,
                           std::optional<std::uint32_t> information = std::nullopt);
// CHECK CONDITION with exactly this fixed sense data.
void expect_check_condition(const CommandResult& result, iscsi::scsi::SenseKey key,
                            iscsi::scsi::AdditionalSense code,
                            std::optional<iscsi::scsi::FieldPointer> field = std::nullopt);
void expect_good(const CommandResult& result);

}  // namespace iscsi::target::scsi::test
