#include "target-impl/config/getopt_long.hpp"

#include <gtest/gtest.h>

#include <array>

namespace iscsi::target::config {
namespace {

using getopt::ArgKind;

constexpr std::array<getopt::LongOption, 5> longs{{
    {"op", ArgKind::required, 'o'},
    {"outgoing", ArgKind::none, 'O'},
    {"tid", ArgKind::required, 't'},
    {"targetname", ArgKind::required, 'T'},
    {"force", ArgKind::none, 'F'},
}};
constexpr std::string_view shorts = "do:t:T:F:O:";

getopt::Result run(std::vector<std::string> args) { return getopt::parse(args, shorts, longs); }

TEST(GetoptLong, LongOptionsTakeTheNextArgumentOrAnEqualsValue) {
  auto r = run({"--op", "show", "--tid=3", "--outgoing"});
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.options.size(), 3U);
  EXPECT_EQ(r.options[0].code, 'o');
  EXPECT_EQ(r.options[0].argument, "show");
  EXPECT_EQ(r.options[1].argument, "3");
  EXPECT_EQ(r.options[2].code, 'O');
  EXPECT_FALSE(r.options[2].argument);
}

TEST(GetoptLong, ARequiredArgumentMayStartWithADash) {
  auto r = run({"--tid", "-1"});
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.options[0].argument, "-1");
}

TEST(GetoptLong, UniquePrefixesAreAcceptedAndAmbiguousOnesListed) {
  auto r = run({"--ti", "1", "--targ", "x", "--outg"});
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.options[0].code, 't');
  EXPECT_EQ(r.options[1].code, 'T');
  EXPECT_EQ(r.options[2].code, 'O');
  EXPECT_EQ(run({"--t", "1"}).error, "option '--t' is ambiguous; possibilities: '--tid' '--targetname'");
  EXPECT_EQ(run({"--o", "x"}).error, "option '--o' is ambiguous; possibilities: '--op' '--outgoing'");
}

TEST(GetoptLong, AnExactNameWinsOverLongerNamesItPrefixes) {
  auto r = run({"--op", "new"});
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.options[0].code, 'o');
}

TEST(GetoptLong, DiagnosticsAreGlibcs) {
  EXPECT_EQ(run({"--bogus=1"}).error, "unrecognized option '--bogus=1'");
  EXPECT_EQ(run({"--tid"}).error, "option '--tid' requires an argument");
  EXPECT_EQ(run({"--force=1"}).error, "option '--force' doesn't allow an argument");
  EXPECT_EQ(run({"-Z"}).error, "invalid option -- 'Z'");
  EXPECT_EQ(run({"-O"}).error, "option requires an argument -- 'O'");
  EXPECT_EQ(run({"-:"}).error, "invalid option -- ':'");
}

TEST(GetoptLong, ShortOptionsClusterAndTakeTheRestAsArgument) {
  auto r = run({"-dt7", "-d", "-o", "show"});
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.options.size(), 4U);
  EXPECT_EQ(r.options[0].code, 'd');
  EXPECT_EQ(r.options[1].code, 't');
  EXPECT_EQ(r.options[1].argument, "7");
  EXPECT_EQ(r.options[3].argument, "show");
}

TEST(GetoptLong, OperandsArePermutedAndDoubleDashEndsOptions) {
  auto r = run({"extra", "-d", "-", "--", "--tid", "1"});
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.options.size(), 1U);
  EXPECT_EQ(r.operands, (std::vector<std::string>{"extra", "-", "--tid", "1"}));
}

TEST(GetoptLong, OptionsBeforeAnErrorAreKept) {
  auto r = run({"-d", "--op", "x", "-Z", "-d"});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.options.size(), 2U);
}

}  // namespace
}  // namespace iscsi::target::config
