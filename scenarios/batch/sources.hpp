#pragma once
// The inputs of `iscsim run`: scenario files, folders of them, and built-in files, loaded into
// Scenarios (docs/running.md, Inputs). Every error is one line naming the file (and, for a
// scenario that does not load, the loader's line and column), so the command can stop with
// exit code 2 before anything runs.
#include <cstddef>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios::batch {

inline constexpr ViolationKind kInputInvalid{"run.input-invalid", "docs/running.md",
                                             Severity::fatal};

// Bound on the scenario files one run reads (folders are searched recursively).
inline constexpr std::size_t kMaxInputFiles = 10'000;

// One scenario file's text, named as given ("scenarios/x.yaml", "builtin:chap.yaml").
struct ScenarioSource {
  std::string file;
  std::string text;
};

struct LoadedScenario {
  std::string file;  // as given: reports and reproduce commands cite it
  Scenario scenario;
};

// FILES and DIRS in the order given; a folder contributes its *.yaml files (recursively,
// sorted by path); "builtin:NAME.yaml" is one file of the built-in suite. No input at all:
// the whole built-in suite.
Result<std::vector<ScenarioSource>> collect_sources(const std::vector<std::string>& inputs);

// Loads every source; the first that does not load is the error ("x.yaml:3:5: unknown key
// ..."). Two scenarios with one name are an error naming both files.
Result<std::vector<LoadedScenario>> load_sources(const std::vector<ScenarioSource>& sources);

}  // namespace iscsi::scenarios::batch
