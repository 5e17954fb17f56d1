#include <fmt/format.h>

#include "scenarios/sim_world.hpp"

namespace iscsi::scenarios {
namespace {

bool on_hosts(sim::Fabric& fabric, const runtime::ConnectionKey& key, const sim::Host& a,
              const sim::Host& b) {
  const sim::Host* one = fabric.host_by_ipv4(key.initiator.ipv4);
  const sim::Host* two = fabric.host_by_ipv4(key.target.ipv4);
  return (one == &a && two == &b) || (one == &b && two == &a);
}

// The fault's effect, at the current virtual time. Hosts were checked when it was armed.
void apply_fault(SimWorld& world, const FaultStep& fault) {
  sim::Fabric& fabric = world.fabric();
  sim::Host* a = fault.between.size() == 2 ? world.host(fault.between[0]) : nullptr;
  sim::Host* b = fault.between.size() == 2 ? world.host(fault.between[1]) : nullptr;
  switch (fault.kind) {
    case FaultKind::stall:
      fabric.stall(*a, *b, fault.duration);
      return;
    case FaultKind::partition:
      fabric.partition(*a, *b);
      return;
    case FaultKind::heal:
      fabric.heal(*a, *b);
      return;
    case FaultKind::host_down:
    case FaultKind::host_up:
      fabric.set_host_up(*world.host(fault.host), fault.kind == FaultKind::host_up);
      return;
    case FaultKind::delay:
      fabric.delay_direction(*world.host(fault.from), *world.host(fault.to), fault.duration);
      return;
    case FaultKind::reset:
      for (const runtime::ConnectionKey& key : fabric.connections()) {
        if (on_hosts(fabric, key, *a, *b)) (void)fabric.reset(key);
      }
      return;
    case FaultKind::corrupt:  // only with `pdu:`, armed as a PDU fault
      return;
    case FaultKind::close_listener:
      (void)fabric.close_listener(*fault.portal);
      return;
  }
}

// Names of hosts the fault needs that the world does not have.
std::string missing_hosts(SimWorld& world, const FaultStep& fault) {
  std::vector<std::string> names = fault.between;
  switch (fault.kind) {
    case FaultKind::host_down:
    case FaultKind::host_up:
      names = {fault.host};
      break;
    case FaultKind::delay:
      names = {fault.from, fault.to};
      break;
    case FaultKind::close_listener:
      return fault.portal ? "" : "close_listener names no portal";
    case FaultKind::corrupt:
      return fault.pdu ? "" : "corrupt needs a pdu trigger";
    case FaultKind::stall:
    case FaultKind::partition:
    case FaultKind::heal:
    case FaultKind::reset:
      if (fault.kind == FaultKind::reset && fault.pdu) return {};
      if (names.size() != 2) return fmt::format("{} needs two hosts", to_string(fault.kind));
      break;
  }
  for (const std::string& name : names) {
    if (world.host(name) == nullptr) return fmt::format("fault names unknown host '{}'", name);
  }
  return {};
}

}  // namespace

std::string arm_fault(SimWorld& world, const FaultStep& fault) {
  std::string missing = missing_hosts(world, fault);
  if (!missing.empty()) return missing;
  if (fault.pdu) {
    world.fabric().add_pdu_fault(
        sim::PduFault{.action = fault.kind == FaultKind::corrupt ? sim::PduFaultAction::corrupt_byte
                                                                 : sim::PduFaultAction::reset_after,
                      .sender = fault.pdu->sender == PduSender::initiator ? runtime::Side::client
                                                                          : runtime::Side::server,
                      .opcode = fault.pdu->opcode,
                      .nth = fault.pdu->nth,
                      .byte = fault.byte,
                      .mask = fault.mask});
    return {};
  }
  sim::Simulator& simulator = world.simulator();
  runtime::TimePoint when = simulator.now();
  if (fault.at) when = world.started() + *fault.at;
  if (fault.after) when = simulator.now() + *fault.after;
  if (when <= simulator.now()) {
    apply_fault(world, fault);
  } else {
    simulator.post_at(when, [&world, fault] { apply_fault(world, fault); });
  }
  return {};
}

}  // namespace iscsi::scenarios
