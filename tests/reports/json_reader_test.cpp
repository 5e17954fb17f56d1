// report_from_json (reports/writers.hpp): every kind of bad input is refused with one exact
// sentence naming the file, the JSON path and what was expected; nothing throws.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

using Document = nlohmann::ordered_json;

std::string reader_error(std::string_view text) {
  Result<RunReport> read = report_from_json(text, "shard-1/report.json");
  if (read.ok()) return "(read)";
  EXPECT_EQ(read.error().id(), "report.json-invalid");
  return read.error().detail;
}

// A valid report.json of the sample run, edited by `edit`, then read back.
std::string edited_error(const std::function<void(Document&)>& edit) {
  Document document = Document::parse(to_json(test::sample_run()));
  edit(document);
  return reader_error(document.dump(2));
}

Document& step_of(Document& document) { return document["scenarios"][1]["steps"][1]; }

TEST(JsonReader, ReadsWhatTheWriterWrote) {
  EXPECT_EQ(edited_error([](Document&) {}), "(read)");
}

// Our part of the sentence is the file, "not valid JSON" and the position; nlohmann words the
// rest, which may change with its version, so only the start is compared.
std::string sentence_start(std::string_view text, std::size_t length) {
  return reader_error(text).substr(0, length);
}

TEST(JsonReader, RefusesTextThatIsNotJson) {
  const std::string empty =
      "shard-1/report.json: not valid JSON: parse error at line 1, column 1: ";
  EXPECT_EQ(sentence_start("", empty.size()), empty);
  const std::string trailing =
      "shard-1/report.json: not valid JSON: parse error at line 1, column 31: ";
  EXPECT_EQ(sentence_start("{\"schema\": \"iscsim-report/1\"} x", trailing.size()), trailing);
  const std::string utf8 =
      "shard-1/report.json: not valid JSON: parse error at line 1, column 13: ";
  EXPECT_EQ(sentence_start("{\"schema\": \"\xff\"}", utf8.size()), utf8);
  EXPECT_NE(reader_error("{\"schema\": \"\xff\"}").find("ill-formed UTF-8"), std::string::npos);
  EXPECT_EQ(reader_error("{\"schema\": 1e999}"),
            "shard-1/report.json: not valid JSON: number overflow parsing '1e999'");
}

TEST(JsonReader, RefusesAnotherTopLevelOrSchema) {
  EXPECT_EQ(reader_error("[]"), "shard-1/report.json: expected an object at the top level");
  EXPECT_EQ(edited_error([](Document& d) { d["schema"] = "iscsim-report/2"; }),
            "shard-1/report.json: schema: expected \"iscsim-report/1\", got \"iscsim-report/2\"");
  EXPECT_EQ(edited_error([](Document& d) { d["schema"] = 1; }),
            "shard-1/report.json: schema: expected a string");
  EXPECT_EQ(reader_error(to_json(Timings{})),
            "shard-1/report.json: schema: expected \"iscsim-report/1\", got \"iscsim-timings/1\"");
}

TEST(JsonReader, RefusesUnsignedFieldsOfAnotherTypeOrSign) {
  const std::string expected =
      "shard-1/report.json: scenarios[3].seed: expected an unsigned number";
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][3]["seed"] = "7"; }), expected);
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][3]["seed"] = -7; }), expected);
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][3]["seed"] = 7.5; }), expected);
  // One past UINT64_MAX: nlohmann reads it as a floating-point number.
  std::string text = to_json(test::sample_run());
  text.replace(text.find("\"seed\": 3,"), 9, "\"seed\": 18446744073709551616");
  EXPECT_EQ(reader_error(text),
            "shard-1/report.json: scenarios[0].seed: expected an unsigned number");
}

TEST(JsonReader, RefusesNumbersOutOfTheirFieldsRange) {
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["login_status"] = 65536; }),
            "shard-1/report.json: scenarios[1].steps[1].login_status: expected an unsigned "
            "number up to 65535, got 65536");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["exit_code"] = 2147483648u; }),
            "shard-1/report.json: scenarios[1].steps[1].exit_code: expected an integer from "
            "-2147483648 to 2147483647");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["exit_code"] = -2147483649; }),
            "shard-1/report.json: scenarios[1].steps[1].exit_code: expected an integer from "
            "-2147483648 to 2147483647");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][1]["pdus"][0]["at_ns"] = 1.5; }),
            "shard-1/report.json: scenarios[1].pdus[0].at_ns: expected an integer");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["deciding_pdu"] = -1; }),
            "shard-1/report.json: scenarios[1].steps[1].deciding_pdu: expected an unsigned number");
}

