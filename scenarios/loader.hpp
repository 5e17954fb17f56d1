#pragma once
// Loads a scenario file (docs/scenarios.md) into the model of scenarios/model.hpp.
//
//   Result<Scenario> loaded = load_scenario(text, "chap-one-way.yaml");
//   if (!loaded) print(loaded.error().detail);  // "chap-one-way.yaml:14:5: unknown key ..."
//
// Every error is a Violation of kind scenario.invalid whose detail is one line
// "FILE:LINE:COLUMN: what was wrong and what was expected". Unknown keys, duplicate keys, wrong
// types, bad units, addresses or hex, and references to undeclared hosts, initiators or
// portals are errors. Any input, however malformed or large, yields a value or an error: the
// loader never throws, and sizes, counts and nesting depth are bounded by the limits below.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios {

inline constexpr ViolationKind kScenarioInvalid{"scenario.invalid", "docs/scenarios.md",
                                                Severity::fatal};

// Limits (a built-in scenario is a few kilobytes with tens of steps).
inline constexpr std::size_t max_document_bytes = 1 << 20;
inline constexpr std::size_t max_steps = 10'000;
inline constexpr std::size_t max_hosts = 1'024;
inline constexpr std::size_t max_initiators = 1'024;
inline constexpr std::size_t max_list_items = 4'096;  // any other list or mapping
inline constexpr std::size_t max_string_bytes = 64 * 1024;

// One error, as the loader reports it.
struct LoadError {
  std::string file;
  std::size_t line = 0;    // 1-based; 0 when yaml-cpp gave no position
  std::size_t column = 0;  // 1-based
  std::string message;

  // "file:line:column: message"
  std::string to_string() const;
};

Result<Scenario> load_scenario(std::string_view yaml_text, std::string_view file_name);

}  // namespace iscsi::scenarios
