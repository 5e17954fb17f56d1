// fault: steps, from the simulator's fault set (sim/fabric.hpp, sim/pdu_fault_plan.hpp).
#include <fmt/format.h>

#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

FaultKind kind_of(const YAML::Node& node, std::string_view what) {
  static constexpr FaultKind kinds[] = {
      FaultKind::stall,     FaultKind::partition, FaultKind::heal,
      FaultKind::host_down, FaultKind::host_up,   FaultKind::delay,
      FaultKind::reset,     FaultKind::corrupt,   FaultKind::close_listener};
  return kinds[choice(node, what,
                      {"stall", "partition", "heal", "host_down", "host_up", "delay", "reset",
                       "corrupt", "close_listener"})];
}

// The keys each kind takes; `kind` is in every list.
void check_fault_keys(const YAML::Node& node, FaultKind kind, std::string_view what) {
  switch (kind) {
    case FaultKind::stall:
      return check_keys(node, what, {"kind", "between", "duration", "at", "after"});
    case FaultKind::partition:
    case FaultKind::heal:
      return check_keys(node, what, {"kind", "between", "at", "after"});
    case FaultKind::host_down:
    case FaultKind::host_up:
      return check_keys(node, what, {"kind", "host", "at", "after"});
    case FaultKind::delay:
      return check_keys(node, what, {"kind", "from", "to", "duration", "at", "after"});
    case FaultKind::reset:
      return check_keys(node, what, {"kind", "between", "pdu", "at", "after"});
    case FaultKind::corrupt:
      return check_keys(node, what, {"kind", "pdu", "byte", "mask"});
    case FaultKind::close_listener:
      return check_keys(node, what, {"kind", "portal", "at", "after"});
  }
}

std::vector<std::string> two_hosts(const YAML::Node& node, const Scenario& scenario,
                                   std::string_view what) {
  expect_list(node, what);
  if (node.size() != 2) fail(node, fmt::format("expected two host names for {}", what));
  std::vector<std::string> hosts;
  for (const YAML::Node& item : node) hosts.push_back(known_host(item, scenario, what).name);
  if (hosts[0] == hosts[1]) fail(node, fmt::format("{} names the same host twice", what));
  return hosts;
}

PduTrigger load_trigger(const YAML::Node& node, std::string_view what) {
  check_keys(node, what, {"sender", "opcode", "nth"});
  require(node, "sender", what);
  PduTrigger trigger;
  trigger.sender =
      choice(node["sender"], fmt::format("'sender' of {}", what), {"initiator", "target"}) == 0
          ? PduSender::initiator
          : PduSender::target;
  if (node["opcode"]) {
    const YAML::Node& opcode = node["opcode"];
    bool any = opcode.IsScalar() && opcode.Scalar() == "any";
    trigger.opcode =
        any ? -1 : static_cast<int>(number(opcode, fmt::format("'opcode' of {}", what), 0x3f));
  }
  if (node["nth"]) {
    trigger.nth = static_cast<std::uint32_t>(
        number(node["nth"], fmt::format("'nth' of {}", what), UINT32_MAX));
    if (trigger.nth == 0) fail(node["nth"], fmt::format("'nth' of {} counts from 1", what));
  }
  return trigger;
}

void load_when(const YAML::Node& node, FaultStep& fault, std::string_view what) {
  if (node["at"] && node["after"])
    fail(node["after"], fmt::format("{} gives both 'at' and 'after'", what));
  if (node["at"]) fault.at = duration(node["at"], fmt::format("'at' of {}", what));
  if (node["after"]) fault.after = duration(node["after"], fmt::format("'after' of {}", what));
  if (node["pdu"]) {
    if (fault.at || fault.after)
      fail(node["pdu"], fmt::format("{} gives a time and a PDU: choose one", what));
    fault.pdu = load_trigger(node["pdu"], fmt::format("'pdu' of {}", what));
  }
}

}  // namespace

FaultStep load_fault(const YAML::Node& node, const Scenario& scenario, std::string_view what) {
  std::string fault_what = fmt::format("'fault' of {}", what);
  expect_map(node, fault_what);
  require(node, "kind", fault_what);
  FaultStep fault;
  fault.kind = kind_of(node["kind"], fmt::format("'kind' of {}", fault_what));
  check_fault_keys(node, fault.kind, fault_what);
  auto needs = [&](std::string_view key) {
    require(node, key, fmt::format("{} ({})", fault_what, to_string(fault.kind)));
  };
  if (fault.kind == FaultKind::stall || fault.kind == FaultKind::delay) needs("duration");
  if (fault.kind == FaultKind::partition || fault.kind == FaultKind::heal ||
      fault.kind == FaultKind::stall)
    needs("between");
  if (fault.kind == FaultKind::host_down || fault.kind == FaultKind::host_up) needs("host");
  if (fault.kind == FaultKind::delay) {
    needs("from");
    needs("to");
  }
  if (fault.kind == FaultKind::corrupt) {
    needs("pdu");
    needs("byte");
  }
  if (fault.kind == FaultKind::close_listener) needs("portal");
  if (fault.kind == FaultKind::reset && !node["between"] && !node["pdu"]) {
    fail(node, fmt::format("{} (reset) needs 'between' (two hosts) or 'pdu'", fault_what));
  }
  if (fault.kind == FaultKind::reset && node["between"] && node["pdu"]) {
    fail(node["pdu"], fmt::format("{} (reset) takes 'between' or 'pdu', not both", fault_what));
  }
  if (node["between"])
    fault.between =
        two_hosts(node["between"], scenario, fmt::format("'between' of {}", fault_what));
  if (node["host"])
    fault.host = known_host(node["host"], scenario, fmt::format("'host' of {}", fault_what)).name;
  if (node["from"])
    fault.from = known_host(node["from"], scenario, fmt::format("'from' of {}", fault_what)).name;
  if (node["to"])
    fault.to = known_host(node["to"], scenario, fmt::format("'to' of {}", fault_what)).name;
  if (node["duration"])
    fault.duration = duration(node["duration"], fmt::format("'duration' of {}", fault_what));
  if (node["portal"]) {
    runtime::Endpoint endpoint = portal(node["portal"], fmt::format("'portal' of {}", fault_what));
    bool known = false;
    for (const runtime::Endpoint& mine : scenario.target.portals) known = known || mine == endpoint;
    if (!known)
      fail(node["portal"],
           fmt::format("portal {} is not a portal of the target", endpoint.to_string()));
    fault.portal = endpoint;
  }
  if (node["byte"])
    fault.byte = static_cast<std::uint32_t>(
        number(node["byte"], fmt::format("'byte' of {}", fault_what), 16U << 20));
  if (node["mask"]) {
    fault.mask = static_cast<std::uint8_t>(
        number(node["mask"], fmt::format("'mask' of {}", fault_what), 0xff));
    if (fault.mask == 0)
      fail(node["mask"], fmt::format("'mask' of {} is zero: it would change nothing", fault_what));
  }
  load_when(node, fault, fault_what);
  return fault;
}

}  // namespace iscsi::scenarios::detail
