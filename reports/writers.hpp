#pragma once
// The report writers and readers of `iscsim run` and `iscsim report merge` (docs/reports.md).
// Every function is pure: a RunReport in, text out (the caller writes the files under --out),
// so two runs with the same scenarios and seeds produce byte-identical files.
//
//   RunReport report = ...;            // scenarios converted by scenarios/batch/report_of.hpp
//   sort_scenarios(report);
//   write("junit.xml", to_junit_xml(report));
//   write("report.json", to_json(report));
//   write("report.html", to_html(report));
//   write("timings.json", to_json(timings));
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "reports/model.hpp"

namespace iscsi::reports {

// Limits of the readers (a report.json of the built-in suite is a few megabytes).
inline constexpr std::size_t kMaxReportBytes = 512u << 20;
inline constexpr std::size_t kMaxJsonDepth = 16;

// The errors of the readers and of merge: a Violation of one of these kinds whose detail is one
// line naming the file (or the shards) and what was wrong.
inline constexpr ViolationKind kReportInvalid{"report.json-invalid", "docs/reports.md",
                                              Severity::fatal};
inline constexpr ViolationKind kTimingsInvalid{"timings.json-invalid", "docs/reports.md",
                                               Severity::fatal};
inline constexpr ViolationKind kMergeDuplicate{"report.merge-duplicate", "docs/reports.md",
                                               Severity::fatal};

// The ladder of report.html draws at most this many PDUs and host columns per scenario; the
// rest are counted in a line under the diagram ("N more PDUs in the pcap").
inline constexpr std::size_t kMaxLadderPdus = 2000;
inline constexpr std::size_t kMaxLadderHosts = 128;

// junit.xml: one <testsuite> per scenario and seed, one <testcase> per step; a failing step's
// <failure> text holds each failure sentence, expected versus actual, and the PDU that decided
// it. A setup error is one failing testcase named "setup".
std::string to_junit_xml(const RunReport& report);

// report.json, schema "iscsim-report/1" (docs/reports.md).
std::string to_json(const RunReport& report);
// Reads a report.json back (for `iscsim report merge`). Errors name the file, the JSON path
// and what was expected: "shard-1/report.json: scenarios[3].seed: expected an unsigned number".
Result<RunReport> report_from_json(std::string_view text, std::string_view file_name);

// report.html: one self-contained page (inline CSS and SVG, no scripts fetched, no network):
// a summary table, then per scenario the verdict of each step and a PDU ladder between hosts.
std::string to_html(const RunReport& report);

// timings.json (schema "iscsim-timings/1") and its reader.
std::string to_json(const Timings& timings);
Result<Timings> timings_from_json(std::string_view text, std::string_view file_name);

// The console summary printed at the end of `iscsim run`: one row per scenario and seed with
// its verdict, steps passed, virtual duration and, for a failure, its first failure sentence
// and the command that reproduces it; then the totals line.
std::string console_summary(const RunReport& report);

// Combines shard reports into one: scenarios sorted as one run would sort them. The same
// (name, seed, profile) in two inputs is an error naming both inputs.
Result<RunReport> merge(const std::vector<RunReport>& shards,
                        const std::vector<std::string>& shard_names);
Timings merge(const std::vector<Timings>& shards);

}  // namespace iscsi::reports
