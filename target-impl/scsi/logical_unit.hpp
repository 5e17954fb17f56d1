#pragma once
// One logical unit of a Port (SAM-5 §4.6.19): LUN 0, the controller that tgt also exposes, or a
// disk LUN 1..N on a runtime::BlockIo backing store. It holds the device state that outlives a
// command: geometry, flags, mode page values, unit attentions per I_T nexus, the RESERVE(6)
// holder and the persistent reservations. Handlers reach it through Task::lu().
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/runtime/block_io.hpp"
#include "core/runtime/clock.hpp"
#include "core/scsi/sense.hpp"
#include "target-impl/scsi/persistent_reservation.hpp"
#include "target-impl/scsi/port.hpp"

namespace iscsi::target::scsi {

// tgt's LUN flags (tgtadm --params), as plain values: target-impl/scsi does not depend on
// target-impl/config.
struct LunFlags {
  bool readonly = false;
  bool removable = false;
  bool thin_provisioning = false;
};

// INQUIRY identity (SPC-4 §6.6.2 and VPD pages 80h/83h). make_port fills empty scsi_id and
// scsi_sn with tgt's defaults.
struct LunIdentity {
  std::string vendor = "IET";            // T10 VENDOR IDENTIFICATION, 8 bytes space padded
  std::string product = "VIRTUAL-DISK";  // PRODUCT IDENTIFICATION, 16 bytes
  std::string revision = "0001";         // PRODUCT REVISION LEVEL, 4 bytes
  std::string scsi_id;                   // VPD 83h T10 vendor ID designator
  std::string scsi_sn;                   // VPD 80h unit serial number
};

// SBC-3 §6.5.3 Block Limits VPD page values; the SBC handlers enforce the same limits.
struct BlockLimits {
  // MAXIMUM TRANSFER LENGTH: 32 MiB of 512-byte blocks, the session engine's largest write
  // (kMaxWriteTransferLength); libiscsi requires a non-zero value at least the atomic maximum.
  std::uint32_t max_transfer_length_blocks = 65536;
  std::uint32_t optimal_transfer_length_blocks = 128;
  // 512 MiB of 512-byte blocks per UNMAP; libiscsi's Inquiry.BlockLimits calls more than 1M
  // blocks insane.
  std::uint32_t max_unmap_lba_count = 0x100000;
  std::uint32_t max_unmap_descriptor_count = 256;
  // One physical block: LogicalUnit sets it to 2^LBPPBE.
  std::uint32_t optimal_unmap_granularity = 8;
  std::uint8_t max_compare_and_write_length = 255;
  std::uint64_t max_write_same_length = 0x400000;
  // 512 KiB: WRITE ATOMIC 16 runs under an exclusive range lock; libiscsi's WriteAtomic16
  // tests write up to 256 blocks and need it at most MAXIMUM TRANSFER LENGTH.
  std::uint32_t max_atomic_transfer_length = 1024;
};

// SPC-4 §7.5.8 Control mode page (0Ah), the fields a MODE SELECT may change.
struct ControlPage {
  bool d_sense = false;  // descriptor-format sense data
  bool swp = false;      // software write protect: writes fail with DATA PROTECT
};

// SBC-3 §6.4.5 Caching mode page (08h).
struct CachingPage {
  bool wce = true;  // write cache enable (writes complete before the store flushes)
  bool rcd = false;
};

// The logical unit's device type as INQUIRY reports it (SPC-4 §6.6.2, PERIPHERAL DEVICE TYPE).
enum class DeviceType : std::uint8_t { disk = 0x00, controller = 0x0c };

// LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (SBC-3 §5.16.2, a 4-bit field): 3 by default,
// 512-byte logical blocks in 4096-byte physical blocks; tgtadm's --params lbppbe=N sets it.
inline constexpr std::uint8_t kDefaultLbppbe = 3;
inline constexpr std::uint8_t kMaxLbppbe = 15;

// A background sanitize operation (SBC-4 §4.11): how far it got, in the job's own steps.
struct SanitizeProgress {
  std::uint64_t done = 0;
  std::uint64_t total = 1;
};

struct LogicalUnitSetup {
  std::uint16_t lun = 0;
  DeviceType type = DeviceType::disk;
  // Shared: a Task holds the unit (and so the store) alive until its BlockIo callbacks ran,
  // even when the Port is destroyed first. nullptr for LUN 0 and for a LUN without storage.
  std::shared_ptr<runtime::BlockIo> store;
  std::uint64_t size_bytes = 0;  // capacity; block_count() = size_bytes / block size
  LunFlags flags;
  LunIdentity identity;
  std::uint8_t lbppbe = kDefaultLbppbe;  // at most kMaxLbppbe (larger values are clamped)
  // The shortest time a SANITIZE takes (0: as fast as the store allows), so that a fast store
  // can still be watched sanitizing.
  runtime::Duration sanitize_min_duration{0};
};

// Pending unit attentions per nexus are bounded (SPC-4 §5.14 allows merging): beyond this the
// oldest ones are dropped, and a repeated condition is queued once.
inline constexpr std::size_t kMaxUnitAttentionsPerNexus = 16;

class LogicalUnit {
 public:
  explicit LogicalUnit(LogicalUnitSetup setup);

  std::uint16_t lun() const { return lun_; }
  DeviceType type() const { return type_; }
  bool is_controller() const { return type_ == DeviceType::controller; }
  const LunFlags& flags() const { return flags_; }
  const LunIdentity& identity() const { return identity_; }
  const BlockLimits& limits() const { return limits_; }

