#include "core/text/send_targets.hpp"

#include <gtest/gtest.h>

#include "core/text/accumulator.hpp"

namespace iscsi::text {
namespace {

using namespace std::string_view_literals;

// C105, C107-C109: the query forms.
TEST(SendTargetsQuery, Forms) {
  EXPECT_EQ(parse_send_targets_query("All"), (SendTargetsQuery{SendTargetsScope::all, ""}));
  EXPECT_EQ(parse_send_targets_query(""),
            (SendTargetsQuery{SendTargetsScope::session_target, ""}));
  EXPECT_EQ(parse_send_targets_query("iqn.2019-01.com.example:lab1"),
            (SendTargetsQuery{SendTargetsScope::named_target, "iqn.2019-01.com.example:lab1"}));
}

// tgt's answer to SendTargets=All in tgtd-libiscsi-session.pcap (frame 9).
TEST(SendTargetsResponse, ParsesTgtAnswer) {
  const auto pairs = parse_text(to_bytes("TargetName=iqn.2019-01.com.example:lab1\0"
                                         "TargetAddress=127.0.0.1:3260,1\0"
                                         "TargetName=iqn.2019-01.com.example:chap1\0"
                                         "TargetAddress=127.0.0.1:3260,1\0"sv))
                         .value();
  const auto records = parse_send_targets_response(pairs).value();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[1].target_name, "iqn.2019-01.com.example:chap1");
  ASSERT_EQ(records[1].addresses.size(), 1U);
  EXPECT_EQ(records[1].addresses[0].portal_group_tag, 1);
  EXPECT_EQ(encode_send_targets_response(records), pairs);
}

TEST(SendTargetsResponse, TargetWithoutAddressesAndEmptyAnswer) {
  const auto records = parse_send_targets_response({{"TargetName", "iqn.a"}}).value();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_TRUE(records[0].addresses.empty());
  EXPECT_TRUE(parse_send_targets_response({}).value().empty());  // C108
}

TEST(SendTargetsResponse, Malformed) {
  auto orphan = parse_send_targets_response({{"TargetAddress", "127.0.0.1"}});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().id(), "text.bad-send-targets-response");
  auto empty_name = parse_send_targets_response({{"TargetName", ""}});
  ASSERT_FALSE(empty_name);
  auto bad_address = parse_send_targets_response({{"TargetName", "iqn.a"},
                                                  {"TargetAddress", "[::1"}});
  ASSERT_FALSE(bad_address);
  EXPECT_EQ(bad_address.error().id(), "text.bad-target-address");
}

TEST(SendTargetsResponse, SkipsOtherKeys) {
  const auto records = parse_send_targets_response(
                           {{"TargetName", "iqn.a"}, {"TargetAlias", "x"}, {"X-y", "z"}})
                           .value();
  EXPECT_EQ(records.size(), 1U);
}

}  // namespace
}  // namespace iscsi::text
