#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "initiator-impl/io/io_job.hpp"
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

void run_command(World& world, InitiatorNode* node, const RunStep& step, StepRun& run) {
  const std::vector<std::string> args = arguments_of(step.command);
  if (!step.command.words.empty() && step.command.words.front() == "tgtadm") {
    const auto reply = world.tgtadm().run(args);
    run.output.exit_code = reply.exit_code;
    run.output.out = reply.out;
    run.output.err = reply.err;
    return;
  }
  if (node == nullptr) {
    run.errors.emplace_back("no initiator to run the command on");
    return;
  }
  initiator::iscsiadm::Report report;
  std::string error = world.iscsiadm(*node, args, report, kRunStepLimit);
  take_report(run, report, std::move(error));
  if (is_discovery(args)) run.discovered = discovered_targets(report.out);
}

// The session an io step uses: the one to `target`, or the initiator's only session.
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

// Runs one transfer to its end; the first error sentence, or "" when it succeeded.
std::string run_op(World& world, initiator::client::Session& session, const IoStep& step,
                   const IoOp& op, bool& mismatch) {
  initiator::io::IoJob job;
  job.kind = job_kind(op.kind);
  job.lun = step.lun;
  job.offset = op.offset;
  job.length = op.bytes;
  job.block_bytes = step.block_bytes;
  job.queue_depth = step.queue_depth;
  if (op.kind != IoOpKind::read) job.pattern = initiator::io::Pattern{op.pattern};
  auto result = std::make_shared<std::optional<initiator::io::IoResult>>();
  initiator::io::run_io_job(session, job,
                            [result](initiator::io::IoResult done) { *result = std::move(done); });
  std::string error = world.run_until([&result] { return result->has_value(); }, kIoStepLimit);
  if (!error.empty()) return "io " + error;
  if ((*result)->ok) return {};
  if (op.kind == IoOpKind::verify) mismatch = true;
  return (*result)->error;
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
    if (!mismatch) run.errors.push_back(failed);
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
  std::string error = world.iscsiadm(*node, args, report, kLogoutStepLimit);
  take_report(run, report, std::move(error));
}

}  // namespace

InitiatorNode* initiator_of(World& world, const Scenario& scenario, const Step& step) {
  if (!step.on.empty()) return world.initiator(step.on);
  if (scenario.initiators.size() == 1) return world.initiator(scenario.initiators.front().name);
  return nullptr;
}

StepRun execute_step(World& world, const Scenario& scenario, const Step& step) {
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
  } else if (std::holds_alternative<RawPduStep>(step.action)) {
    run.errors.emplace_back("raw_pdu steps are not supported by this runner yet");
  } else if (const auto* fault = std::get_if<FaultStep>(&step.action)) {
    std::string error = arm_fault(world, *fault);
    if (!error.empty()) run.errors.push_back(error);
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