  // Geometry (SBC-3 §6.4.1): 512-byte logical blocks, 2^lbppbe() per physical block (8 by
  // default: 4096-byte physical blocks).
  static constexpr std::uint32_t kBlockSize = 512;
  std::uint32_t block_size() const { return kBlockSize; }
  std::uint8_t lbppbe() const { return lbppbe_; }
  std::uint32_t blocks_per_physical_block() const { return 1u << lbppbe_; }
  std::uint64_t block_count() const { return block_count_; }
  // Never null for a disk while medium_present(): the Port answers MEDIUM NOT PRESENT to
  // commands flagged needs_medium otherwise.
  runtime::BlockIo* store() const { return store_.get(); }

  // readonly LUN or the control page's SWP bit (SPC-4 §7.5.8).
  bool write_protected() const { return flags_.readonly || control_.swp; }
  bool thin() const { return flags_.thin_provisioning; }
  bool removable() const { return flags_.removable; }
  bool medium_present() const { return medium_present_; }
  // Loading needs a backing store: a disk without one stays empty.
  void set_medium_present(bool present) {
    medium_present_ = present && (is_controller() || store_ != nullptr);
  }

  // PREVENT ALLOW MEDIUM REMOVAL (SPC-4 §6.13: per I_T nexus; removal is prevented while any
  // nexus prevents it).
  void set_prevent(NexusId nexus, bool prevent);
  bool removal_prevented() const { return !preventing_.empty(); }

  ControlPage& control() { return control_; }
  const ControlPage& control() const { return control_; }
  CachingPage& caching() { return caching_; }
  const CachingPage& caching() const { return caching_; }
  // The sense data format the control page selects (D_SENSE, SPC-4 §7.5.8).
  iscsi::scsi::SenseFormat sense_format() const {
    return control_.d_sense ? iscsi::scsi::SenseFormat::descriptor
                            : iscsi::scsi::SenseFormat::fixed;
  }

  // Unit attention conditions (SPC-4 §5.14, SAM-5 §5.14), one queue per I_T nexus. A nexus
  // without a queue has none pending.
  void add_unit_attention(NexusId nexus, iscsi::scsi::AdditionalSense code);
  // Queues `code` for every known nexus except `except` (std::nullopt: for all of them).
  void add_unit_attention_all(iscsi::scsi::AdditionalSense code,
                              std::optional<NexusId> except = std::nullopt);
  std::optional<iscsi::scsi::AdditionalSense> peek_unit_attention(NexusId nexus) const;
  std::optional<iscsi::scsi::AdditionalSense> pop_unit_attention(NexusId nexus);
  // Drops a pending condition with this code (REPORT LUNS clears 3Fh/0Eh, SPC-4 §6.33).
  void drop_unit_attention(NexusId nexus, iscsi::scsi::AdditionalSense code);
  void nexus_added(const Nexus& nexus);
  void nexus_removed(NexusId nexus);
  // The live nexuses of one I_T nexus identity (persistent reservations name initiator ports,
  // and their unit attentions go to the sessions of that port).
  std::vector<NexusId> nexuses_of(const std::string& initiator_port_name,
                                  std::uint16_t relative_target_port) const;
  // Queues `code` for the live nexuses of a registration.
  void add_unit_attention(const PrRegistration& registration, iscsi::scsi::AdditionalSense code);
  // Resets the device state a LOGICAL UNIT RESET or target reset restores (SAM-5 §6.3.3):
  // mode pages to their defaults, RESERVE(6) released, medium removal allowed. Persistent
  // reservations survive (SPC-4 §5.13.1).
  void reset();

  // RESERVE(6)/RELEASE(6) (SPC-2 §5.5.1): the holding nexus, if any.
  std::optional<NexusId> reserve6_holder;

  PrState& pr() { return pr_; }
  const PrState& pr() const { return pr_; }

  // SBC-4 §4.11: while a sanitize operation runs, the device server answers most commands
  // with NOT READY, LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS. The operation outlives
  // resets and I_T nexus losses, so reset() and nexus_removed() leave it alone.
  bool sanitize_in_progress() const { return sanitize_.has_value(); }
  runtime::Duration sanitize_min_duration() const { return sanitize_min_duration_; }
  void begin_sanitize(std::uint64_t total_steps);
  void advance_sanitize(std::uint64_t done_steps);
  void end_sanitize() { sanitize_.reset(); }
  // PROGRESS INDICATION (SPC-4 §4.5.2.4.4): the fraction done, as a numerator over 65536.
  std::uint16_t sanitize_progress() const;

 private:
  std::uint16_t lun_;
  DeviceType type_;
  std::shared_ptr<runtime::BlockIo> store_;
  std::uint64_t block_count_;
  std::uint8_t lbppbe_;
  runtime::Duration sanitize_min_duration_;
  LunFlags flags_;
  LunIdentity identity_;
  BlockLimits limits_{};
  bool medium_present_;
  std::set<NexusId> preventing_;
  ControlPage control_{};
  CachingPage caching_{};
  std::map<NexusId, std::deque<iscsi::scsi::AdditionalSense>> unit_attentions_;
  std::map<NexusId, Nexus> nexuses_;
  PrState pr_;
  std::optional<SanitizeProgress> sanitize_;
};

}  // namespace iscsi::target::scsi
