// The console summary at the end of `iscsim run` (docs/reports.md, "Console summary"): an
// aligned table without colours (it goes to logs as often as to terminals), each failure's
// first sentence and reproduce command under its row, then the totals.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "reports/escape.hpp"
#include "reports/wording.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

constexpr std::size_t kConsoleColumns = 6;
using ConsoleRow = std::array<std::string, kConsoleColumns>;

ConsoleRow console_row(const ScenarioReport& scenario) {
  return {one_line(scenario.name),
          fmt::format("{}", scenario.seed),
          one_line(scenario.profile),
          scenario.passed ? "PASS" : "FAIL",
          steps_column(scenario),
          format_seconds(scenario.duration_ns) + "s"};
}

// Columns padded to their widest cell, two spaces apart, no trailing blanks.
std::string console_line(const ConsoleRow& row,
                         const std::array<std::size_t, kConsoleColumns>& widths) {
  std::string line;
  for (std::size_t column = 0; column < kConsoleColumns; ++column) {
    line += row[column];
    if (column + 1 == kConsoleColumns) break;
    line.append(widths[column] - display_width(row[column]) + 2, ' ');
  }
  return line + "\n";
}

}  // namespace

std::string console_summary(const RunReport& report) {
  std::vector<ConsoleRow> rows;
  rows.push_back({"scenario", "seed", "profile", "verdict", "steps", "virtual time"});
  for (const ScenarioReport& scenario : report.scenarios) rows.push_back(console_row(scenario));
  std::array<std::size_t, kConsoleColumns> widths{};
  for (const ConsoleRow& row : rows) {
    for (std::size_t column = 0; column < kConsoleColumns; ++column) {
      widths[column] = std::max(widths[column], display_width(row[column]));
    }
  }
  std::string out;
  if (!report.scenarios.empty()) out += console_line(rows.front(), widths);
  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    const ScenarioReport& scenario = report.scenarios[i];
    out += console_line(rows[i + 1], widths);
    for (const std::string& note : scenario.notes) out += "    note: " + one_line(note) + "\n";
    if (scenario.passed) continue;
    out += "    " + one_line(first_failure(scenario)) + "\n";
    if (!scenario.reproduce.empty()) out += "    reproduce: " + one_line(scenario.reproduce) + "\n";
  }
  if (!report.scenarios.empty()) out += "\n";
  return out + totals_line(report) + "\n";
}

}  // namespace iscsi::reports
