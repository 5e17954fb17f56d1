// report.json, schema "iscsim-report/1" (docs/reports.md, "report.json"): every field of the
// model, keys in the model's order, so the same report always gives the same bytes.
#include <nlohmann/json.hpp>

#include "reports/json_fields.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

using OrderedJson = nlohmann::ordered_json;

OrderedJson pdu_json(const PduEntry& pdu) {
  OrderedJson out = OrderedJson::object();
  out["at_ns"] = pdu.at_ns;
  out["from"] = pdu.from;
  out["to"] = pdu.to;
  out["connection"] = pdu.connection;
  out["opcode"] = pdu.opcode;
  out["summary"] = pdu.summary;
  out["bytes"] = pdu.bytes;
  return out;
}

OrderedJson optional_json(const std::optional<std::uint16_t>& value) {
  return value ? OrderedJson(*value) : OrderedJson(nullptr);
}

OrderedJson optional_json(const std::optional<std::size_t>& value) {
  return value ? OrderedJson(*value) : OrderedJson(nullptr);
}

OrderedJson step_json(const StepReport& step) {
  OrderedJson out = OrderedJson::object();
  out["index"] = step.index;
  out["label"] = step.label;
  out["kind"] = step.kind;
  out["source"] = step.source;
  out["passed"] = step.passed;
  out["skipped"] = step.skipped;
  out["note"] = step.note;
  out["failures"] = step.failures;
  out["exit_code"] = step.exit_code;
  out["out"] = step.out;
  out["err"] = step.err;
  out["login_status"] = optional_json(step.login_status);
  out["violations"] = step.violations;
  out["start_ns"] = step.start_ns;
  out["end_ns"] = step.end_ns;
  out["first_pdu"] = step.first_pdu;
  out["end_pdu"] = step.end_pdu;
  out["deciding_pdu"] = optional_json(step.deciding_pdu);
  return out;
}

OrderedJson scenario_json(const ScenarioReport& scenario) {
  OrderedJson out = OrderedJson::object();
  out["name"] = scenario.name;
  out["file"] = scenario.file;
  out["seed"] = scenario.seed;
  out["profile"] = scenario.profile;
  out["passed"] = scenario.passed;
  out["setup_error"] = scenario.setup_error;
  out["target"] = scenario.target;
  out["notes"] = scenario.notes;
  out["hosts"] = scenario.hosts;
  out["duration_ns"] = scenario.duration_ns;
  out["pcap"] = scenario.pcap;
  out["reproduce"] = scenario.reproduce;
  OrderedJson& steps = out["steps"] = OrderedJson::array();
  for (const StepReport& step : scenario.steps) steps.push_back(step_json(step));
  OrderedJson& pdus = out["pdus"] = OrderedJson::array();
  for (const PduEntry& pdu : scenario.pdus) pdus.push_back(pdu_json(pdu));
  out["pdus_dropped"] = scenario.pdus_dropped;
  return out;
}

}  // namespace

std::string to_json(const RunReport& report) {
  OrderedJson root = OrderedJson::object();
  root["schema"] = kReportSchema;
  OrderedJson& summary = root["summary"] = OrderedJson::object();
  summary["scenarios"] = report.scenarios.size();
  summary["passed"] = report.passed_count();
  summary["failed"] = report.failed_count();
  OrderedJson& scenarios = root["scenarios"] = OrderedJson::array();
  for (const ScenarioReport& scenario : report.scenarios) {
    scenarios.push_back(scenario_json(scenario));
  }
  return dump_document(root);
}

}  // namespace iscsi::reports
