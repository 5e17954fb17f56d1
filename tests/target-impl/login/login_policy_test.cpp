// The negotiation policy of a login from the configuration and the profile, and the profile's
// login quirks.
#include <gtest/gtest.h>

#include "target-impl/login/login_policy.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {
namespace {

config::TargetConfig target_with(std::map<std::string, std::string, std::less<>> params) {
  config::TargetConfig target;
  target.tid = 1;
  target.name = "iqn.2019-01.com.example:lab1";
  target.params = std::move(params);
  return target;
}

TEST(LoginPolicy, RfcDefaults) {
  const auto policy = login_policy(nullptr, config::Profile::rfc, 1, false);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->header_digests, (std::vector<std::string>{"CRC32C", "None"}));
  EXPECT_EQ(policy->data_digests, (std::vector<std::string>{"CRC32C", "None"}));
  EXPECT_EQ(policy->error_recovery_level, 0);
  EXPECT_TRUE(policy->declare_max_recv_data_segment_length);
  EXPECT_EQ(policy->max_recv_data_segment_length, kRfcMaxRecvDataSegmentLength);
  EXPECT_TRUE(policy->answer_irrelevant_in_discovery);
  EXPECT_FALSE(policy->answer_markers_with_no);
  EXPECT_EQ(policy->auth_methods, (std::vector<std::string>{"None"}));
  EXPECT_EQ(policy->target_portal_group_tag, 1);
  EXPECT_TRUE(policy->offer_keys.empty());
}

TEST(LoginPolicy, TgtDefaults) {
  const auto policy = login_policy(nullptr, config::Profile::tgt, 1, true);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->header_digests, (std::vector<std::string>{"None"}));
  EXPECT_EQ(policy->data_digests, (std::vector<std::string>{"None"}));
  EXPECT_FALSE(policy->declare_max_recv_data_segment_length);
  EXPECT_EQ(policy->max_recv_data_segment_length, 8192U);
  EXPECT_FALSE(policy->answer_irrelevant_in_discovery);
  EXPECT_TRUE(policy->answer_markers_with_no);
  EXPECT_EQ(policy->auth_methods, (std::vector<std::string>{"CHAP"}));
}

TEST(LoginPolicy, TargetParametersApply) {
  const config::TargetConfig target = target_with({{"HeaderDigest", "CRC32C"},
                                                   {"DataDigest", "CRC32C,None"},
                                                   {"MaxRecvDataSegmentLength", "65536"},
                                                   {"MaxBurstLength", "1048576"},
                                                   {"FirstBurstLength", "524288"},
                                                   {"ImmediateData", "No"},
                                                   {"InitialR2T", "No"},
                                                   {"MaxOutstandingR2T", "4"},
                                                   {"DefaultTime2Wait", "5"},
                                                   {"DefaultTime2Retain", "60"},
                                                   {"DataPDUInOrder", "No"},
                                                   {"DataSequenceInOrder", "No"},
                                                   {"TargetAlias", "lab disk"},
                                                   {"RedirectAddress", "10.0.0.1"},
                                                   {"nop_interval", "5"}});
  for (const auto profile : {config::Profile::rfc, config::Profile::tgt}) {
    const auto policy = login_policy(&target, profile, 3, false);
    ASSERT_TRUE(policy.ok()) << policy.error().to_string();
    EXPECT_EQ(policy->header_digests, (std::vector<std::string>{"CRC32C"}));
    EXPECT_EQ(policy->data_digests, (std::vector<std::string>{"CRC32C", "None"}));
    EXPECT_EQ(policy->max_recv_data_segment_length, 65536U);
    EXPECT_TRUE(policy->declare_max_recv_data_segment_length);
    EXPECT_EQ(policy->max_burst_length, 1048576U);
    EXPECT_EQ(policy->first_burst_length, 524288U);
    EXPECT_FALSE(policy->immediate_data);
    EXPECT_FALSE(policy->initial_r2t);
    EXPECT_EQ(policy->max_outstanding_r2t, 4U);
    EXPECT_EQ(policy->default_time2wait, 5U);
    EXPECT_EQ(policy->default_time2retain, 60U);
    EXPECT_FALSE(policy->data_pdu_in_order);
    EXPECT_FALSE(policy->data_sequence_in_order);
    EXPECT_EQ(policy->target_alias, "lab disk");
    EXPECT_EQ(policy->target_portal_group_tag, 3);
  }
}

