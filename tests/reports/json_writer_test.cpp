// report.json (reports/writers.hpp, to_json): the exact schema text, and the round trip
// through report_from_json.
#include <gtest/gtest.h>

#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

ScenarioReport tiny_scenario() {
  ScenarioReport scenario;
  scenario.name = "tiny";
  scenario.file = "tiny.yaml";
  scenario.seed = 5;
  scenario.profile = "tgt";
  scenario.passed = false;
  scenario.hosts = {"t", "c"};
  StepReport step;
  step.index = 1;
  step.label = "login";
  step.kind = "run";
  step.source = "tiny.yaml:9:5";
  step.failures = {"expected exit 0, got 24"};
  step.exit_code = 24;
  step.err = "iscsiadm: \"x\"\n";
  step.login_status = 0x0201;
  step.violations = {"login.auth-failed"};
  step.start_ns = 10;
  step.end_ns = 2'000;
  step.first_pdu = 0;
  step.end_pdu = 1;
  step.deciding_pdu = 0;
  scenario.steps = {step};
  scenario.pdus = {{1'500, "t", "c", "t:3260 -> c:1", "Login Response", "status 0x0201", 48}};
  scenario.pdus_dropped = 3;
  scenario.pcap = "pcap/tiny-seed5.pcap";
  scenario.duration_ns = 2'000;
  scenario.reproduce = "iscsim run tiny.yaml --seed 5 --profile tgt";
  return scenario;
}

TEST(JsonWriter, EmptyReport) {
  EXPECT_EQ(to_json(RunReport{}),
            "{\n"
            "  \"schema\": \"iscsim-report/1\",\n"
            "  \"summary\": {\n"
            "    \"scenarios\": 0,\n"
            "    \"passed\": 0,\n"
            "    \"failed\": 0\n"
            "  },\n"
            "  \"scenarios\": []\n"
            "}\n");
}

TEST(JsonWriter, WritesEveryFieldInSchemaOrder) {
  EXPECT_EQ(to_json(RunReport{{tiny_scenario()}}), R"({
  "schema": "iscsim-report/1",
  "summary": {
    "scenarios": 1,
    "passed": 0,
    "failed": 1
  },
  "scenarios": [
    {
      "name": "tiny",
      "file": "tiny.yaml",
      "seed": 5,
      "profile": "tgt",
      "passed": false,
      "setup_error": "",
      "target": "",
      "notes": [],
      "hosts": [
        "t",
        "c"
      ],
      "duration_ns": 2000,
      "pcap": "pcap/tiny-seed5.pcap",
      "reproduce": "iscsim run tiny.yaml --seed 5 --profile tgt",
      "steps": [
        {
          "index": 1,
          "label": "login",
          "kind": "run",
          "source": "tiny.yaml:9:5",
          "passed": false,
          "skipped": false,
          "note": "",
          "failures": [
            "expected exit 0, got 24"
          ],
          "exit_code": 24,
          "out": "",
          "err": "iscsiadm: \"x\"\n",
          "login_status": 513,
          "violations": [
            "login.auth-failed"
          ],
          "start_ns": 10,
          "end_ns": 2000,
          "first_pdu": 0,
          "end_pdu": 1,
          "deciding_pdu": 0
        }
      ],
      "pdus": [
        {
          "at_ns": 1500,
          "from": "t",
          "to": "c",
          "connection": "t:3260 -> c:1",
          "opcode": "Login Response",
          "summary": "status 0x0201",
          "bytes": 48
        }
      ],
      "pdus_dropped": 3
    }
  ]
}
)");
}

TEST(JsonWriter, UnsetOptionalsAreNull) {
  ScenarioReport scenario = tiny_scenario();
  scenario.steps[0].login_status.reset();
  scenario.steps[0].deciding_pdu.reset();
  const std::string json = to_json(RunReport{{scenario}});
  EXPECT_NE(json.find("\"login_status\": null,"), std::string::npos);
  EXPECT_NE(json.find("\"deciding_pdu\": null\n"), std::string::npos);
}

TEST(JsonWriter, RoundTripsEveryField) {
  const RunReport report = test::sample_run();
  const std::string json = to_json(report);
  Result<RunReport> read = report_from_json(json, "report.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  // The special scenario holds bytes that are not UTF-8, which JSON cannot carry: they come
  // back as U+FFFD, and everything else comes back exactly.
  RunReport expected = report;
  std::string& out = expected.scenarios[3].steps[0].out;
  out.replace(out.find("\xff\xfe"), 2, "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(*read, expected);
  EXPECT_EQ(to_json(*read), json);
}

TEST(JsonWriter, RoundTripsExtremeNumbers) {
  ScenarioReport scenario = tiny_scenario();
  scenario.seed = UINT64_MAX;
  scenario.duration_ns = INT64_MIN;
  scenario.steps[0].exit_code = INT32_MIN;
  scenario.steps[0].start_ns = INT64_MAX;
  scenario.steps[0].login_status = 0xFFFF;
  scenario.steps[0].deciding_pdu = SIZE_MAX;
  scenario.pdus[0].bytes = UINT64_MAX;
  scenario.pdus_dropped = UINT64_MAX;
  const RunReport report{{scenario}};
  Result<RunReport> read = report_from_json(to_json(report), "report.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(*read, report);
}

TEST(JsonWriter, EscapesControlCharactersAsJson) {
  ScenarioReport scenario = tiny_scenario();
  scenario.steps[0].out = std::string("a\0b\x1b\t\"\\", 7);
  const std::string json = to_json(RunReport{{scenario}});
  EXPECT_NE(json.find(R"("out": "a\u0000b\u001b\t\"\\",)"), std::string::npos);
  Result<RunReport> read = report_from_json(json, "report.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(read->scenarios[0].steps[0].out, scenario.steps[0].out);
}

}  // namespace
}  // namespace iscsi::reports
