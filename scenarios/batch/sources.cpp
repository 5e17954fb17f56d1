#include "scenarios/batch/sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "scenarios/batch/builtin_suite.hpp"
#include "scenarios/loader.hpp"

namespace iscsi::scenarios::batch {
namespace {

namespace fs = std::filesystem;

Violation input_error(std::string detail) { return Violation{kInputInvalid, std::move(detail)}; }

Result<ScenarioSource> read_source(const std::string& file) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error) return input_error(fmt::format("{}: cannot read: {}", file, error.message()));
  // The loader refuses larger files anyway; do not read a huge file into memory first.
  if (size > max_document_bytes) {
    return input_error(
        fmt::format("{}: the file is larger than {} bytes", file, max_document_bytes));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return input_error(fmt::format("{}: cannot read the file", file));
  return ScenarioSource{file, text.str()};
}

// The *.yaml files under `dir`, sorted by path, as `dir` joined with their relative path.
Result<std::vector<std::string>> yaml_files_in(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(dir, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".yaml") continue;
    if (files.size() == kMaxInputFiles) {
      return input_error(fmt::format("{}: more than {} scenario files", dir, kMaxInputFiles));
    }
    files.push_back((fs::path(dir) / fs::relative(it->path(), dir, error)).string());
  }
  if (error) return input_error(fmt::format("{}: cannot list: {}", dir, error.message()));
  if (files.empty()) return input_error(fmt::format("{}: no *.yaml file in this folder", dir));
  std::sort(files.begin(), files.end());
  return files;
}

Result<void> add_input(const std::string& input, std::vector<ScenarioSource>& sources) {
  if (input.starts_with(kBuiltinPrefix)) {
    const auto file = find_builtin(input);
    if (!file) {
      return input_error(
          fmt::format("{}: no such built-in scenario (`iscsim run --list` "
                      "lists them)",
                      input));
    }
    sources.push_back({builtin_input_name(*file), std::string(file->text)});
    return success();
  }
  std::error_code error;
  const fs::file_status status = fs::status(input, error);
  if (!fs::exists(status)) return input_error(fmt::format("{}: no such file or folder", input));
  std::vector<std::string> files{input};
  if (fs::is_directory(status)) {
    auto found = yaml_files_in(input);
    if (!found) return std::move(found).error();
    files = std::move(found).value();
  }
  for (const std::string& file : files) {
    if (sources.size() == kMaxInputFiles) {
      return input_error(fmt::format("{}: more than {} scenario files", input, kMaxInputFiles));
    }
    auto source = read_source(file);
    if (!source) return std::move(source).error();
    sources.push_back(std::move(source).value());
  }
  return success();
}

}  // namespace

Result<std::vector<ScenarioSource>> collect_sources(const std::vector<std::string>& inputs) {
  std::vector<ScenarioSource> sources;
  if (inputs.empty()) {
    for (const BuiltinFile& file : builtin_files()) {
      sources.push_back({builtin_input_name(file), std::string(file.text)});
    }
    if (sources.empty())
      return input_error("the built-in suite is empty (no scenarios/builtin/*.yaml at build time)");
    return sources;
  }
  for (const std::string& input : inputs) {
    if (auto added = add_input(input, sources); !added) return added.error();
  }
  return sources;
}

Result<std::vector<LoadedScenario>> load_sources(const std::vector<ScenarioSource>& sources) {
  std::vector<LoadedScenario> loaded;
  std::map<std::string, std::string, std::less<>> file_of_name;
  for (const ScenarioSource& source : sources) {
    Result<Scenario> scenario = load_scenario(source.text, source.file);
    if (!scenario) return std::move(scenario).error();
    const auto [it, inserted] = file_of_name.emplace(scenario->name, source.file);
    if (!inserted) {
      return input_error(fmt::format(
          "{}: scenario name '{}' is already the name of the scenario in {} (names must be "
          "unique: they name the reports and pcaps)",
          source.file, scenario->name, it->second));
    }
    loaded.push_back({source.file, std::move(scenario).value()});
  }
  return loaded;
}

}  // namespace iscsi::scenarios::batch
