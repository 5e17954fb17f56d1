#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "initiator-impl/io/io_job.hpp"
#include "scenarios/file_commands.hpp"
#include "scenarios/run_files.hpp"
#include "scenarios/run_step.hpp"

namespace iscsi::scenarios {
namespace {

bool is_discovery(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if ((args[i] == "-m" || args[i] == "--mode") && args[i + 1] == "discovery") return true;
  }
  return false;
}

// iscsiadm prints one "ADDRESS:PORT,TPGT IQN" line per discovered target and portal.
std::vector<std::string> discovered_targets(const std::string& out) {
  std::vector<std::string> names;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string portal;
    std::string name;
    if (!(words >> portal >> name) || portal.find(',') == std::string::npos) continue;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

void take_report(StepRun& run, const initiator::iscsiadm::Report& report, std::string error) {
  run.output.exit_code = report.exit_code;
  run.output.out = report.out;
  run.output.err = report.err;
  if (!error.empty()) run.errors.push_back("iscsiadm " + error);
}

// The same iscsiadm line on several initiators at once. The step's exit code is the largest
// of theirs (0 only when every one succeeded); stdout and stderr are theirs in `on` order.
void run_on_many(World& world, const std::vector<InitiatorNode*>& nodes,
                 const std::vector<std::string>& args, runtime::Duration limit, StepRun& run) {
  std::vector<initiator::iscsiadm::Report> reports(nodes.size());
  std::string error = world.iscsiadm_many(nodes, args, reports, limit);
  if (!error.empty()) run.errors.push_back("iscsiadm " + error);
  std::vector<std::string> names;
  for (const initiator::iscsiadm::Report& report : reports) {
    run.output.exit_code = std::max(run.output.exit_code, report.exit_code);
    run.output.out += report.out;
    run.output.err += report.err;
    for (std::string& name : discovered_targets(report.out)) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  if (is_discovery(args)) run.discovered = std::move(names);
}

void run_command(World& world, InitiatorNode* node, const RunStep& step, StepRun& run) {
  const std::vector<std::string> args = arguments_of(step.command);
  // Target-host lines: tgtadm, and truncate/dd that size a backing-store file.
  if (!step.command.words.empty() &&
      (step.command.words.front() == "tgtadm" || is_file_command(step.command.words.front()))) {
    ActionOutcome reply = world.tgtadm(step.command);
    run.output.exit_code = reply.exit_code;
    run.output.out = std::move(reply.out);
    run.output.err = std::move(reply.err);
    run.skipped = std::move(reply.skipped);
    if (!reply.error.empty()) run.errors.push_back(std::move(reply.error));
    return;
  }
  if (node == nullptr) {
    run.errors.emplace_back("no initiator to run the command on");
    return;
  }
  initiator::iscsiadm::Report report;
  std::string error = world.iscsiadm(*node, args, report, world.bound(StepBound::run));
  take_report(run, report, std::move(error));
  if (is_discovery(args)) run.discovered = discovered_targets(report.out);
}

initiator::io::JobKind job_kind(IoOpKind kind) {
  switch (kind) {
    case IoOpKind::write:
      return initiator::io::JobKind::write;
    case IoOpKind::read:
      return initiator::io::JobKind::read;
    case IoOpKind::verify:
      return initiator::io::JobKind::verify;
  }
  return initiator::io::JobKind::read;
}

// Runs one transfer on every LUN of the step at once (one IoJob each) until all have ended;
// the first error sentence, or "" when every one succeeded.
std::string run_op(World& world, initiator::client::Session& session, const IoStep& step,
                   const IoOp& op, bool& mismatch) {
  std::vector<std::shared_ptr<std::optional<initiator::io::IoResult>>> results;
  for (std::uint64_t lun : step.luns) {
    initiator::io::IoJob job;
    job.kind = job_kind(op.kind);
    job.lun = lun;
    job.offset = op.offset;
    job.length = op.bytes;
    job.block_bytes = step.block_bytes;
    job.queue_depth = step.queue_depth;
    if (op.kind != IoOpKind::read) job.pattern = initiator::io::Pattern{op.pattern};
    auto result = std::make_shared<std::optional<initiator::io::IoResult>>();
    results.push_back(result);
    initiator::io::run_io_job(
        session, job, [result](initiator::io::IoResult done) { *result = std::move(done); });
  }
  std::string error = world.run_until(
      [&results] {
        return std::all_of(results.begin(), results.end(),
                           [](const auto& result) { return result->has_value(); });
      },
      world.bound(StepBound::io));
  if (!error.empty()) return "io " + error;
  std::string failed;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if ((*results[i])->ok) continue;
    if (op.kind == IoOpKind::verify) mismatch = true;
    if (failed.empty()) failed = fmt::format("LUN {}: {}", step.luns[i], (*results[i])->error);
  }
  return failed;
}

void run_io(World& world, InitiatorNode* node, const IoStep& step, StepRun& run) {
  std::string error = node == nullptr ? "no initiator for the io step" : "";
  std::shared_ptr<initiator::client::Session> session;
  if (error.empty()) session = pick_session(*node, step.target, error);
  if (session == nullptr) {
    run.errors.push_back("io: " + error);
    return;
  }
  bool verified = true;
  bool any_verify = false;
  for (const IoOp& op : step.ops) {
    any_verify = any_verify || op.kind == IoOpKind::verify;
    bool mismatch = false;
    std::string failed = run_op(world, *session, step, op, mismatch);
    if (failed.empty()) continue;
    verified = false;
    run.output.err += failed + "\n";
    // A verify that read back other data is an outcome `data_verified: false` may expect.
    if (!mismatch) run.io_failures.push_back(failed);
  }
  if (any_verify) run.data_verified = verified;
}

void run_logout(World& world, InitiatorNode* node, const LogoutStep& step, StepRun& run) {
  if (node == nullptr) {
    run.errors.emplace_back("no initiator to log out");
    return;
  }
  std::vector<std::string> args = {"-m", "node", "-U", "all"};
  if (!step.target.empty()) args = {"-m", "node", "-T", step.target, "-u"};
  initiator::iscsiadm::Report report;
  std::string error = world.iscsiadm(*node, args, report, world.bound(StepBound::logout));
  take_report(run, report, std::move(error));
}

}  // namespace

std::shared_ptr<initiator::client::Session> pick_session(InitiatorNode& node,
                                                         const std::string& target,
                                                         std::string& error) {
  std::vector<int> sids;
  for (const auto& info : node.iscsi->sessions()) {
    if (target.empty() || info.target == target) sids.push_back(info.sid);
  }
  if (sids.size() != 1) {
    error = sids.empty() ? fmt::format("no session{}{}", target.empty() ? "" : " to ", target)
                         : fmt::format("{} sessions{}{}: name the target", sids.size(),
                                       target.empty() ? "" : " to ", target);
    return nullptr;
  }
  auto session = node.iscsi->session(sids.front());
  if (session == nullptr) error = fmt::format("session {} is not logged in", sids.front());
  return session;
}

InitiatorNode* initiator_of(World& world, const Scenario& scenario, const Step& step) {
  if (!step.on.empty()) return world.initiator(step.on);
  if (scenario.initiators.size() == 1) return world.initiator(scenario.initiators.front().name);
  return nullptr;
}

// A run or logout step with `on: [...]`: the iscsiadm line on every listed initiator at once.
StepRun execute_on_many(World& world, const Step& step) {
  StepRun run;
  std::vector<InitiatorNode*> nodes;
  for (const std::string& name : step.on_many) nodes.push_back(world.initiator(name));
  std::vector<std::string> args;
  runtime::Duration limit = world.bound(StepBound::run);
  if (const auto* command = std::get_if<RunStep>(&step.action)) {
    args = arguments_of(command->command);
  } else if (const auto* logout = std::get_if<LogoutStep>(&step.action)) {
    args = logout->target.empty()
               ? std::vector<std::string>{"-m", "node", "-U", "all"}
               : std::vector<std::string>{"-m", "node", "-T", logout->target, "-u"};
    limit = world.bound(StepBound::logout);
  }
  if (args.empty() || std::find(nodes.begin(), nodes.end(), nullptr) != nodes.end()) {
    run.errors.emplace_back("only iscsiadm lines and logouts run on several initiators");
    return run;
  }
  run_on_many(world, nodes, args, limit, run);
  run.output.session_logged_in = std::all_of(nodes.begin(), nodes.end(), [](InitiatorNode* node) {
    return !node->iscsi->sessions().empty();
  });
  return run;
}

StepRun execute_step(World& world, const Scenario& scenario, const Step& step) {
  if (!step.on_many.empty()) return execute_on_many(world, step);
  StepRun run;
  InitiatorNode* node = initiator_of(world, scenario, step);
  if (const auto* command = std::get_if<RunStep>(&step.action)) {
    run_command(world, node, *command, run);
  } else if (const auto* edit = std::get_if<ConfEditStep>(&step.action)) {
    std::string error = node == nullptr ? "no initiator to edit" : "";
    if (error.empty()) error = edit_iscsid_conf(node->files, edit->settings);
    if (!error.empty()) run.errors.push_back(error);
  } else if (const auto* io = std::get_if<IoStep>(&step.action)) {
    run_io(world, node, *io, run);
  } else if (const auto* raw = std::get_if<RawPduStep>(&step.action)) {
    run_raw_pdu(world, node, *raw, run);
  } else if (const auto* fault = std::get_if<FaultStep>(&step.action)) {
    ActionOutcome armed = world.fault(*fault);
    if (!armed.error.empty()) run.errors.push_back(std::move(armed.error));
    run.skipped = std::move(armed.skipped);
  } else if (const auto* wait = std::get_if<WaitStep>(&step.action)) {
    std::string error = world.run_for(wait->duration);
    if (!error.empty()) run.errors.push_back(error);
  } else if (const auto* logout = std::get_if<LogoutStep>(&step.action)) {
    run_logout(world, node, *logout, run);
  }
  if (node != nullptr) run.output.session_logged_in = !node->iscsi->sessions().empty();
  return run;
}

std::string_view kind_name(const StepAction& action) {
  static constexpr std::string_view names[] = {"run",   "iscsid.conf", "io",    "raw_pdu",
                                               "fault", "wait",        "logout"};
  return names[action.index()];
}

}  // namespace iscsi::scenarios
