// The built-in scenario suite (scenarios/builtin/*.yaml, issue 6 "Built-in suite"): every file
// loads, is named after its file, and passes under each of its profiles; a deliberately broken
// copy fails, so the suite can fail. Wall times per scenario and profile are printed (the
// speed target itself belongs to bench/).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

const std::filesystem::path kBuiltinDir = ISCSI_SOURCE_DIR "/scenarios/builtin";

std::vector<std::string> builtin_stems() {
  std::vector<std::string> stems;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kBuiltinDir, error)) {
    if (entry.path().extension() == ".yaml") stems.push_back(entry.path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

Result<Scenario> load_builtin(const std::string& stem) {
  std::ifstream in(kBuiltinDir / (stem + ".yaml"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return load_scenario(text.str(), stem + ".yaml");
}

// With ISCSI_SUITE_VERBOSE set, every step's output and virtual times, to read what a
// scenario really did.
void print_steps(const RunResult& result) {
  if (std::getenv("ISCSI_SUITE_VERBOSE") == nullptr) return;
  for (const StepResult& step : result.steps) {
    std::printf("  %zu %s [%s] exit %d, %.3f s .. %.3f s, PDUs %zu, violations %zu\n%s%s",
                step.index, step.label.c_str(), step.passed ? "ok" : "FAILED",
                step.output.exit_code,
                std::chrono::duration<double>(step.start.time_since_epoch()).count(),
                std::chrono::duration<double>(step.end.time_since_epoch()).count(),
                step.end_pdu - step.first_pdu, step.output.violations.size(),
                step.output.out.c_str(), step.output.err.c_str());
    for (const std::string& id : step.output.violations) {
      std::printf("    violation %s\n", id.c_str());
    }
  }
}

RunOptions under(Profile profile) {
  RunOptions options;
  options.profile = profile;
  return options;
}

// The suite the issue asks for, at least.
TEST(BuiltinSuite, HoldsEveryScenarioOfTheIssue) {
  const std::vector<std::string> wanted = {
      "chap-algorithms",          "digest-corruption",        "login-storm",
      "partition-nop-timeout",    "reset-mid-write",          "tutorial-01-targets-luns",
      "tutorial-02-discovery",    "tutorial-03-acl",          "tutorial-04-chap-oneway",
      "tutorial-05-iscsid-conf-edit", "tutorial-06-chap-mutual", "tutorial-07-multi-lun-io",
      "unreachable-portal"};
  const std::vector<std::string> stems = builtin_stems();
  for (const std::string& name : wanted) {
    EXPECT_NE(std::find(stems.begin(), stems.end(), name), stems.end()) << name;
  }
}

class BuiltinScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinScenario, PassesUnderEachOfItsProfiles) {
  Result<Scenario> loaded = load_builtin(GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->name, GetParam());
  EXPECT_FALSE(loaded->description.empty());
  ASSERT_FALSE(loaded->profiles.empty());
  for (Profile profile : loaded->profiles) {
    const auto started = std::chrono::steady_clock::now();
    const RunResult result = run_scenario(*loaded, under(profile));
    const auto wall = std::chrono::steady_clock::now() - started;
    print_steps(result);
    EXPECT_TRUE(result.passed) << GetParam() << " under " << to_string(profile) << ":\n"
                               << testing::describe(result);
    EXPECT_EQ(result.steps.size(), loaded->steps.size());
    std::printf("[ wall     ] %-30s %-3s %7.1f ms  %s\n", GetParam().c_str(),
                std::string(to_string(profile)).c_str(),
                std::chrono::duration<double, std::milli>(wall).count(),
                result.passed ? "passed" : "FAILED");
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, BuiltinScenario, ::testing::ValuesIn(builtin_stems()), test_name);

// The CHAP_A value in the target's Login Responses of a step ("" when none carries one).
std::string chap_algorithm_answered(const RunResult& result, std::size_t step) {
  const StepResult& login = result.steps.at(step);
  for (std::size_t i = login.first_pdu; i < login.end_pdu; ++i) {
    const PduRecord& pdu = result.pdus[i];
    if (pdu.direction != runtime::Direction::target_to_initiator || (pdu.wire[0] & 0x3f) != 0x23) {
      continue;
    }
    const std::string text(pdu.wire.begin() + 48, pdu.wire.end());
    const std::size_t at = text.find("CHAP_A=");
    if (at != std::string::npos) return text.substr(at + 7, text.find('\0', at) - at - 7);
  }
  return "";
}

// Offered 8,7,6,5: the rfc profile answers SHA3-256 (8), the first it supports; tgt answers 7.
TEST(BuiltinSuite, ChapAlgorithmTheTargetPicks) {
  Result<Scenario> loaded = load_builtin("chap-algorithms");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(chap_algorithm_answered(run_scenario(*loaded, under(Profile::rfc)), 1), "8");
  EXPECT_EQ(chap_algorithm_answered(run_scenario(*loaded, under(Profile::tgt)), 1), "7");
}

// The three LUNs of tutorial-07 are written at once: before the first WRITE completes, every
// LUN has a WRITE in flight (one LUN after another, LUN 2 and 3 would wait for LUN 1's end).
TEST(BuiltinSuite, MultiLunTransfersRunAtOnce) {
  Result<Scenario> loaded = load_builtin("tutorial-07-multi-lun-io");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  const RunResult result = run_scenario(*loaded, under(Profile::rfc));
  ASSERT_TRUE(result.passed) << testing::describe(result);
  const StepResult& io = result.steps.at(3);
  ASSERT_EQ(io.kind, "io");
  std::set<int> luns_in_flight;  // LUN (SAM-5 flat addressing: byte 9) of WRITEs sent so far
  std::set<std::uint32_t> write_itts;
  std::size_t writes = 0;
  bool checked = false;
  for (std::size_t i = io.first_pdu; i < io.end_pdu && !checked; ++i) {
    const PduRecord& pdu = result.pdus[i];
    const std::uint32_t itt = load_be32(pdu.wire.data() + 16);
    const bool command = pdu.direction == runtime::Direction::initiator_to_target &&
                         (pdu.wire[0] & 0x3f) == 0x01;
    // WRITE(10) or WRITE(16) in the CDB (byte 32).
    if (command && (pdu.wire[32] == 0x2a || pdu.wire[32] == 0x8a)) {
      luns_in_flight.insert(pdu.wire[9]);
      write_itts.insert(itt);
      ++writes;
    }
    if (pdu.direction == runtime::Direction::target_to_initiator &&
        (pdu.wire[0] & 0x3f) == 0x21 && write_itts.count(itt) != 0) {
      EXPECT_EQ(luns_in_flight, (std::set<int>{1, 2, 3})) << "at the first WRITE response";
      EXPECT_GT(writes, 8U);  // more than one LUN's queue depth
      checked = true;
    }
  }
  EXPECT_TRUE(checked);
}

// A hundred initiators acting at once still give the same run, pcap included, for a seed.
TEST(BuiltinSuite, ConcurrentStepsAreDeterministic) {
  Result<Scenario> loaded = load_builtin("login-storm");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  RunOptions options = under(Profile::rfc);
  options.capture_pcap = true;
  const RunResult first = run_scenario(*loaded, options);
  const RunResult second = run_scenario(*loaded, options);
  EXPECT_TRUE(first.passed) << testing::describe(first);
  EXPECT_FALSE(first.pcap.empty());
  EXPECT_TRUE(first == second);
}

// A copy with one expected exit code flipped fails at that step, and only there.
TEST(BuiltinSuite, ABrokenCopyFails) {
  Result<Scenario> loaded = load_builtin("tutorial-04-chap-oneway");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  Scenario broken = *loaded;
  auto step = std::find_if(broken.steps.begin(), broken.steps.end(),
                           [](const Step& s) { return s.expect.exit_code == 24; });
  ASSERT_NE(step, broken.steps.end());
  step->expect.exit_code = 0;
  const RunResult result = run_scenario(broken, under(Profile::rfc));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.steps.size(), broken.steps.size());
  for (const StepResult& outcome : result.steps) {
    if (outcome.index == step->index) {
      EXPECT_FALSE(outcome.passed);
      EXPECT_EQ(outcome.failures.front(), "expected exit 0, got 24");
    } else {
      EXPECT_TRUE(outcome.passed) << testing::describe(result);
    }
  }
}

}  // namespace
}  // namespace iscsi::scenarios
