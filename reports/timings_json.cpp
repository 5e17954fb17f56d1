// timings.json, schema "iscsim-timings/1" (docs/reports.md, "timings.json"): the wall-clock
// figures of a run, kept out of the deterministic reports. Writer and reader.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "reports/json_fields.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

using OrderedJson = nlohmann::ordered_json;
using json_read::FieldError;
using json_read::Json;
using json_read::ObjectReader;

// JSON has no NaN or infinity (RFC 8259 §6); a clock that produced one is written as 0.
double finite_seconds(double seconds) { return std::isfinite(seconds) ? seconds : 0.0; }

ScenarioTiming read_scenario_timing(const Json& value, const std::string& path) {
  ObjectReader object(value, path);
  ScenarioTiming timing;
  timing.name = object.string("name");
  timing.seed = object.unsigned_number("seed");
  timing.profile = object.string("profile");
  timing.wall_seconds =
      json_read::as_seconds(object.at("wall_seconds"), object.path_of("wall_seconds"));
  object.finish();
  return timing;
}

Timings read_timings(const Json& value) {
  ObjectReader root(value, "");
  if (const std::string schema = root.string("schema"); schema != kTimingsSchema) {
    throw FieldError{"schema", fmt::format("expected \"{}\", got \"{}\"", kTimingsSchema, schema)};
  }
  Timings timings;
  timings.wall_seconds = json_read::as_seconds(root.at("wall_seconds"), "wall_seconds");
  timings.jobs =
      static_cast<unsigned>(root.unsigned_number("jobs", std::numeric_limits<unsigned>::max()));
  const Json::array_t& scenarios = root.array("scenarios");
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    timings.scenarios.push_back(
        read_scenario_timing(scenarios[i], json_read::element_path("scenarios", i)));
  }
  root.finish();
  return timings;
}

}  // namespace

std::string to_json(const Timings& timings) {
  OrderedJson root = OrderedJson::object();
  root["schema"] = kTimingsSchema;
  root["wall_seconds"] = finite_seconds(timings.wall_seconds);
  root["jobs"] = timings.jobs;
  OrderedJson& scenarios = root["scenarios"] = OrderedJson::array();
  for (const ScenarioTiming& timing : timings.scenarios) {
    OrderedJson entry = OrderedJson::object();
    entry["name"] = timing.name;
    entry["seed"] = timing.seed;
    entry["profile"] = timing.profile;
    entry["wall_seconds"] = finite_seconds(timing.wall_seconds);
    scenarios.push_back(std::move(entry));
  }
  return dump_document(root);
}

Result<Timings> timings_from_json(std::string_view text, std::string_view file_name) {
  return json_read::read_document<Timings>(text, file_name, kTimingsInvalid, read_timings);
}

}  // namespace iscsi::reports
