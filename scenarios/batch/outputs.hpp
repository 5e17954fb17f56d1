#pragma once
// The files of `iscsim run` and `iscsim report merge` under --out (docs/running.md, Outputs):
// junit.xml, report.json, report.html and timings.json from the reports/ writers, and one
// pcap per run under pcap/. Errors name the file.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "reports/model.hpp"

namespace iscsi::scenarios::batch {

inline constexpr std::string_view kJunitFile = "junit.xml";
inline constexpr std::string_view kReportFile = "report.json";
inline constexpr std::string_view kHtmlFile = "report.html";
inline constexpr std::string_view kTimingsFile = "timings.json";
inline constexpr std::string_view kPcapDir = "pcap";

inline constexpr ViolationKind kOutputFailed{"run.output-failed", "docs/running.md",
                                             Severity::fatal};

// Creates `out` and `out`/pcap (existing files are kept; ours are overwritten when written).
Result<void> prepare_out_dir(const std::filesystem::path& out);

// Writes `bytes` to `file`, replacing it.
Result<void> write_file(const std::filesystem::path& file, std::string_view bytes);
// Reads a whole file of at most `limit` bytes.
Result<std::string> read_file(const std::filesystem::path& file, std::size_t limit);

// Writes `pcap` to out/report.pcap (a path "pcap/NAME.pcap" as pcap_path() makes it).
Result<void> write_pcap(const std::filesystem::path& out, const reports::ScenarioReport& report,
                        ByteView pcap);

// Writes junit.xml, report.json, report.html and timings.json.
Result<void> write_reports(const std::filesystem::path& out, const reports::RunReport& report,
                           const reports::Timings& timings);

// `iscsim report merge`: reads each shard folder's report.json and timings.json, merges them
// (reports::merge: the same run in two shards is an error), copies every pcap the reports name
// into out/pcap, and writes the four files. Returns the merged report.
Result<reports::RunReport> merge_shard_dirs(const std::vector<std::filesystem::path>& shards,
                                            const std::filesystem::path& out);

}  // namespace iscsi::scenarios::batch
