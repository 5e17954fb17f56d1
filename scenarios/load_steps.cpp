// steps: the list of actions, each with its expectations.
#include <fmt/format.h>

#include <array>

#include "scenarios/file_commands.hpp"
#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

constexpr std::array<std::string_view, 7> kActions = {"run",   "iscsid.conf", "io",    "raw_pdu",
                                                      "fault", "wait",        "logout"};

// Which action key the step uses; exactly one is allowed.
std::string action_key(const YAML::Node& node, std::string_view what) {
  std::string found;
  for (std::string_view key : kActions) {
    if (!node[std::string(key)]) continue;
    if (!found.empty()) {
      fail(key_node(node, key),
           fmt::format("{} has two actions, '{}' and '{}' (one per step)", what, found, key));
    }
    found = std::string(key);
  }
  if (found.empty())
    fail(node, fmt::format("{} has no action (expected one of: run, iscsid.conf, io, raw_pdu, "
                           "fault, wait, logout)",
                           what));
  return found;
}

// The initiator a step acts on: `on:`, or the only one declared.
std::string initiator_of(const YAML::Node& node, const Scenario& scenario, std::string_view what) {
  if (node["on"]) {
    std::string name = text(node["on"], fmt::format("'on' of {}", what));
    if (scenario.initiator(name) != nullptr) return name;
    std::vector<std::string> names;
    for (const InitiatorSpec& initiator : scenario.initiators) names.push_back(initiator.name);
    fail(node["on"], fmt::format("unknown initiator '{}' for 'on' of {} (initiators: {})",
                                 name.substr(0, 60), what, join(names)));
  }
  if (scenario.initiators.size() == 1) return scenario.initiators.front().name;
  if (scenario.initiators.empty()) {
    fail(node, fmt::format("{} acts on an initiator, but the scenario declares none", what));
  }
  fail(node, fmt::format("{} needs 'on' to say which initiator acts (the scenario has {})", what,
                         scenario.initiators.size()));
}

// `on: [a, b]` or `on: all` (when no initiator is called "all"): several initiators that run
// the step at once. Empty when `on` names one initiator or is absent.
std::vector<std::string> initiators_of(const YAML::Node& node, const Scenario& scenario,
                                       std::string_view what) {
  const YAML::Node& on = node["on"];
  std::vector<std::string> names;
  if (!on) return names;
  if (on.IsScalar() && on.Scalar() == "all" && scenario.initiator("all") == nullptr) {
    if (scenario.initiators.empty()) {
      fail(on, fmt::format("{} acts on an initiator, but the scenario declares none", what));
    }
    for (const InitiatorSpec& initiator : scenario.initiators) names.push_back(initiator.name);
    return names;
  }
  if (!on.IsSequence()) return names;
  expect_list(on, fmt::format("'on' of {}", what));
  if (on.size() == 0) fail(on, fmt::format("'on' of {} lists no initiator", what));
  for (const YAML::Node& item : on) {
    std::string name = text(item, fmt::format("'on' of {}", what));
    if (scenario.initiator(name) == nullptr) {
      fail(item, fmt::format("unknown initiator '{}' for 'on' of {}", name.substr(0, 60), what));
    }
    for (const std::string& seen : names) {
      if (seen == name) fail(item, fmt::format("'on' of {} names '{}' twice", what, name));
    }
    names.push_back(std::move(name));
  }
  return names;
}

// The initiator (or initiators) of a step that may run on several at once.
void load_initiators(const YAML::Node& node, const Scenario& scenario, std::string_view what,
                     Step& step) {
  step.on_many = initiators_of(node, scenario, what);
  if (step.on_many.empty()) step.on = initiator_of(node, scenario, what);
}

void no_on(const YAML::Node& node, std::string_view what, std::string_view why) {
  if (node["on"]) fail(node["on"], fmt::format("{} {}: it takes no 'on'", what, why));
}

RunStep load_run(const YAML::Node& node, std::string_view what) {
  const YAML::Node& run = node["run"];
  std::string line = text(run, fmt::format("'run' of {}", what));
  RunStep step{command_line(run, line, position_of(run), fmt::format("'run' of {}", what))};
  const std::string& program = step.command.words[0];
  if (program != "iscsiadm" && program != "tgtadm" && !is_file_command(program)) {
    fail(run, fmt::format("expected an iscsiadm, tgtadm, truncate or dd command line for 'run' of "
                          "{}, got '{}'",
                          what, program.substr(0, 60)));
  }
  if (is_file_command(program)) {
    FileCommandParse parsed = parse_file_command(step.command.words);
    if (!parsed.command) fail(run, fmt::format("'run' of {}: {}", what, parsed.error));
  }
  return step;
}

