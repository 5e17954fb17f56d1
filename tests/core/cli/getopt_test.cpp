#include "core/cli/getopt.hpp"

#include <gtest/gtest.h>

#include <array>

namespace iscsi::cli {
namespace {

constexpr std::array<LongOption, 6> longs{{
    {"op", ArgKind::required, 'o'},
    {"outgoing", ArgKind::none, 'O'},
    {"tid", ArgKind::required, 't'},
    {"targetname", ArgKind::required, 'T'},
    {"force", ArgKind::none, 'F'},
    {"level", ArgKind::optional, 'v'},
}};
constexpr std::string_view shorts = "do:t:T:F:O:v::";

struct Run {
  std::vector<OptionEvent> events;
  std::vector<std::string> operands;
};

// Every event to the end, as iscsiadm's loop reads them.
Run run(const std::vector<std::string>& args) {
  GetoptLong getopt(args, shorts, longs);
  Run out;
  while (auto event = getopt.next()) out.events.push_back(std::move(*event));
  out.operands = getopt.operands();
  return out;
}

// The events as "code[=argument]" words, e.g. "o=show t=3 O".
std::string trace(const Run& r) {
  std::string out;
  for (const OptionEvent& event : r.events) {
    if (!out.empty()) out += ' ';
    out += event.code;
    if (event.argument) out += "=" + *event.argument;
  }
  return out;
}

// The first error's message, or "" (tgtadm stops there).
std::string first_error(const std::vector<std::string>& args) {
  for (const OptionEvent& event : run(args).events) {
    if (event.code == '?') return event.error;
  }
  return "";
}

TEST(GetoptLong, LongOptionsTakeTheNextArgumentOrAnEqualsValue) {
  auto r = run({"--op", "show", "--tid=3", "--outgoing", "--op="});
  EXPECT_EQ(trace(r), "o=show t=3 O o=");
  EXPECT_TRUE(r.operands.empty());
}

TEST(GetoptLong, ARequiredArgumentMayStartWithADash) {
  EXPECT_EQ(trace(run({"--tid", "-1", "-o", "--op"})), "t=-1 o=--op");
}

TEST(GetoptLong, OptionalArgumentsAreOnlyEverAttached) {
  auto r = run({"--level", "x", "--level=3", "-v", "y", "-v4", "-dv"});
  EXPECT_EQ(trace(r), "v v=3 v v=4 d v");
  EXPECT_EQ(r.operands, (std::vector<std::string>{"x", "y"}));
}

TEST(GetoptLong, UniquePrefixesAreAcceptedAndAmbiguousOnesListed) {
  EXPECT_EQ(trace(run({"--ti", "1", "--targ", "x", "--outg", "--le"})), "t=1 T=x O v");
  EXPECT_EQ(first_error({"--t", "1"}),
            "option '--t' is ambiguous; possibilities: '--tid' '--targetname'");
  EXPECT_EQ(first_error({"--o=x"}),
            "option '--o' is ambiguous; possibilities: '--op' '--outgoing'");
}

TEST(GetoptLong, PrefixesOfOneOptionListedTwiceAreNotAmbiguous) {
  constexpr std::array<LongOption, 3> aliases{{
      {"portal", ArgKind::required, 'p'},
      {"portal-address", ArgKind::required, 'p'},
      {"print", ArgKind::required, 'P'},
  }};
  std::vector<std::string> args{"--port", "a"};
  GetoptLong getopt(args, "", aliases);
  auto event = getopt.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->code, 'p');
  EXPECT_EQ(event->argument, "a");
}

TEST(GetoptLong, AnExactNameWinsOverLongerNamesItPrefixes) {
  EXPECT_EQ(trace(run({"--op", "new"})), "o=new");
}

TEST(GetoptLong, DiagnosticsAreGlibcsWithTheirOptopt) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
    char optopt;
  };
  const std::vector<Case> cases{
      {{"--bogus=1"}, "unrecognized option '--bogus=1'", 0},
      {{"--tid"}, "option '--tid' requires an argument", 't'},
      {{"--force=1"}, "option '--force' doesn't allow an argument", 'F'},
      {{"-Z"}, "invalid option -- 'Z'", 'Z'},
      {{"-O"}, "option requires an argument -- 'O'", 'O'},
      {{"-:"}, "invalid option -- ':'", ':'},
      {{"-;"}, "invalid option -- ';'", ';'},
      {{"--t"}, "option '--t' is ambiguous; possibilities: '--tid' '--targetname'", 0},
  };
  for (const Case& c : cases) {
    auto r = run(c.args);
    ASSERT_EQ(r.events.size(), 1U) << c.message;
    EXPECT_EQ(r.events[0].code, '?');
    EXPECT_EQ(r.events[0].error, c.message);
    EXPECT_EQ(r.events[0].optopt, c.optopt) << c.message;
  }
}

TEST(GetoptLong, ShortOptionsClusterAndTakeTheRestAsArgument) {
  EXPECT_EQ(trace(run({"-dt7", "-d", "-o", "show", "-To"})), "d t=7 d o=show T=o");
}

TEST(GetoptLong, OperandsArePermutedAndDoubleDashEndsOptions) {
  auto r = run({"extra", "-d", "-", "--", "--tid", "1"});
  EXPECT_EQ(trace(r), "d");
  EXPECT_EQ(r.operands, (std::vector<std::string>{"extra", "-", "--tid", "1"}));
}

TEST(GetoptLong, ParsingGoesOnAfterAnErrorInsideAClusterAndAfterIt) {
  auto r = run({"-dZd", "--op", "x", "-Y", "--bad", "-d"});
  EXPECT_EQ(trace(r), "d ? d o=x ? ? d");
  EXPECT_EQ(r.events[1].optopt, 'Z');
  EXPECT_EQ(r.events[4].optopt, 'Y');
  EXPECT_EQ(r.events[5].optopt, 0);
}

TEST(GetoptLong, ACallerMayStopAtTheFirstError) {
  std::vector<std::string> args{"-d", "--op", "x", "-Z", "-d", "operand"};
  GetoptLong getopt(args, shorts, longs);
  std::vector<char> before;
  std::optional<OptionEvent> event;
  while ((event = getopt.next()) && event->code != '?') before.push_back(event->code);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->error, "invalid option -- 'Z'");
  EXPECT_EQ(before, (std::vector<char>{'d', 'o'}));
  EXPECT_TRUE(getopt.operands().empty());  // the rest was never read
}

TEST(GetoptLong, EveryCallConsumesInputSoTheLoopEnds) {
  // A cluster of unknown letters yields one error per letter and then the end.
  std::vector<std::string> args{"-" + std::string(100, 'Z'), "--"};
  GetoptLong getopt(args, shorts, longs);
  std::size_t count = 0;
  while (getopt.next() && count <= 200) {
    ++count;
    EXPECT_EQ(getopt.inside_cluster(), count < 100U);
  }
  EXPECT_EQ(count, 100U);
  EXPECT_FALSE(getopt.next());
}

}  // namespace
}  // namespace iscsi::cli
