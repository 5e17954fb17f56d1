#pragma once
// Builds the Port of one iSCSI target: LUN 0 as a controller (SPC commands only, as tgt) and
// the configured disk LUNs with SPC and SBC commands. Plain values only: target-impl/scsi does
// not depend on target-impl/config (the server translates config::LunConfig into LunSetup).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/runtime/block_io.hpp"
#include "core/runtime/timer_service.hpp"
#include "target-impl/scsi/logical_unit.hpp"
#include "target-impl/scsi/port.hpp"

namespace iscsi::target::scsi {

struct LunSetup {
  std::uint16_t lun = 1;  // 1..N; LUN 0 is always the controller and cannot be configured
  // Shared ownership: the Port and every Task in flight keep the store alive, so a BlockIo
  // completion that arrives after the Port is gone still finds it. Use a null store from
  // backing/ for tgt's bs_null; nullptr makes medium access fail with NOT READY, MEDIUM NOT
  // PRESENT.
  std::shared_ptr<runtime::BlockIo> store;
  std::uint64_t size_bytes = 0;
  LunFlags flags;
  // Vendor/product/revision default to tgt's "IET", "VIRTUAL-DISK", "0001"; an empty scsi_id
  // becomes "IET     %04x%04x" (tid, lun) and an empty scsi_sn "beaf%d%d" (tid, lun), as tgt.
  LunIdentity identity;
  // LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (tgtadm --params lbppbe=N), 0..kMaxLbppbe.
  std::uint8_t lbppbe = kDefaultLbppbe;
  // For a thin LUN: whether GET LBA STATUS starts out reporting every block deallocated. True
  // for a fresh RAM store (nothing was ever written); false for a file, whose contents are
  // data we must not claim are zeros (backing/allocation_tracker.hpp).
  bool initially_deallocated = false;
  // A SANITIZE lasts at least this long (tgtadm --params sanitize_ms=N, iscsim's own key).
  runtime::Duration sanitize_min_duration{0};
};

struct PortSetup {
  std::string target_name;
  std::uint32_t tid = 0;
  // Defers completions of synchronous handlers; must outlive the Port.
  runtime::TimerService* timers = nullptr;
  std::vector<LunSetup> luns;
};

// A Port whose disk LUNs can change while sessions use it (tgtadm logicalunit new/delete).
// The other logical units keep their state (reservations, mode pages, unit attentions).
class ConfigurablePort : public Port {
 public:
  // Adds a disk LUN; false when the number is 0, taken, or above 16383. Every known nexus sees
  // POWER ON, RESET, OR BUS DEVICE RESET OCCURRED on the new unit and REPORTED LUNS DATA HAS
  // CHANGED (3Fh/0Eh) on the others (SPC-4 §6.33, SAM-5 §5.14).
  virtual bool add_lun(LunSetup lun) = 0;
  // Removes a disk LUN; false when there is none (LUN 0 cannot go). Commands still running on
  // it finish; the remaining units report REPORTED LUNS DATA HAS CHANGED.
  virtual bool remove_lun(std::uint16_t lun) = 0;
};

// Never null. LUN numbers must be distinct and in 1..16383 (the caller validated them).
std::unique_ptr<ConfigurablePort> make_port(PortSetup setup);

}  // namespace iscsi::target::scsi