TEST(LoginPolicy, ErlAndMaxConnectionsAreCappedAtWhatIsImplemented) {
  const config::TargetConfig target =
      target_with({{"ErrorRecoveryLevel", "2"}, {"MaxConnections", "8"}});
  const auto policy = login_policy(&target, config::Profile::rfc, 1, false);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->error_recovery_level, kImplementedErrorRecoveryLevel);
  EXPECT_EQ(policy->max_connections, kImplementedMaxConnections);
}

TEST(LoginPolicy, BadParametersAreTargetErrors) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"HeaderDigest", "MD5"},
           {"DataDigest", ""},
           {"MaxBurstLength", "100"},  // below 512
           {"MaxBurstLength", "lots"},
           {"ImmediateData", "yes"},
           {"FirstBurstLength", "1048576"}}) {  // above the default MaxBurstLength
    const config::TargetConfig target = target_with({{key, value}});
    const auto policy = login_policy(&target, config::Profile::rfc, 1, false);
    ASSERT_FALSE(policy.ok()) << key << "=" << value;
    EXPECT_EQ(policy.error().id(), violations::kTargetError.id);
  }
}

TEST(LoginPolicy, TgtDeclaresLengthOnlyWhenConfiguredAwayFromDefault) {
  const config::TargetConfig same = target_with({{"MaxRecvDataSegmentLength", "8192"}});
  EXPECT_FALSE(login_policy(&same, config::Profile::tgt, 1, false)->declare_max_recv_data_segment_length);
  EXPECT_TRUE(login_policy(&same, config::Profile::rfc, 1, false)->declare_max_recv_data_segment_length);
}

TEST(LoginQuirksTest, ProfilesDiffer) {
  const LoginQuirks rfc = login_quirks(config::Profile::rfc);
  const LoginQuirks tgt = login_quirks(config::Profile::tgt);
  EXPECT_EQ(rfc.acl_denial_status, 0x0202);
  EXPECT_EQ(tgt.acl_denial_status, 0x0203);
  EXPECT_TRUE(rfc.stat_sn_from_exp_stat_sn);
  EXPECT_FALSE(tgt.stat_sn_from_exp_stat_sn);
  EXPECT_EQ(tgt.chap.challenge_length, 50U);
  EXPECT_EQ(rfc.chap.challenge_length, 0U);
}

TEST(Redirect, ReasonsAndPort) {
  EXPECT_FALSE(configured_redirect(target_with({})).has_value());
  EXPECT_FALSE(configured_redirect(target_with({{"RedirectAddress", "10.1.1.1"},
                                                {"RedirectReason", "Sometimes"}}))
                   .has_value());
  const auto temporary = configured_redirect(target_with(
      {{"RedirectAddress", "10.1.1.1"}, {"RedirectPort", "3262"}, {"RedirectReason", "Temporary"}}));
  ASSERT_TRUE(temporary.has_value());
  EXPECT_EQ(temporary->status, 0x0101);
  EXPECT_EQ(temporary->target_address, "10.1.1.1:3262");
  const auto permanent = configured_redirect(
      target_with({{"RedirectAddress", "[2001:db8::1]"}, {"RedirectReason", "Permanent"}}));
  ASSERT_TRUE(permanent.has_value());
  EXPECT_EQ(permanent->status, 0x0102);
  EXPECT_EQ(permanent->target_address, "[2001:db8::1]:3260");
}

}  // namespace
}  // namespace iscsi::target::login
