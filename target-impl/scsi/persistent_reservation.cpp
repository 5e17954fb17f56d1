// Persistent reservation state (SPC-4 §5.13).
#include "target-impl/scsi/persistent_reservation.hpp"

namespace iscsi::target::scsi {

std::optional<PrType> pr_type_from_wire(std::uint8_t type) {
  switch (type) {
    case 0x1: return PrType::write_exclusive;
    case 0x3: return PrType::exclusive_access;
    case 0x5: return PrType::write_exclusive_registrants_only;
    case 0x6: return PrType::exclusive_access_registrants_only;
    case 0x7: return PrType::write_exclusive_all_registrants;
    case 0x8: return PrType::exclusive_access_all_registrants;
    default: return std::nullopt;
  }
}

bool pr_type_admits_registrants(PrType type) {
  switch (type) {
    case PrType::write_exclusive:
    case PrType::exclusive_access:
      return false;
    case PrType::write_exclusive_registrants_only:
    case PrType::exclusive_access_registrants_only:
    case PrType::write_exclusive_all_registrants:
    case PrType::exclusive_access_all_registrants:
      return true;
  }
  return false;
}

bool pr_type_is_all_registrants(PrType type) {
  return type == PrType::write_exclusive_all_registrants ||
         type == PrType::exclusive_access_all_registrants;
}

bool pr_type_is_exclusive_access(PrType type) {
  return type == PrType::exclusive_access || type == PrType::exclusive_access_registrants_only ||
         type == PrType::exclusive_access_all_registrants;
}

PrRegistration* PrState::find(const Nexus& nexus) {
  for (auto& registration : registrations) {
    if (registration.initiator_port_name == nexus.initiator_port_name &&
        registration.relative_target_port == nexus.relative_target_port) {
      return &registration;
    }
  }
  return nullptr;
}

const PrRegistration* PrState::find(const Nexus& nexus) const {
  return const_cast<PrState*>(this)->find(nexus);
}

bool PrState::is_holder(const Nexus& nexus) const {
  if (!type) return false;
  const PrRegistration* registration = find(nexus);
  if (registration == nullptr) return false;
  // SPC-4 §5.13.10: every registrant holds an all-registrants reservation.
  if (pr_type_is_all_registrants(*type)) return true;
  return registration == &registrations[holder];
}

void PrState::remove(std::size_t index) {
  if (index >= registrations.size()) return;
  if (type && !pr_type_is_all_registrants(*type) && index == holder) type.reset();
  registrations.erase(registrations.begin() + static_cast<std::ptrdiff_t>(index));
  if (type && !pr_type_is_all_registrants(*type) && holder > index) --holder;
  if (registrations.empty()) type.reset();
}

void PrState::clear() {
  registrations.clear();
  type.reset();
  holder = 0;
}

}  // namespace iscsi::target::scsi
