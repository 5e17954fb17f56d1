// timings.json (reports/writers.hpp, to_json(Timings) and timings_from_json).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

std::string timings_error(std::string_view text) {
  Result<Timings> read = timings_from_json(text, "timings.json");
  if (read.ok()) return "(read)";
  EXPECT_EQ(read.error().id(), "timings.json-invalid");
  return read.error().detail;
}

TEST(TimingsJson, WritesTheSchema) {
  Timings timings;
  timings.wall_seconds = 0.5;
  timings.jobs = 3;
  timings.scenarios = {{"a", 2, "tgt", 0.25}};
  EXPECT_EQ(to_json(timings), R"({
  "schema": "iscsim-timings/1",
  "wall_seconds": 0.5,
  "jobs": 3,
  "scenarios": [
    {
      "name": "a",
      "seed": 2,
      "profile": "tgt",
      "wall_seconds": 0.25
    }
  ]
}
)");
}

TEST(TimingsJson, RoundTripsDoublesExactly) {
  Timings timings = test::sample_timings();
  timings.wall_seconds = 0.1 + 0.2;  // not a short decimal
  timings.scenarios[0].wall_seconds = std::numeric_limits<double>::denorm_min();
  timings.scenarios[1].wall_seconds = std::numeric_limits<double>::max();
  Result<Timings> read = timings_from_json(to_json(timings), "timings.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(*read, timings);
}

TEST(TimingsJson, WritesAClockThatIsNotFiniteAsZero) {
  Timings timings;
  timings.wall_seconds = std::nan("");
  timings.scenarios = {{"a", 1, "rfc", std::numeric_limits<double>::infinity()}};
  Result<Timings> read = timings_from_json(to_json(timings), "timings.json");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  EXPECT_EQ(read->wall_seconds, 0.0);
  EXPECT_EQ(read->scenarios[0].wall_seconds, 0.0);
}

TEST(TimingsJson, RefusesBadFields) {
  EXPECT_EQ(timings_error(to_json(RunReport{})),
            "timings.json: schema: expected \"iscsim-timings/1\", got \"iscsim-report/1\"");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": -1, "jobs": 1,
                              "scenarios": []})"),
            "timings.json: wall_seconds: expected a finite, non-negative number of seconds");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": "1", "jobs": 1,
                              "scenarios": []})"),
            "timings.json: wall_seconds: expected a number of seconds");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": -0.5, "jobs": 1,
                              "scenarios": []})"),
            "timings.json: wall_seconds: expected a finite, non-negative number of seconds");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": 1, "jobs": 4294967296,
                              "scenarios": []})"),
            "timings.json: jobs: expected an unsigned number up to 4294967295, got 4294967296");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": 1, "jobs": 1,
                              "scenarios": [{"name": "a", "seed": 1, "profile": "rfc"}]})"),
            "timings.json: scenarios[0]: missing key \"wall_seconds\"");
  EXPECT_EQ(timings_error(R"({"schema": "iscsim-timings/1", "wall_seconds": 1, "jobs": 1,
                              "scenarios": [], "extra": 0})"),
            "timings.json: extra: unknown key");
  const std::string truncated = "timings.json: not valid JSON: parse error at line 1, column 2: ";
  EXPECT_EQ(timings_error("{").substr(0, truncated.size()), truncated);
}

}  // namespace
}  // namespace iscsi::reports
