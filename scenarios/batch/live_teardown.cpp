// Undoing a scenario's target block on a live target (scenarios/batch/live_teardown.hpp).
#include "scenarios/batch/live_teardown.hpp"

#include <fmt/format.h>

#include <chrono>
#include <variant>
#include <string_view>
#include <vector>

#include "reports/escape.hpp"
#include "scenarios/live_admin.hpp"

namespace iscsi::scenarios::batch {
namespace {

// The teardown of one scenario gets the same bound as one admin command of its setup.
constexpr auto kTeardownLimit = std::chrono::seconds(60);

// The value after `long_name` or `short_name` in a tgtadm line; empty when absent.
std::string option_value(const std::vector<std::string>& words, std::string_view long_name,
                         std::string_view short_name) {
  for (std::size_t i = 1; i + 1 < words.size(); ++i) {
    if (words[i] == long_name || words[i] == short_name) return words[i + 1];
  }
  return {};
}

// The target-side lines of a scenario in order: the target block, then its `run:` steps.
std::vector<const CommandLine*> target_lines(const Scenario& scenario) {
  std::vector<const CommandLine*> lines;
  for (const CommandLine& line : scenario.target.tgtadm) lines.push_back(&line);
  for (const Step& step : scenario.steps) {
    if (const auto* run = std::get_if<RunStep>(&step.action)) lines.push_back(&run->command);
  }
  return lines;
}

}  // namespace

std::vector<std::string> teardown_lines(const Scenario& scenario) {
  std::vector<std::string> targets;
  std::vector<std::string> accounts;
  for (const CommandLine* line : target_lines(scenario)) {
    if (line->words.empty() || line->words[0] != "tgtadm") continue;
    if (option_value(line->words, "--op", "-o") != "new") continue;
    const std::string mode = option_value(line->words, "--mode", "-m");
    const std::string tid = option_value(line->words, "--tid", "-t");
    const std::string user = option_value(line->words, "--user", "-u");
    if (mode == "target" && !tid.empty()) {
      targets.push_back("tgtadm --lld iscsi --mode target --op delete --force --tid " + tid);
    } else if (mode == "account" && !user.empty()) {
      accounts.push_back("tgtadm --lld iscsi --mode account --op delete --user " + user);
    }
  }
  // Targets first (newest first), so no account is still bound when it goes.
  std::vector<std::string> lines(targets.rbegin(), targets.rend());
  lines.insert(lines.end(), accounts.rbegin(), accounts.rend());
  return lines;
}

void tear_down_live_target(const Scenario& scenario, const LiveTarget& live,
                           reports::ScenarioReport& report) {
  if (live.admin_command.empty()) return;
  // One admin command per line: a target a step already deleted ("can't find") must not keep
  // the others in place for the next scenario.
  for (const std::string& line : teardown_lines(scenario)) {
    const AdminReply reply = run_admin_command(live.admin_command, line + "\n", kTeardownLimit);
    if (reply.exit_code == 0 && !reply.timed_out) continue;
    if (!reply.timed_out && reply.err.find("can't find") != std::string::npos) continue;
    report.notes.push_back(reports::one_line(
        fmt::format("teardown: the admin command failed on '{}' (exit {}{}): {}", line,
                    reply.exit_code, reply.timed_out ? ", timed out" : "", reply.err)));
  }
}

}  // namespace iscsi::scenarios::batch
