#include "scenarios/batch/outputs.hpp"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

#include "reports/writers.hpp"

namespace iscsi::scenarios::batch {
namespace {

namespace fs = std::filesystem;

Violation output_error(std::string detail) { return Violation{kOutputFailed, std::move(detail)}; }

// "pcap/NAME.pcap" with NAME free of '/' and not "." or "..": a path a report may name.
bool is_pcap_path(std::string_view path) {
  const std::string prefix = std::string(kPcapDir) + "/";
  if (!path.starts_with(prefix) || !path.ends_with(".pcap")) return false;
  const std::string_view name = path.substr(prefix.size());
  return name.find('/') == std::string_view::npos && name.find('\\') == std::string_view::npos &&
         name != ".pcap" && !name.starts_with("..");
}

}  // namespace

Result<void> prepare_out_dir(const fs::path& out) {
  std::error_code error;
  fs::create_directories(out / kPcapDir, error);
  if (error) {
    return output_error(fmt::format("{}: cannot create the output folder: {}",
                                    (out / kPcapDir).string(), error.message()));
  }
  return success();
}

Result<void> write_file(const fs::path& file, std::string_view bytes) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  stream.close();
  if (!stream) return output_error(fmt::format("{}: cannot write the file", file.string()));
  return success();
}

Result<std::string> read_file(const fs::path& file, std::size_t limit) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error)
    return output_error(fmt::format("{}: cannot read: {}", file.string(), error.message()));
  if (size > limit) {
    return output_error(fmt::format("{}: larger than {} bytes", file.string(), limit));
  }
  std::ifstream stream(file, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  stream.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!stream) return output_error(fmt::format("{}: cannot read the file", file.string()));
  return text;
}

Result<void> write_pcap(const fs::path& out, const reports::ScenarioReport& report, ByteView pcap) {
  if (!is_pcap_path(report.pcap)) {
    return output_error(fmt::format("{}: not a pcap path under {}/", report.pcap, kPcapDir));
  }
  return write_file(out / report.pcap,
                    std::string_view(reinterpret_cast<const char*>(pcap.data()), pcap.size()));
}

Result<void> write_reports(const fs::path& out, const reports::RunReport& report,
                           const reports::Timings& timings) {
  const std::pair<std::string_view, std::string> files[] = {
      {kJunitFile, reports::to_junit_xml(report)},
      {kReportFile, reports::to_json(report)},
      {kHtmlFile, reports::to_html(report)},
      {kTimingsFile, reports::to_json(timings)},
  };
  for (const auto& [name, text] : files) {
    if (auto written = write_file(out / name, text); !written) return written;
  }
  return success();
}

Result<reports::RunReport> merge_shard_dirs(const std::vector<fs::path>& shards,
                                            const fs::path& out) {
  std::vector<reports::RunReport> reports_in;
  std::vector<reports::Timings> timings_in;
  std::vector<std::string> names;
  for (const fs::path& shard : shards) {
    const fs::path report_file = shard / kReportFile;
    const fs::path timings_file = shard / kTimingsFile;
    auto report_text = read_file(report_file, reports::kMaxReportBytes);
    if (!report_text) return std::move(report_text).error();
    auto report = reports::report_from_json(*report_text, report_file.string());
    if (!report) return std::move(report).error();
    auto timings_text = read_file(timings_file, reports::kMaxReportBytes);
    if (!timings_text) return std::move(timings_text).error();
    auto timings = reports::timings_from_json(*timings_text, timings_file.string());
    if (!timings) return std::move(timings).error();
    reports_in.push_back(std::move(report).value());
    timings_in.push_back(std::move(timings).value());
    names.push_back(shard.string());
  }
  auto merged = reports::merge(reports_in, names);
  if (!merged) return merged;
  if (auto prepared = prepare_out_dir(out); !prepared) return prepared.error();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    for (const reports::ScenarioReport& scenario : reports_in[i].scenarios) {
      if (scenario.pcap.empty()) continue;
      if (!is_pcap_path(scenario.pcap)) {
        return output_error(
            fmt::format("{}: scenario '{}' seed {} names the pcap '{}', which "
                        "is not a path under {}/",
                        (shards[i] / kReportFile).string(), scenario.name, scenario.seed,
                        scenario.pcap, kPcapDir));
      }
      std::error_code error;
      fs::copy_file(shards[i] / scenario.pcap, out / scenario.pcap,
                    fs::copy_options::overwrite_existing, error);
      if (error) {
        return output_error(fmt::format("{}: cannot copy to {}: {}",
                                        (shards[i] / scenario.pcap).string(),
                                        (out / scenario.pcap).string(), error.message()));
      }
    }
  }
  if (auto written = write_reports(out, *merged, reports::merge(timings_in)); !written) {
    return written.error();
  }
  return merged;
}

}  // namespace iscsi::scenarios::batch
