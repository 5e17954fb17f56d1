// report_of on a real run of scenarios/examples/tutorial-chap-oneway.yaml: hosts, PDUs with
// host names and virtual times, each step's place in the file and deciding PDU, the pcap path
// and the reproduce command.
#include "scenarios/batch/report_of.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "core/runtime/address.hpp"
#include "scenarios/live_address_map.hpp"
#include "scenarios/loader.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"

namespace iscsi::scenarios::batch {
namespace {

// The 1-based line of the first line of `text` that starts with `prefix`; 0 when none does.
std::size_t line_of(const std::string& text, std::string_view prefix) {
  std::size_t line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    if (std::string_view(text).substr(at).starts_with(prefix)) return line;
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return 0;
}

class ReportOfTutorial : public ::testing::Test {
 protected:
  void SetUp() override {
    text_ = testing::slurp(testing::example_file());
    Result<Scenario> loaded = load_scenario(text_, "examples/chap.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    scenario_ = std::move(loaded).value();
    RunOptions options;
    options.seed = 5;
    options.capture_pcap = true;
    result_ = run_scenario(scenario_, options);
    report_ = report_of(result_, scenario_, "examples/chap.yaml");
  }

  std::string text_;
  Scenario scenario_;
  RunResult result_;
  reports::ScenarioReport report_;
};

TEST_F(ReportOfTutorial, IdentityHostsAndReproduce) {
  EXPECT_TRUE(report_.passed);
  EXPECT_EQ(report_.name, "chap-one-way");
  EXPECT_EQ(report_.file, "examples/chap.yaml");
  EXPECT_EQ(report_.seed, 5U);
  EXPECT_EQ(report_.profile, "rfc");
  EXPECT_EQ(report_.hosts, (std::vector<std::string>{"target", "client"}));
  EXPECT_EQ(report_.reproduce, "iscsim run examples/chap.yaml --seed 5 --profile rfc");
  ASSERT_EQ(report_.steps.size(), 7U);
  EXPECT_EQ(report_.duration_ns, report_.steps.back().end_ns);
  EXPECT_GT(report_.duration_ns, 0);
}

TEST_F(ReportOfTutorial, PdusCarryHostNamesAndVirtualTimes) {
  ASSERT_FALSE(report_.pdus.empty());
  EXPECT_EQ(report_.pdus.size(), result_.pdus.size());
  EXPECT_EQ(report_.pdus_dropped, 0U);
  const reports::PduEntry& first = report_.pdus.front();
  EXPECT_EQ(first.from, "client");
  EXPECT_EQ(first.to, "target");
  EXPECT_EQ(first.opcode, "Login Request");
  EXPECT_TRUE(first.summary.starts_with("Login Request")) << first.summary;
  EXPECT_TRUE(first.connection.starts_with("192.168.234.10:")) << first.connection;
  EXPECT_TRUE(first.connection.ends_with(" -> 192.168.234.131:3260")) << first.connection;
  EXPECT_EQ(first.bytes, result_.pdus.front().wire.size());
  bool saw_response = false;
  for (std::size_t i = 0; i < report_.pdus.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(report_.pdus[i].at_ns, report_.pdus[i - 1].at_ns) << i;
    }
    if (report_.pdus[i].opcode == "Login Response") {
      saw_response = true;
      EXPECT_EQ(report_.pdus[i].from, "target");
      EXPECT_EQ(report_.pdus[i].to, "client");
    }
  }
  EXPECT_TRUE(saw_response);
}

TEST_F(ReportOfTutorial, StepsCiteTheirPlaceInTheFile) {
  // Step 2 is the first login line of the file; a step is a block-sequence entry at column 5.
  const std::size_t login_line = line_of(
      text_,
      "  - run: iscsiadm -m node -T iqn.2019-01.com.aliyun:28329176 -p 192.168.234.131:3260 -l");
  ASSERT_NE(login_line, 0U);
  EXPECT_EQ(report_.steps[1].source, "examples/chap.yaml:" + std::to_string(login_line) + ":5");
  EXPECT_EQ(report_.steps[2].kind, "iscsid.conf");
  for (const reports::StepReport& step : report_.steps) {
    EXPECT_LE(step.start_ns, step.end_ns) << step.index;
    EXPECT_LE(step.first_pdu, step.end_pdu) << step.index;
  }
}

TEST_F(ReportOfTutorial, RefusedLoginIsDecidedByItsLoginResponse) {
  const reports::StepReport& refused = report_.steps[1];
  EXPECT_EQ(refused.login_status, std::uint16_t{0x0201});
  ASSERT_TRUE(refused.deciding_pdu.has_value());
  const std::size_t deciding = *refused.deciding_pdu;
  EXPECT_GE(deciding, refused.first_pdu);
  EXPECT_LT(deciding, refused.end_pdu);
  EXPECT_EQ(report_.pdus[deciding].opcode, "Login Response");
  EXPECT_NE(report_.pdus[deciding].summary.find("Status=0x0201"), std::string::npos)
      << report_.pdus[deciding].summary;
  // No later Login Response in the step.
  for (std::size_t i = deciding + 1; i < refused.end_pdu; ++i) {
    EXPECT_NE(report_.pdus[i].opcode, "Login Response") << i;
  }
}

TEST_F(ReportOfTutorial, OtherStepsAreDecidedByTheirLastPdu) {
  const reports::StepReport& io = report_.steps[5];
  EXPECT_EQ(io.kind, "io");
  ASSERT_LT(io.first_pdu, io.end_pdu);
  EXPECT_EQ(io.deciding_pdu, io.end_pdu - 1);
  const reports::StepReport& edit = report_.steps[2];  // iscsid.conf: no PDU
  EXPECT_EQ(edit.first_pdu, edit.end_pdu);
  EXPECT_FALSE(edit.deciding_pdu.has_value());
}

TEST_F(ReportOfTutorial, PcapPathWhenCaptured) {
  ASSERT_FALSE(result_.pcap.empty()) << "the runner did not fill RunResult::pcap";
  EXPECT_EQ(report_.pcap, "pcap/chap-one-way-seed5-rfc.pcap");
}

TEST(ReportOfNames, PcapPathIsSanitized) {
  EXPECT_EQ(pcap_path("a b/c:d", 2, Profile::tgt), "pcap/a_b_c_d-seed2-tgt.pcap");
  EXPECT_EQ(pcap_path("ok.name_1-x", 18446744073709551615ULL, Profile::rfc),
            "pcap/ok.name_1-x-seed18446744073709551615-rfc.pcap");
}

TEST(ReportOfNames, ReproduceQuotesFilesThatNeedIt) {
  EXPECT_EQ(reproduce_command("builtin:chap.yaml", 3, Profile::tgt),
            "iscsim run builtin:chap.yaml --seed 3 --profile tgt");
  EXPECT_EQ(reproduce_command("my dir/it's.yaml", 1, Profile::rfc),
            "iscsim run 'my dir/it'\\''s.yaml' --seed 1 --profile rfc");
}

TEST(ReportOfNames, SetupErrorHasNoSteps) {
  RunResult failed;
  failed.scenario = "broken";
  failed.seed = 4;
  failed.profile = Profile::tgt;
  failed.setup_error = "x.yaml:7:5: tgtadm refused the line";
  Scenario scenario;
  scenario.name = "broken";
  const reports::ScenarioReport report = report_of(failed, scenario, "x.yaml");
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(report.setup_error, failed.setup_error);
  EXPECT_TRUE(report.steps.empty());
  EXPECT_TRUE(report.pcap.empty());
  EXPECT_EQ(report.reproduce, "iscsim run x.yaml --seed 4 --profile tgt");
}

// A live run's steady-clock times, made of the simulated run's by a large offset: the report
// counts them from the first step's start, and carries the target, notes and skipped steps.
TEST_F(ReportOfTutorial, LiveRunTimesCountFromTheFirstStep) {
  constexpr std::chrono::nanoseconds kBoot{987'654'321'000'000};
  RunResult live = result_;
  for (StepResult& step : live.steps) {
    step.start += kBoot;
    step.end += kBoot;
  }
  for (PduRecord& pdu : live.pdus) pdu.at += kBoot;
  live.steps[0].skipped = true;
  live.steps[0].note = "tgtadm line not run: no admin command";
  live.notes = {"the target block's 5 tgtadm lines were not run: no admin command"};
  const LiveTarget target{.host = "127.0.0.1", .port = 3261, .admin_command = "sh hook.sh"};
  const reports::ScenarioReport report = report_of(live, scenario_, "examples/chap.yaml", target);
  const std::int64_t origin = report_.steps.front().start_ns;
  ASSERT_EQ(report.steps.size(), report_.steps.size());
  EXPECT_EQ(report.steps.front().start_ns, 0);
  for (std::size_t i = 0; i < report.steps.size(); ++i) {
    EXPECT_EQ(report.steps[i].end_ns, report_.steps[i].end_ns - origin) << i;
  }
  ASSERT_FALSE(report.pdus.empty());
  EXPECT_EQ(report.pdus.front().at_ns, report_.pdus.front().at_ns - origin);
  EXPECT_EQ(report.duration_ns, report_.duration_ns - origin);
  EXPECT_EQ(report.target, "iscsi://127.0.0.1:3261");
  EXPECT_EQ(report.notes, live.notes);
  EXPECT_TRUE(report.steps[0].skipped);
  EXPECT_EQ(report.steps[0].note, "tgtadm line not run: no admin command");
  EXPECT_EQ(report.reproduce,
            "iscsim run examples/chap.yaml --seed 5 --profile rfc --target "
            "iscsi://127.0.0.1:3261 --target-admin 'sh hook.sh'");
  EXPECT_TRUE(report_.target.empty());
}

// The PDUs of a live run carry loopback addresses (the live endpoint, 127.b.c.d for a.b.c.d):
// the ladder still names the scenario's hosts.
TEST_F(ReportOfTutorial, LiveRunPdusNameTheScenariosHosts) {
  RunResult live = result_;
  const runtime::Endpoint endpoint{*runtime::parse_ipv4("127.0.0.1"), 3261};
  for (PduRecord& pdu : live.pdus) {
    pdu.connection.initiator.ipv4 = LiveAddressMap::loopback_of(pdu.connection.initiator.ipv4);
    pdu.connection.target = endpoint;
  }
  const LiveTarget target{.host = "127.0.0.1", .port = 3261};
  const reports::ScenarioReport report = report_of(live, scenario_, "examples/chap.yaml", target);
  ASSERT_EQ(report.pdus.size(), report_.pdus.size());
  for (std::size_t i = 0; i < report.pdus.size(); ++i) {
    EXPECT_EQ(report.pdus[i].from, report_.pdus[i].from) << i;
    EXPECT_EQ(report.pdus[i].to, report_.pdus[i].to) << i;
  }
  EXPECT_EQ(report.pdus.front().from, "client");
  EXPECT_EQ(report.pdus.front().to, "target");
  // Without the live endpoint the same addresses are just addresses.
  const reports::ScenarioReport unmapped = report_of(live, scenario_, "examples/chap.yaml");
  EXPECT_EQ(unmapped.pdus.front().to, "127.0.0.1");
}

}  // namespace
}  // namespace iscsi::scenarios::batch
