// Device state of one logical unit (logical_unit.hpp).
#include "target-impl/scsi/logical_unit.hpp"

#include <algorithm>
#include <utility>

namespace iscsi::target::scsi {

LogicalUnit::LogicalUnit(LogicalUnitSetup setup)
    : lun_(setup.lun),
      type_(setup.type),
      store_(std::move(setup.store)),
      block_count_(setup.size_bytes / kBlockSize),
      lbppbe_(std::min(setup.lbppbe, kMaxLbppbe)),
      sanitize_min_duration_(setup.sanitize_min_duration),
      flags_(setup.flags),
      identity_(std::move(setup.identity)),
      // A disk without a backing store behaves like an empty drive (make_port.hpp).
      medium_present_(type_ == DeviceType::controller || store_ != nullptr) {
  // SBC-3 §6.5.3: unmapping whole physical blocks is what frees storage.
  limits_.optimal_unmap_granularity = blocks_per_physical_block();
}

void LogicalUnit::begin_sanitize(std::uint64_t total_steps) {
  sanitize_ = SanitizeProgress{0, std::max<std::uint64_t>(total_steps, 1)};
}

void LogicalUnit::advance_sanitize(std::uint64_t done_steps) {
  if (sanitize_) sanitize_->done = std::min(done_steps, sanitize_->total);
}

std::uint16_t LogicalUnit::sanitize_progress() const {
  if (!sanitize_) return 0;
  // Steps are chunks of the LU (sbc/sanitize.cpp), far fewer than 2^48, so the shift cannot
  // overflow; done == total would give 65536, one past the field, hence the cap.
  const std::uint64_t scaled = (sanitize_->done << 16) / sanitize_->total;
  return static_cast<std::uint16_t>(std::min<std::uint64_t>(scaled, 0xffff));
}

void LogicalUnit::set_prevent(NexusId nexus, bool prevent) {
  if (prevent) {
    preventing_.insert(nexus);
  } else {
    preventing_.erase(nexus);
  }
}

void LogicalUnit::add_unit_attention(NexusId nexus, iscsi::scsi::AdditionalSense code) {
  auto& queue = unit_attentions_[nexus];
  // SPC-4 §5.14: a condition already pending need not be queued twice.
  if (std::find(queue.begin(), queue.end(), code) != queue.end()) return;
  if (queue.size() >= kMaxUnitAttentionsPerNexus) queue.pop_front();
  queue.push_back(code);
}

void LogicalUnit::add_unit_attention_all(iscsi::scsi::AdditionalSense code,
                                         std::optional<NexusId> except) {
  for (auto& [nexus, queue] : unit_attentions_) {
    (void)queue;
    if (except && *except == nexus) continue;
    add_unit_attention(nexus, code);
  }
}

std::optional<iscsi::scsi::AdditionalSense> LogicalUnit::peek_unit_attention(
    NexusId nexus) const {
  const auto it = unit_attentions_.find(nexus);
  if (it == unit_attentions_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::optional<iscsi::scsi::AdditionalSense> LogicalUnit::pop_unit_attention(NexusId nexus) {
  const auto it = unit_attentions_.find(nexus);
  if (it == unit_attentions_.end() || it->second.empty()) return std::nullopt;
  const auto code = it->second.front();
  it->second.pop_front();
  return code;
}

void LogicalUnit::drop_unit_attention(NexusId nexus, iscsi::scsi::AdditionalSense code) {
  const auto it = unit_attentions_.find(nexus);
  if (it == unit_attentions_.end()) return;
  auto& queue = it->second;
  queue.erase(std::remove(queue.begin(), queue.end(), code), queue.end());
}

void LogicalUnit::nexus_added(const Nexus& nexus) {
  nexuses_[nexus.id] = nexus;
  // SPC-4 §6.9 (and tgt): a new I_T nexus first sees POWER ON, RESET, OR BUS DEVICE RESET.
  auto& queue = unit_attentions_[nexus.id];
  queue.clear();
  queue.push_back(iscsi::scsi::asc::kPowerOnResetOrBusDeviceReset);
}

void LogicalUnit::nexus_removed(NexusId nexus) {
  nexuses_.erase(nexus);
  unit_attentions_.erase(nexus);
  preventing_.erase(nexus);
  // SPC-2 §5.5.1: an I_T nexus loss releases its RESERVE(6) reservation.
  if (reserve6_holder == nexus) reserve6_holder.reset();
}

std::vector<NexusId> LogicalUnit::nexuses_of(const std::string& initiator_port_name,
                                             std::uint16_t relative_target_port) const {
  std::vector<NexusId> out;
  for (const auto& [id, nexus] : nexuses_) {
    if (nexus.initiator_port_name == initiator_port_name &&
        nexus.relative_target_port == relative_target_port) {
      out.push_back(id);
    }
  }
  return out;
}

void LogicalUnit::add_unit_attention(const PrRegistration& registration,
                                     iscsi::scsi::AdditionalSense code) {
  for (const NexusId id :
       nexuses_of(registration.initiator_port_name, registration.relative_target_port)) {
    add_unit_attention(id, code);
  }
}

void LogicalUnit::reset() {
  control_ = ControlPage{};
  caching_ = CachingPage{};
  reserve6_holder.reset();
  preventing_.clear();
}

}  // namespace iscsi::target::scsi