TEST(JsonReader, RefusesStringsBooleansAndListsOfAnotherType) {
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][0]["name"] = nullptr; }),
            "shard-1/report.json: scenarios[0].name: expected a string");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["passed"] = "yes"; }),
            "shard-1/report.json: scenarios[1].steps[1].passed: expected true or false");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][2]["hosts"] = "target"; }),
            "shard-1/report.json: scenarios[2].hosts: expected an array");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][2]["hosts"][1] = 2; }),
            "shard-1/report.json: scenarios[2].hosts[1]: expected a string");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["failures"][1] = false; }),
            "shard-1/report.json: scenarios[1].steps[1].failures[1]: expected a string");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][1]["steps"][0] = 1; }),
            "shard-1/report.json: scenarios[1].steps[0]: expected an object");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"] = Document::object(); }),
            "shard-1/report.json: scenarios: expected an array");
}

TEST(JsonReader, RefusesMissingUnknownAndDuplicateKeys) {
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][1]["pdus"][0].erase("opcode"); }),
            "shard-1/report.json: scenarios[1].pdus[0]: missing key \"opcode\"");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][2]["colour"] = "red"; }),
            "shard-1/report.json: scenarios[2].colour: unknown key");
  EXPECT_EQ(edited_error([](Document& d) { d.erase("summary"); }),
            "shard-1/report.json: missing key \"summary\"");
  std::string text = to_json(test::sample_run());
  text.insert(text.find("\"seed\": 7,"), "\"seed\": 8,\n");
  EXPECT_EQ(reader_error(text), "shard-1/report.json: scenarios[1]: duplicate key \"seed\"");
}

TEST(JsonReader, RefusesASummaryThatDisagreesWithTheScenarios) {
  EXPECT_EQ(edited_error([](Document& d) { d["summary"]["passed"] = 2; }),
            "shard-1/report.json: summary.passed: expected 1 (counted from scenarios), got 2");
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"].erase(0); }),
            "shard-1/report.json: summary.scenarios: expected 3 (counted from scenarios), got 4");
}

TEST(JsonReader, BoundsTheNestingDepth) {
  const std::string sixteen = std::string(16, '[') + std::string(16, ']');
  EXPECT_EQ(reader_error(sixteen), "shard-1/report.json: expected an object at the top level");
  std::string path;
  for (int i = 0; i < 16; ++i) path += "[0]";
  EXPECT_EQ(reader_error(std::string(17, '[') + std::string(17, ']')),
            "shard-1/report.json: " + path + ": nested deeper than 16 levels");
  // Far deeper than any stack would take recursively: still a sentence, not a crash.
  EXPECT_EQ(reader_error(std::string(1'000'000, '[')),
            "shard-1/report.json: " + path + ": nested deeper than 16 levels");
  EXPECT_EQ(reader_error("{\"schema\": \"iscsim-report/1\", \"x\": " + std::string(16, '[') +
                         std::string(16, ']') + "}"),
            "shard-1/report.json: x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper "
            "than 16 levels");
}

TEST(JsonReader, EscapesControlCharactersOfKeysInItsMessage) {
  Document document = Document::parse(to_json(RunReport{}));
  document["a\nb"] = 1;
  EXPECT_EQ(reader_error(document.dump()), "shard-1/report.json: a\\x0ab: unknown key");
}

TEST(JsonReader, ReadsBackSkippedStepsNotesAndTheTarget) {
  const RunReport live{{test::live_scenario()}};
  Result<RunReport> read = report_from_json(to_json(live), "report.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(*read, live);
  EXPECT_TRUE(read->scenarios[0].steps[0].skipped);
  EXPECT_EQ(edited_error([](Document& d) { d["scenarios"][0].erase("target"); }),
            "shard-1/report.json: scenarios[0]: missing key \"target\"");
  EXPECT_EQ(edited_error([](Document& d) { step_of(d)["skipped"] = 1; }),
            "shard-1/report.json: scenarios[1].steps[1].skipped: expected true or false");
}

}  // namespace
}  // namespace iscsi::reports