ConfEditStep load_conf_edit(const YAML::Node& node, std::string_view what) {
  ConfEditStep step;
  std::string conf_what = fmt::format("'iscsid.conf' of {}", what);
  std::vector<std::string> keys = map_keys(node, conf_what);
  if (keys.empty()) fail(node, fmt::format("{} changes no setting", conf_what));
  std::size_t index = 0;
  for (auto it = node.begin(); it != node.end(); ++it, ++index) {
    step.settings[keys[index]] =
        it->second.IsNull()
            ? std::string()
            : text(it->second, fmt::format("'{}' in {}", keys[index].substr(0, 60), conf_what));
  }
  return step;
}

LogoutStep load_logout(const YAML::Node& node, std::string_view what) {
  if (node.IsNull()) return {};
  if (node.IsScalar()) {
    (void)choice(node, fmt::format("'logout' of {}", what), {"all"});
    return {};
  }
  check_keys(node, fmt::format("'logout' of {}", what), {"target"});
  return LogoutStep{text(node["target"], fmt::format("'target' of 'logout' of {}", what))};
}

void load_action(const YAML::Node& node, const std::string& key, const Scenario& scenario,
                 Step& step, std::string_view what) {
  const YAML::Node& value = node[key];
  if (key == "run") {
    RunStep run = load_run(node, what);
    if (run.command.words[0] == "tgtadm" || is_file_command(run.command.words[0])) {
      no_on(node, what, fmt::format("runs {} on the target's host", run.command.words[0]));
    } else {
      load_initiators(node, scenario, what, step);
    }
    step.action = std::move(run);
  } else if (key == "iscsid.conf") {
    step.on = initiator_of(node, scenario, what);
    step.action = load_conf_edit(value, what);
  } else if (key == "io") {
    step.on = initiator_of(node, scenario, what);
    step.action = load_io(value, scenario, what);
  } else if (key == "raw_pdu") {
    step.on = initiator_of(node, scenario, what);
    step.action = load_raw_pdu(value, what);
  } else if (key == "fault") {
    no_on(node, what, "is a fault of the network");
    step.action = load_fault(value, scenario, what);
  } else if (key == "wait") {
    no_on(node, what, "waits for every host");
    step.action = WaitStep{duration(value, fmt::format("'wait' of {}", what))};
  } else {
    load_initiators(node, scenario, what, step);
    step.action = load_logout(value, what);
  }
}

ExpectScope scope_of(const Step& step) {
  // A logout is an iscsiadm line too (`-m node -U all`): its exit code and output count.
  if (std::holds_alternative<RunStep>(step.action) ||
      std::holds_alternative<LogoutStep>(step.action)) {
    return ExpectScope::command;
  }
  if (std::holds_alternative<IoStep>(step.action)) return ExpectScope::io;
  if (std::holds_alternative<RawPduStep>(step.action)) return ExpectScope::pdu;
  return ExpectScope::other;
}

Step load_step(const YAML::Node& node, std::size_t index, const Scenario& scenario) {
  std::string what = fmt::format("step {}", index);
  check_keys(node, what,
             {"name", "on", "run", "iscsid.conf", "io", "raw_pdu", "fault", "wait", "logout",
              "expect", "expect_rfc", "expect_tgt"});
  Step step;
  step.index = index;
  step.at = position_of(node);
  if (node["name"]) step.name = text(node["name"], fmt::format("'name' of {}", what));
  load_action(node, action_key(node, what), scenario, step, what);
  ExpectScope scope = scope_of(step);
  if (node["expect"])
    step.expect = load_expect(node["expect"], scope, fmt::format("'expect' of {}", what));
  if (node["expect_rfc"]) {
    step.profile_expect[Profile::rfc] =
        load_expect(node["expect_rfc"], scope, fmt::format("'expect_rfc' of {}", what));
  }
  if (node["expect_tgt"]) {
    step.profile_expect[Profile::tgt] =
        load_expect(node["expect_tgt"], scope, fmt::format("'expect_tgt' of {}", what));
  }
  return step;
}

}  // namespace

void load_steps(const YAML::Node& node, Scenario& scenario) {
  if (!node.IsSequence()) expect_list(node, "'steps'");
  if (node.size() > max_steps) fail(node, fmt::format("more than {} steps", max_steps));
  if (node.size() == 0) fail(node, "'steps' lists no step");
  std::size_t index = 0;
  for (const YAML::Node& item : node) scenario.steps.push_back(load_step(item, ++index, scenario));
}

}  // namespace iscsi::scenarios::detail
