// PERSISTENT RESERVE OUT (SPC-4 §6.15, §5.13.5-§5.13.11): REGISTER, REGISTER AND IGNORE
// EXISTING KEY, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT.
#include "core/scsi/opcodes.hpp"
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

namespace sa = iscsi::scsi::sa;

// SPC-4 §6.15.3: the basic parameter list is 24 bytes.
constexpr std::uint32_t kParameterListLength = 24;
constexpr std::uint8_t kSpecIPt = 0x08;
constexpr std::uint8_t kAllTgPt = 0x04;
constexpr std::uint8_t kAptpl = 0x01;

struct Request {
  std::uint16_t action = 0;
  std::uint8_t scope = 0;
  std::uint8_t type = 0;
  std::uint64_t key = 0;          // RESERVATION KEY
  std::uint64_t action_key = 0;   // SERVICE ACTION RESERVATION KEY
};

bool key_matches(const PrState& pr, const Nexus& nexus, std::uint64_t key) {
  const PrRegistration* registration = pr.find(nexus);
  return registration != nullptr && registration->key == key;
}

std::size_t index_of(const PrState& pr, const PrRegistration* registration) {
  return static_cast<std::size_t>(registration - pr.registrations.data());
}

// Removes a registration; a registrants-only reservation its holder leaves is released, and
// the other registrants learn of it (SPC-4 §5.13.11.2.2).
void unregister(LogicalUnit& lu, std::size_t index) {
  PrState& pr = lu.pr();
  const bool releases = pr.reserved() && !pr_type_is_all_registrants(*pr.type) &&
                        index == pr.holder && pr_type_admits_registrants(*pr.type);
  pr.remove(index);
  if (releases) {
    for (const auto& other : pr.registrations) lu.add_unit_attention(other, asc::kReservationsReleased);
  }
}

void do_register(const TaskPtr& task, const Request& request, bool ignore_key) {
  LogicalUnit& lu = task->lu();
  PrState& pr = lu.pr();
  PrRegistration* registration = pr.find(task->nexus());
  // SPC-4 §5.13.7: REGISTER must name the current key (0 when unregistered).
  if (!ignore_key && (registration ? registration->key : 0) != request.key) {
    task->complete_reservation_conflict();
    return;
  }
  if (request.action_key == 0) {
    if (registration != nullptr) {
      unregister(lu, index_of(pr, registration));
      ++pr.generation;
    }
  } else if (registration != nullptr) {
    registration->key = request.action_key;
    ++pr.generation;
  } else {
    if (pr.registrations.size() >= kMaxPrRegistrations) {
      task->complete_check_condition(SenseKey::illegal_request,
                                     asc::kInsufficientRegistrationResources);
      return;
    }
    const Nexus& nexus = task->nexus();
    pr.registrations.push_back({nexus.initiator_port_name, nexus.relative_target_port,
                                nexus.target_port_name, request.action_key});
    ++pr.generation;
  }
  task->complete_good();
}

void do_reserve(const TaskPtr& task, const Request& request, PrType type) {
  PrState& pr = task->lu().pr();
  const PrRegistration* registration = pr.find(task->nexus());
  if (registration == nullptr || registration->key != request.key) {
    task->complete_reservation_conflict();
    return;
  }
  if (pr.reserved()) {
    // SPC-4 §5.13.9: the holder may repeat its RESERVE with the same type; anything else
    // conflicts.
    if (pr.is_holder(task->nexus()) && *pr.type == type) {
      task->complete_good();
    } else {
      task->complete_reservation_conflict();
    }
    return;
  }
  pr.type = type;
  pr.holder = index_of(pr, registration);
  task->complete_good();
}

void do_release(const TaskPtr& task, const Request& request, std::optional<PrType> type) {
  LogicalUnit& lu = task->lu();
  PrState& pr = lu.pr();
  if (!key_matches(pr, task->nexus(), request.key)) {
    task->complete_reservation_conflict();
    return;
  }
  // SPC-4 §5.13.11.2.1: no reservation, or not its holder: GOOD, nothing happens.
  if (!pr.reserved() || !pr.is_holder(task->nexus())) {
    task->complete_good();
    return;
  }
  if (!type || *type != *pr.type || request.scope != 0) {
    task->complete_check_condition(SenseKey::illegal_request,
                                   asc::kInvalidReleaseOfPersistentReservation);
    return;
  }
  const bool tell_others = pr_type_admits_registrants(*pr.type);
  pr.type.reset();
  if (tell_others) {
    for (const auto& other : pr.registrations) {
      if (!(other.initiator_port_name == task->nexus().initiator_port_name &&
            other.relative_target_port == task->nexus().relative_target_port)) {
        lu.add_unit_attention(other, asc::kReservationsReleased);
      }
    }
  }
  task->complete_good();
}

void do_clear(const TaskPtr& task, const Request& request) {
  LogicalUnit& lu = task->lu();
  PrState& pr = lu.pr();
  if (!key_matches(pr, task->nexus(), request.key)) {
    task->complete_reservation_conflict();
    return;
  }
  // SPC-4 §5.13.11.2.6: every other registrant learns that its reservation is gone.
  const PrRegistration* self = pr.find(task->nexus());
  for (const auto& other : pr.registrations) {
    if (&other != self) lu.add_unit_attention(other, asc::kReservationsPreempted);
  }
  pr.clear();
  ++pr.generation;
  task->complete_good();
}

}  // namespace

void persistent_reserve_out(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const std::uint32_t length = load_be32(&cdb[5]);
  task->set_data_out_wanted(length);
  Request request;
  request.action = service_action_of(cdb);
  request.scope = cdb[2] >> 4;
  request.type = cdb[2] & 0x0f;
  // SPC-4 §6.15.1: without SPEC_I_PT the list is exactly 24 bytes.
  if (length != kParameterListLength || task->data_out().size() < kParameterListLength) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kParameterListLengthError);
    return;
  }
  const ByteView list = task->data_out();
  request.key = load_be64(&list[0]);
  request.action_key = load_be64(&list[8]);
  // Neither SPEC_I_PT, ALL_TG_PT nor APTPL is supported (REPORT CAPABILITIES says so).
  for (const std::uint8_t bit : {kSpecIPt, kAllTgPt, kAptpl}) {
    if ((list[20] & bit) != 0) {
      std::uint8_t position = 0;
      while ((bit >> position) != 1) ++position;
      task->fail_invalid_field_in_parameter_list(20, position);
      return;
    }
  }
  const auto type = pr_type_from_wire(request.type);
  const bool needs_type = request.action == sa::kReserve || request.action == sa::kPreempt ||
                          request.action == sa::kPreemptAndAbort;
  if (needs_type && (request.scope != 0 || !type)) {
    task->fail_invalid_field_in_cdb(2, request.scope != 0 ? 7 : 3);
    return;
  }
  switch (request.action) {
    case sa::kRegister: do_register(task, request, false); return;
    case sa::kRegisterAndIgnoreExistingKey: do_register(task, request, true); return;
    case sa::kReserve: do_reserve(task, request, *type); return;
    case sa::kRelease: do_release(task, request, type); return;
    case sa::kClear: do_clear(task, request); return;
    case sa::kPreempt:
    case sa::kPreemptAndAbort:
      persistent_reserve_out_preempt(task, request.key, request.action_key, *type);
      return;
    default: task->fail_invalid_field_in_cdb(1, 4); return;
  }
}

}  // namespace iscsi::target::scsi::spc
