#include "core/text/duplicates.hpp"

#include <gtest/gtest.h>

namespace iscsi::text {
namespace {

// C054: the same key twice in one negotiation.
TEST(Duplicates, StrictRuleFindsTheSecondOccurrence) {
  const KeyValueList pairs{{"MaxBurstLength", "1024"}, {"A", "1"}, {"MaxBurstLength", "2048"}};
  EXPECT_EQ(find_duplicate_key(pairs, DuplicateRule::strict), 2U);
  auto check = check_no_duplicate_keys(pairs, DuplicateRule::strict);
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().id(), "text.duplicate-key");
  EXPECT_EQ(check.error().kind.rfc_section, "RFC 7143 §6.2");
  EXPECT_EQ(check.error().severity(), Severity::fatal);
  EXPECT_NE(check.error().detail.find("pair 3 repeats the key of pair 1"), std::string::npos);
}

TEST(Duplicates, DistinctKeysPass) {
  EXPECT_TRUE(check_no_duplicate_keys({{"A", "1"}, {"B", "1"}}, DuplicateRule::strict));
  EXPECT_TRUE(check_no_duplicate_keys({}, DuplicateRule::strict));
}

// RFC 7143 §13.3: SendTargets output repeats TargetName and TargetAddress (C105).
TEST(Duplicates, SendTargetsOutputMayRepeatNamesAndAddresses) {
  const KeyValueList output{{"TargetName", "iqn.2019-01.com.example:lab1"},
                            {"TargetAddress", "127.0.0.1:3260,1"},
                            {"TargetAddress", "[::1]:3260,1"},
                            {"TargetName", "iqn.2019-01.com.example:chap1"},
                            {"TargetAddress", "127.0.0.1:3260,1"}};
  EXPECT_TRUE(check_no_duplicate_keys(output, DuplicateRule::send_targets_output));
  EXPECT_FALSE(check_no_duplicate_keys(output, DuplicateRule::strict));
  EXPECT_FALSE(check_no_duplicate_keys({{"TargetAlias", "a"}, {"TargetAlias", "b"}},
                                       DuplicateRule::send_targets_output));
  EXPECT_TRUE(may_repeat_in_send_targets_output("TargetAddress"));
  EXPECT_FALSE(may_repeat_in_send_targets_output("SendTargets"));
}

}  // namespace
}  // namespace iscsi::text
