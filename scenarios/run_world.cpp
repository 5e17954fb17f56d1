#include "scenarios/run_world.hpp"

#include <fmt/format.h>

#include "scenarios/run_files.hpp"

namespace iscsi::scenarios {

std::vector<std::string> arguments_of(const CommandLine& line) {
  if (line.words.empty()) return {};
  return {line.words.begin() + 1, line.words.end()};
}

std::string scenario_position(const Scenario& scenario, const SourcePos& at) {
  return fmt::format("{}:{}:{}", scenario.file, at.line, at.column);
}

InitiatorNode* World::initiator(std::string_view name) {
  for (InitiatorNode& node : initiators_) {
    if (node.spec->name == name) return &node;
  }
  return nullptr;
}

std::string World::prepare_initiator(InitiatorNode& node, const std::string& at,
                                     runtime::Duration limit) {
  const InitiatorSpec& spec = *node.spec;
  if (!spec.iscsid_conf.empty()) {
    std::string error = edit_iscsid_conf(node.files, spec.iscsid_conf);
    if (!error.empty()) return fmt::format("{}: {}", at, error);
  }
  // Ifaces are made the way a student makes them: `-o new`, then one `-o update` per key.
  std::vector<std::vector<std::string>> commands;
  for (const IfaceSpec& iface : spec.ifaces) {
    commands.push_back({"-m", "iface", "-I", iface.name, "-o", "new"});
    for (const auto& [key, value] : iface.settings) {
      commands.push_back({"-m", "iface", "-I", iface.name, "-o", "update", "-n", key, "-v", value});
    }
  }
  for (auto& args : commands) {
    initiator::iscsiadm::Report report;
    std::string error = iscsiadm(node, args, report, limit);
    if (error.empty() && report.exit_code != 0) error = report.err;
    if (!error.empty()) {
      return fmt::format("{}: setting up the ifaces of {} failed: {}", at, spec.name, error);
    }
  }
  return {};
}

std::string World::iscsiadm(InitiatorNode& node, std::vector<std::string> args,
                            initiator::iscsiadm::Report& report, runtime::Duration limit) {
  // Shared, so a command that outlives its step's bound writes into something still alive.
  struct Pending {
    bool finished = false;
    initiator::iscsiadm::Report report;
  };
  auto pending = std::make_shared<Pending>();
  node.iscsi->iscsiadm(map_arguments(std::move(args)),
                       [pending](initiator::iscsiadm::Report done) {
                         pending->report = std::move(done);
                         pending->finished = true;
                       });
  std::string error = run_until([&pending] { return pending->finished; }, limit);
  report = pending->report;
  map_report(report);
  return error;
}

std::string World::iscsiadm_many(const std::vector<InitiatorNode*>& nodes,
                                 const std::vector<std::string>& args,
                                 std::vector<initiator::iscsiadm::Report>& reports,
                                 runtime::Duration limit) {
  struct Pending {
    std::size_t finished = 0;
    std::vector<initiator::iscsiadm::Report> reports;
  };
  auto pending = std::make_shared<Pending>();
  pending->reports.resize(nodes.size());
  const std::vector<std::string> mapped = map_arguments(args);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    nodes[i]->iscsi->iscsiadm(mapped, [pending, i](initiator::iscsiadm::Report done) {
      pending->reports[i] = std::move(done);
      ++pending->finished;
    });
  }
  std::string error =
      run_until([&pending, &nodes] { return pending->finished == nodes.size(); }, limit);
  reports = pending->reports;
  for (initiator::iscsiadm::Report& report : reports) map_report(report);
  return error;
}

}  // namespace iscsi::scenarios
