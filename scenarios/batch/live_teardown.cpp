// Undoing a scenario's target block on a live target (scenarios/batch/live_teardown.hpp).
#include "scenarios/batch/live_teardown.hpp"

#include <fmt/format.h>

#include <chrono>
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

}  // namespace

std::string teardown_lines(const Scenario& scenario) {
  std::vector<std::string> lines;
  for (const CommandLine& line : scenario.target.tgtadm) {
    if (option_value(line.words, "--op", "-o") != "new") continue;
    const std::string mode = option_value(line.words, "--mode", "-m");
    if (mode == "target") {
      const std::string tid = option_value(line.words, "--tid", "-t");
      if (!tid.empty()) {
        lines.push_back("tgtadm --lld iscsi --mode target --op delete --force --tid " + tid);
      }
    } else if (mode == "account") {
      const std::string user = option_value(line.words, "--user", "-u");
      if (!user.empty()) {
        lines.push_back("tgtadm --lld iscsi --mode account --op delete --user " + user);
      }
    }
  }
  std::string text;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) text += *it + "\n";
  return text;
}

void tear_down_live_target(const Scenario& scenario, const LiveTarget& live,
                           reports::ScenarioReport& report) {
  if (live.admin_command.empty()) return;
  const std::string lines = teardown_lines(scenario);
  if (lines.empty()) return;
  const AdminReply reply = run_admin_command(live.admin_command, lines, kTeardownLimit);
  if (reply.exit_code == 0 && !reply.timed_out) return;
  report.notes.push_back(reports::one_line(
      fmt::format("teardown: the admin command failed on the lines undoing the target block "
                  "(exit {}{}): {}",
                  reply.exit_code, reply.timed_out ? ", timed out" : "", reply.err)));
}

}  // namespace iscsi::scenarios::batch
