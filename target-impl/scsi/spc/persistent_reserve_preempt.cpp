// PERSISTENT RESERVE OUT with PREEMPT and PREEMPT AND ABORT (SPC-4 §5.13.11.4). The abort
// part needs nothing here: commands run to completion inside the Port, so by the time a
// PREEMPT AND ABORT runs the preempted nexuses have no tasks left on this logical unit.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

bool same_port(const PrRegistration& registration, const Nexus& nexus) {
  return registration.initiator_port_name == nexus.initiator_port_name &&
         registration.relative_target_port == nexus.relative_target_port;
}

// Removes every registration with `key` except the preempting nexus's own, tells the removed
// ones (REGISTRATIONS PREEMPTED), and returns how many went. The reservation is left for the
// caller, which re-establishes `holder` afterwards.
std::size_t remove_registrations(LogicalUnit& lu, const Nexus& self,
                                 std::optional<std::uint64_t> key) {
  PrState& pr = lu.pr();
  std::vector<PrRegistration> kept;
  std::size_t removed = 0;
  for (auto& registration : pr.registrations) {
    if (!same_port(registration, self) && (!key || registration.key == *key)) {
      lu.add_unit_attention(registration, asc::kRegistrationsPreempted);
      ++removed;
    } else {
      kept.push_back(std::move(registration));
    }
  }
  pr.registrations = std::move(kept);
  return removed;
}

std::size_t index_of(const PrState& pr, const Nexus& nexus) {
  for (std::size_t i = 0; i < pr.registrations.size(); ++i) {
    if (same_port(pr.registrations[i], nexus)) return i;
  }
  return 0;
}

// The reservation passes to the preempting nexus with the new type.
void take_reservation(LogicalUnit& lu, const Nexus& self, PrType type) {
  PrState& pr = lu.pr();
  const bool changed = !pr.type || *pr.type != type;
  pr.type = type;
  pr.holder = index_of(pr, self);
  // SPC-4 §5.13.11.4.3: registrants that keep their registration but see the type change
  // are told their reservation was released.
  if (!changed) return;
  for (const auto& registration : pr.registrations) {
    if (!same_port(registration, self)) lu.add_unit_attention(registration, asc::kReservationsReleased);
  }
}

}  // namespace

void persistent_reserve_out_preempt(const TaskPtr& task, std::uint64_t key,
                                    std::uint64_t action_key, PrType type) {
  LogicalUnit& lu = task->lu();
  PrState& pr = lu.pr();
  const Nexus& self = task->nexus();
  const PrRegistration* own = pr.find(self);
  if (own == nullptr || own->key != key) {
    task->complete_reservation_conflict();
    return;
  }
  const bool all_registrants = pr.reserved() && pr_type_is_all_registrants(*pr.type);
  const bool hits_holder = pr.reserved() && !all_registrants &&
                           pr.registrations[pr.holder].key == action_key;
  if (all_registrants && action_key == 0) {
    // SPC-4 §5.13.11.4.4: preempting an all-registrants reservation removes every other
    // registrant and makes the preempting nexus the holder.
    remove_registrations(lu, self, std::nullopt);
    take_reservation(lu, self, type);
  } else if (hits_holder) {
    remove_registrations(lu, self, action_key);
    take_reservation(lu, self, type);
  } else {
    // SPC-4 §5.13.11.4.2: without touching the reservation, only registrations go; a zero key
    // names nobody.
    if (action_key == 0) {
      task->fail_invalid_field_in_parameter_list(8);
      return;
    }
    // The holder's index may move when registrations before it go.
    std::optional<PrRegistration> holder;
    if (pr.reserved() && !all_registrants) holder = pr.registrations[pr.holder];
    if (remove_registrations(lu, self, action_key) == 0) {
      task->complete_reservation_conflict();
      return;
    }
    if (holder) {
      Nexus holder_nexus;
      holder_nexus.initiator_port_name = holder->initiator_port_name;
      holder_nexus.relative_target_port = holder->relative_target_port;
      pr.holder = index_of(pr, holder_nexus);
    }
    if (pr.registrations.empty()) pr.type.reset();
  }
  ++pr.generation;
  task->complete_good();
}

}  // namespace iscsi::target::scsi::spc
