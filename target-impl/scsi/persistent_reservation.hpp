#pragma once
// Persistent reservation state of one logical unit (SPC-4 §5.13). Registrations belong to an
// I_T nexus identity (initiator port name plus relative target port), not to a session, so
// they survive the session's end and a reconnect with the same ISID finds them again.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "target-impl/scsi/port.hpp"

namespace iscsi::target::scsi {

// SPC-4 §6.15.4, table 164 (the TYPE field).
enum class PrType : std::uint8_t {
  write_exclusive = 0x1,
  exclusive_access = 0x3,
  write_exclusive_registrants_only = 0x5,
  exclusive_access_registrants_only = 0x6,
  write_exclusive_all_registrants = 0x7,
  exclusive_access_all_registrants = 0x8,
};

std::optional<PrType> pr_type_from_wire(std::uint8_t type);
// Registrants-only and all-registrants types: every registrant may access the medium.
bool pr_type_admits_registrants(PrType type);
bool pr_type_is_all_registrants(PrType type);
bool pr_type_is_exclusive_access(PrType type);

struct PrRegistration {
  std::string initiator_port_name;
  std::uint16_t relative_target_port = 1;
  std::string target_port_name;
  std::uint64_t key = 0;
};

// A bound on registrations per logical unit; REGISTER beyond it fails with INSUFFICIENT
// REGISTRATION RESOURCES (SPC-4 §5.13.7).
inline constexpr std::size_t kMaxPrRegistrations = 256;

class PrState {
 public:
  // SPC-4 §6.14.2: PRgeneration counts REGISTER, REGISTER AND IGNORE, CLEAR, PREEMPT and
  // PREEMPT AND ABORT, not RESERVE or RELEASE.
  std::uint32_t generation = 0;
  std::vector<PrRegistration> registrations;
  // The reservation, when one exists. For the all-registrants types every registrant holds it
  // and `holder` is unused.
  std::optional<PrType> type;
  std::size_t holder = 0;  // index into registrations

  PrRegistration* find(const Nexus& nexus);
  const PrRegistration* find(const Nexus& nexus) const;
  bool is_registered(const Nexus& nexus) const { return find(nexus) != nullptr; }
  bool is_holder(const Nexus& nexus) const;
  bool reserved() const { return type.has_value(); }
  // Removes one registration, keeping `holder` valid; drops an ordinary reservation whose
  // holder goes away (an all-registrants reservation ends with its last registrant).
  void remove(std::size_t index);
  void clear();
};

}  // namespace iscsi::target::scsi
