// Literal report models for the tests of reports/ (sample_reports.hpp).
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports::test {
namespace {

PduEntry sample_pdu(std::int64_t at_ns, const char* from, const char* to, const char* opcode,
                    const char* summary, std::uint64_t bytes) {
  PduEntry pdu;
  pdu.at_ns = at_ns;
  pdu.from = from;
  pdu.to = to;
  pdu.connection = "10.0.0.2:49152 -> 10.0.0.1:3260";
  pdu.opcode = opcode;
  pdu.summary = summary;
  pdu.bytes = bytes;
  return pdu;
}

StepReport sample_step(std::size_t index, const char* label, std::int64_t start_ns,
                       std::int64_t end_ns, std::size_t first_pdu, std::size_t end_pdu) {
  StepReport step;
  step.index = index;
  step.label = label;
  step.kind = "run";
  step.source = "tutorial.yaml:" + std::to_string(20 + index) + ":5";
  step.passed = true;
  step.start_ns = start_ns;
  step.end_ns = end_ns;
  step.first_pdu = first_pdu;
  step.end_pdu = end_pdu;
  if (end_pdu > first_pdu) step.deciding_pdu = end_pdu - 1;
  return step;
}

}  // namespace

ScenarioReport passing_scenario() {
  ScenarioReport scenario;
  scenario.name = "discovery";
  scenario.file = "builtin:discovery.yaml";
  scenario.seed = 1;
  scenario.profile = "rfc";
  scenario.passed = true;
  scenario.hosts = {"target", "client"};
  scenario.pdus = {
      sample_pdu(1'000'000, "client", "target", "Login Request", "ITT 0x1 CSG 1 NSG 3 T", 512),
      sample_pdu(1'250'000, "target", "client", "Login Response", "ITT 0x1 status 0x0000", 400),
      sample_pdu(1'500'000, "client", "target", "Text Request", "SendTargets=All", 64),
      sample_pdu(1'750'000, "target", "client", "Text Response", "1 target", 120)};
  scenario.steps = {sample_step(1, "iscsiadm -m discovery -t st -p 10.0.0.1", 0, 2'000'000, 0, 4),
                    sample_step(2, "wait 1s", 2'000'000, 1'002'000'000, 4, 4)};
  scenario.steps[0].out = "10.0.0.1:3260,1 iqn.2001-04.com.example:storage.disk1\n";
  scenario.steps[0].login_status = 0x0000;
  scenario.steps[1].kind = "wait";
  scenario.pcap = "pcap/discovery-seed1.pcap";
  scenario.duration_ns = 1'002'000'000;
  scenario.reproduce = "iscsim run builtin:discovery.yaml --seed 1 --profile rfc";
  return scenario;
}

ScenarioReport live_scenario() {
  ScenarioReport scenario = passing_scenario();
  scenario.name = "tgtadm-live";
  scenario.file = "builtin:tgtadm-live.yaml";
  scenario.profile = "tgt";
  scenario.target = "iscsi://127.0.0.1:3261";
  scenario.notes = {"the target block's 3 tgtadm lines were not run: no admin command"};
  scenario.steps[0].skipped = true;
  scenario.steps[0].note = "tgtadm line not run: no admin command";
  scenario.steps[0].kind = "run";
  scenario.reproduce =
      "iscsim run builtin:tgtadm-live.yaml --seed 1 --profile tgt --target iscsi://127.0.0.1:3261";
  return scenario;
}

ScenarioReport failing_scenario() {
  ScenarioReport scenario;
  scenario.name = "chap-wrong";
  scenario.file = "scenarios/builtin/chap-wrong.yaml";
  scenario.seed = 7;
  scenario.profile = "tgt";
  scenario.passed = false;
  scenario.hosts = {"target", "client"};
  scenario.pdus = {
      sample_pdu(1'000'000, "client", "target", "Login Request", "CHAP_A=5", 300),
      sample_pdu(1'001'234, "target", "client", "Login Response", "status 0x0201", 48)};
  scenario.steps = {
      sample_step(1, "iscsiadm -m node -o new", 0, 500'000, 0, 0),
      sample_step(2, "iscsiadm -m node -T iqn.x -p 10.0.0.1 -l", 500'000, 1'234'000, 0, 2)};
  StepReport& login = scenario.steps[1];
  login.passed = false;
  login.failures = {"expected exit 24, got 0", "expected login status 0x0201, got 0x0000"};
  login.exit_code = 0;
  login.out = "Logging in to [iface: default, target: iqn.x, portal: 10.0.0.1,3260]\n";
  login.err = "iscsiadm: Login failed\n";
  login.login_status = 0x0201;
  login.violations = {"login.auth-failed"};
  scenario.pcap = "pcap/chap-wrong-seed7.pcap";
  scenario.duration_ns = 1'234'000;
  scenario.reproduce = "iscsim run scenarios/builtin/chap-wrong.yaml --seed 7 --profile tgt";
  return scenario;
}

ScenarioReport setup_error_scenario() {
  ScenarioReport scenario;
  scenario.name = "broken-target";
  scenario.file = "broken.yaml";
  scenario.seed = 3;
  scenario.profile = "rfc";
  scenario.passed = false;
  scenario.setup_error = "tgtadm line 2 refused: can't find the target";
  scenario.hosts = {"target", "client"};
  scenario.pcap = "pcap/broken-target-seed3.pcap";
  scenario.reproduce = "iscsim run broken.yaml --seed 3 --profile rfc";
  return scenario;
}

ScenarioReport special_characters_scenario() {
  ScenarioReport scenario;
  scenario.name = "quotes <&> \"'";
  scenario.file = "odd & file.yaml";
  scenario.seed = 18446744073709551615u;
  scenario.profile = "rfc";
  scenario.passed = false;
  scenario.hosts = {"h<1>", "h&2"};
  scenario.pdus = {sample_pdu(5, "h<1>", "h&2", "Login Request", "<script>alert(1)</script>", 1),
                   sample_pdu(6, "h&2", "h&2", "NOP-In", "self \"loop\"", 48)};
  scenario.steps = {sample_step(1, "echo '<&>' \"x\"", 0, 10, 0, 2)};
  StepReport& step = scenario.steps[0];
  step.passed = false;
  step.failures = {"expected \"a<b\" & 'c', got \x01\x1b[31mred\x1b[0m"};
  step.out = "bell\x07 tab\t cr\r lf\n nul";
  step.out.push_back('\0');
  step.out += " bad\xff\xfe utf8 \xc3\xa9t\xc3\xa9 \xef\xbf\xbf end";
  step.err = "]]> <!-- -->";
  step.exit_code = -1;
  scenario.pcap = "pcap/quotes <&> \"'-seed18446744073709551615.pcap";
  scenario.duration_ns = 10;
  scenario.reproduce = "iscsim run 'odd & file.yaml' --seed 18446744073709551615 --profile rfc";
  return scenario;
}

RunReport sample_run() {
  RunReport report;
  report.scenarios = {passing_scenario(), failing_scenario(), setup_error_scenario(),
                      special_characters_scenario()};
  sort_scenarios(report);
  return report;
}

Timings sample_timings() {
  Timings timings;
  timings.wall_seconds = 1.25;
  timings.jobs = 2;
  timings.scenarios = {{"broken-target", 3, "rfc", 0.001},
                       {"chap-wrong", 7, "tgt", 0.5},
                       {"discovery", 1, "rfc", 0.125}};
  return timings;
}

}  // namespace iscsi::reports::test
