#pragma once
// Shared by the tests of scenarios/batch and `iscsim run`: a temporary folder removed at the
// end of the test, whole-file reads, the scenarios the suite-level tests run, and a helper
// that runs inputs into an --out folder through the library as `iscsim run` does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/batch/builtin_suite.hpp"
#include "scenarios/batch/execute.hpp"
#include "scenarios/batch/outputs.hpp"
#include "scenarios/batch/plan.hpp"
#include "scenarios/batch/sources.hpp"

namespace iscsi::scenarios::batch::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view tag) {
    static std::atomic<unsigned> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("iscsim-batch-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1)));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The whole file, or "" when it cannot be read.
inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string example_file() {
  return ISCSI_SOURCE_DIR "/scenarios/examples/tutorial-chap-oneway.yaml";
}

// What the suite-level tests run: the built-in suite when it holds scenarios, else the
// examples folder (an empty input list means the built-in suite).
inline std::vector<std::string> suite_inputs() {
  if (!builtin_files().empty()) return {};
  return {ISCSI_SOURCE_DIR "/scenarios/examples"};
}

// The files of `dir`/pcap, sorted by name.
inline std::vector<std::string> pcap_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "pcap", error)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every output file of `a` and `b` that must not depend on how the run was done (junit.xml,
// report.json and each pcap) is byte-identical.
inline void expect_same_outputs(const std::filesystem::path& a, const std::filesystem::path& b) {
  for (const char* name : {"junit.xml", "report.json"}) {
    const std::string left = slurp(a / name);
    EXPECT_FALSE(left.empty()) << (a / name);
    EXPECT_TRUE(left == slurp(b / name)) << name << " differs between " << a << " and " << b;
  }
  const std::vector<std::string> pcaps = pcap_names(a);
  EXPECT_EQ(pcaps, pcap_names(b));
  for (const std::string& name : pcaps) {
    EXPECT_TRUE(slurp(a / "pcap" / name) == slurp(b / "pcap" / name)) << name << " differs";
  }
}

// Runs `inputs` as `iscsim run` does and writes every output under `out`.
inline Execution run_into(const std::vector<std::string>& inputs, const PlanOptions& options,
                          unsigned jobs, const std::filesystem::path& out) {
  auto sources = collect_sources(inputs);
  EXPECT_TRUE(sources.ok()) << (sources.ok() ? "" : sources.error().detail);
  if (!sources.ok()) return {};
  auto scenarios = load_sources(*sources);
  EXPECT_TRUE(scenarios.ok()) << (scenarios.ok() ? "" : scenarios.error().detail);
  if (!scenarios.ok()) return {};
  auto plan = make_plan(std::move(scenarios).value(), options);
  EXPECT_TRUE(plan.ok());
  if (!plan.ok()) return {};
  EXPECT_TRUE(prepare_out_dir(out).ok());
  ExecuteOptions execute_options;
  execute_options.jobs = jobs;
  execute_options.store_pcap = [&out](const reports::ScenarioReport& report, ByteView pcap) {
    return write_pcap(out, report, pcap);
  };
  Execution run = execute_plan(*plan, execute_options);
  EXPECT_TRUE(run.errors.empty()) << run.errors.front();
  const Result<void> written = write_reports(out, run.report, run.timings);
  EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().detail);
  return run;
}

}  // namespace iscsi::scenarios::batch::testing
