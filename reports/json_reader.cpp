// Reads report.json back (docs/reports.md, "report.json"), for `iscsim report merge`: the
// exact inverse of to_json, refusing anything else with the path of the first bad field.
#include <fmt/format.h>

#include <limits>

#include "reports/json_fields.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

using json_read::FieldError;
using json_read::Json;
using json_read::ObjectReader;

PduEntry read_pdu(const Json& value, const std::string& path) {
  ObjectReader object(value, path);
  PduEntry pdu;
  pdu.at_ns = object.integer("at_ns");
  pdu.from = object.string("from");
  pdu.to = object.string("to");
  pdu.connection = object.string("connection");
  pdu.opcode = object.string("opcode");
  pdu.summary = object.string("summary");
  pdu.bytes = object.unsigned_number("bytes");
  object.finish();
  return pdu;
}

std::optional<std::uint16_t> read_login_status(ObjectReader& object) {
  const Json& value = object.at("login_status");
  if (value.is_null()) return std::nullopt;
  return static_cast<std::uint16_t>(json_read::as_unsigned(
      value, object.path_of("login_status"), std::numeric_limits<std::uint16_t>::max()));
}

std::optional<std::size_t> read_deciding_pdu(ObjectReader& object) {
  const Json& value = object.at("deciding_pdu");
  if (value.is_null()) return std::nullopt;
  // size_t is as wide as the number read on every platform iscsim builds for (64 bits).
  return json_read::as_unsigned(value, object.path_of("deciding_pdu"),
                                std::numeric_limits<std::size_t>::max());
}

std::size_t read_size(ObjectReader& object, std::string_view key) {
  return object.unsigned_number(key, std::numeric_limits<std::size_t>::max());
}

StepReport read_step(const Json& value, const std::string& path) {
  ObjectReader object(value, path);
  StepReport step;
  step.index = read_size(object, "index");
  step.label = object.string("label");
  step.kind = object.string("kind");
  step.source = object.string("source");
  step.passed = object.boolean("passed");
  step.skipped = object.boolean("skipped");
  step.note = object.string("note");
  step.failures = object.string_list("failures");
  step.exit_code = static_cast<int>(
      json_read::as_integer(object.at("exit_code"), object.path_of("exit_code"),
                            std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
  step.out = object.string("out");
  step.err = object.string("err");
  step.login_status = read_login_status(object);
  step.violations = object.string_list("violations");
  step.start_ns = object.integer("start_ns");
  step.end_ns = object.integer("end_ns");
  step.first_pdu = read_size(object, "first_pdu");
  step.end_pdu = read_size(object, "end_pdu");
  step.deciding_pdu = read_deciding_pdu(object);
  object.finish();
  return step;
}

template <class Item, class ReadItem>
std::vector<Item> read_list(ObjectReader& object, std::string_view key, ReadItem read_item) {
  const Json::array_t& items = object.array(key);
  const std::string path = object.path_of(key);
  std::vector<Item> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    out.push_back(read_item(items[i], json_read::element_path(path, i)));
  }
  return out;
}

ScenarioReport read_scenario(const Json& value, const std::string& path) {
  ObjectReader object(value, path);
  ScenarioReport scenario;
  scenario.name = object.string("name");
  scenario.file = object.string("file");
  scenario.seed = object.unsigned_number("seed");
  scenario.profile = object.string("profile");
  scenario.passed = object.boolean("passed");
  scenario.setup_error = object.string("setup_error");
  scenario.target = object.string("target");
  scenario.notes = object.string_list("notes");
  scenario.hosts = object.string_list("hosts");
  scenario.duration_ns = object.integer("duration_ns");
  scenario.pcap = object.string("pcap");
  scenario.reproduce = object.string("reproduce");
  scenario.steps = read_list<StepReport>(object, "steps", read_step);
  scenario.pdus = read_list<PduEntry>(object, "pdus", read_pdu);
  scenario.pdus_dropped = object.unsigned_number("pdus_dropped");
  object.finish();
  return scenario;
}

// The summary repeats counts of the scenarios for readers that want only them; a summary that
// disagrees with the scenarios means the file was edited or cut, so it is refused.
void check_summary(ObjectReader& root, const RunReport& report) {
  ObjectReader summary(root.at("summary"), root.path_of("summary"));
  const auto expect = [&summary](std::string_view key, std::size_t count) {
    if (summary.unsigned_number(key) != count) {
      throw FieldError{summary.path_of(key),
                       fmt::format("expected {} (counted from scenarios), got {}", count,
                                   summary.unsigned_number(key))};
    }
  };
  expect("scenarios", report.scenarios.size());
  expect("passed", report.passed_count());
  expect("failed", report.failed_count());
  summary.finish();
}

RunReport read_report(const Json& value) {
  ObjectReader root(value, "");
  if (const std::string schema = root.string("schema"); schema != kReportSchema) {
    throw FieldError{"schema", fmt::format("expected \"{}\", got \"{}\"", kReportSchema, schema)};
  }
  RunReport report;
  report.scenarios = read_list<ScenarioReport>(root, "scenarios", read_scenario);
  check_summary(root, report);
  root.finish();
  return report;
}

}  // namespace

Result<RunReport> report_from_json(std::string_view text, std::string_view file_name) {
  return json_read::read_document<RunReport>(text, file_name, kReportInvalid, read_report);
}

}  // namespace iscsi::reports
