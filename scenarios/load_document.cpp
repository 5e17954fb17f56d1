// The document level of a scenario file and the entry point, load_scenario().
#include <fmt/format.h>

#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios {
namespace detail {
namespace {

Document split_lines(std::string_view text) {
  Document document;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    document.lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return document;
}

// `profiles: [rfc, tgt]`: the profiles the scenario runs under by default; without the key,
// the target's own profile.
void load_profiles(const YAML::Node& root, Scenario& scenario) {
  if (!root["profiles"]) {
    scenario.profiles = {scenario.target.profile};
    return;
  }
  const YAML::Node& list = root["profiles"];
  expect_list(list, "'profiles'");
  if (list.size() == 0) fail(list, "'profiles' lists no profile (expected rfc, tgt or both)");
  for (const YAML::Node& item : list) {
    const Profile profile =
        choice(item, "'profiles'", {"rfc", "tgt"}) == 0 ? Profile::rfc : Profile::tgt;
    for (Profile seen : scenario.profiles) {
      if (seen == profile) {
        fail(item, fmt::format("'profiles' names '{}' twice", to_string(profile)));
      }
    }
    scenario.profiles.push_back(profile);
  }
}

void load_root(const YAML::Node& root, const Document& document, Scenario& scenario) {
  if (root.IsNull()) fail_at({1, 1}, "the document is empty (expected a scenario mapping)");
  check_keys(root, "the scenario",
             {"name", "description", "seed", "profiles", "hosts", "links", "target", "initiator",
              "initiators", "steps"});
  // Sections are required just before they are read, so an incomplete file being written
  // top to bottom reports its first real mistake before the sections still missing.
  require(root, "name", "the scenario");
  scenario.name = identifier(root["name"], "'name' of the scenario");
  if (root["description"]) scenario.description = text(root["description"], "'description'");
  if (root["seed"]) scenario.seed = number(root["seed"], "'seed'", UINT64_MAX);
  require(root, "hosts", "the scenario");
  load_hosts(root["hosts"], scenario);
  if (root["links"]) load_links(root["links"], scenario);
  require(root, "target", "the scenario");
  load_target(root["target"], document, scenario);
  load_profiles(root, scenario);
  if (root["initiator"] && root["initiators"]) {
    fail(root["initiators"], "use either 'initiator' (one) or 'initiators' (a list), not both");
  }
  if (root["initiator"]) load_initiator(root["initiator"], "the initiator", scenario);
  if (root["initiators"]) {
    const YAML::Node& list = root["initiators"];
    expect_list(list, "'initiators'");
    if (list.size() > max_initiators)
      fail(list, fmt::format("more than {} initiators", max_initiators));
    std::size_t index = 0;
    for (const YAML::Node& item : list) {
      load_initiator(item, fmt::format("initiator {}", ++index), scenario);
    }
  }
  require(root, "steps", "the scenario");
  load_steps(root["steps"], scenario);
  check_references(root, scenario);
}

Violation invalid(LoadError error) { return Violation{kScenarioInvalid, error.to_string()}; }

}  // namespace
}  // namespace detail

std::string LoadError::to_string() const {
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

Result<Scenario> load_scenario(std::string_view yaml_text, std::string_view file_name) {
  using namespace detail;
  LoadError error{std::string(file_name), 0, 0, {}};
  if (yaml_text.size() > max_document_bytes) {
    error.message = fmt::format("the file is larger than {} bytes", max_document_bytes);
    return invalid(std::move(error));
  }
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    LoadBudget budget;
    Scenario scenario;
    scenario.file = std::string(file_name);
    load_root(root, split_lines(yaml_text), scenario);
    return scenario;
  } catch (const LoadFailure& failure) {
    error.line = failure.at.line;
    error.column = failure.at.column;
    error.message = failure.message;
  } catch (const YAML::Exception& exception) {
    // yaml-cpp's own syntax errors (and its nesting limit, DeepRecursion) carry a mark.
    error.line = exception.mark.line < 0 ? 0 : static_cast<std::size_t>(exception.mark.line) + 1;
    error.column =
        exception.mark.column < 0 ? 0 : static_cast<std::size_t>(exception.mark.column) + 1;
    error.message = fmt::format("YAML syntax error: {}", exception.msg);
  } catch (const std::exception& exception) {
    // Allocation failures and the like: still a value, never an exception for the caller.
    error.message = fmt::format("cannot load: {}", exception.what());
  }
  return invalid(std::move(error));
}

}  // namespace iscsi::scenarios
