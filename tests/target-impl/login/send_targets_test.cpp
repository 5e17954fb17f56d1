// SendTargets answers (RFC 7143 §13.3, Appendix C; digest §3.4; C105-C110, C114).
#include <gtest/gtest.h>

#include "core/text/send_targets.hpp"
#include "target-impl/login/send_targets.hpp"
#include "tests/target-impl/login/login_test_util.hpp"

namespace iscsi::target::login::testing {
namespace {

SendTargetsQuery query(std::string_view value, const config::TargetConfig* session = nullptr) {
  return SendTargetsQuery{.value = value,
                          .initiator_ipv4 = kLoopback,
                          .initiator_name = kInitiator,
                          .session_target = session,
                          .portals = {{kLoopback, 3260}, {0x0a000005, 3261}},
                          .target_portal_group_tag = 7};
}

TEST(SendTargets, AllListsOnlyAdmittedTargetsWithEveryPortal) {
  const config::SystemConfig system = lab_config();
  const text::KeyValueList answer = answer_send_targets(system, query("All"));
  // tid 3 admits only 127.0.0.2 and is hidden (C114); tid 4 admits kInitiator by name.
  EXPECT_EQ(answer, (text::KeyValueList{{"TargetName", std::string(kLab)},
                                        {"TargetAddress", "127.0.0.1:3260,7"},
                                        {"TargetAddress", "10.0.0.5:3261,7"},
                                        {"TargetName", std::string(kChap)},
                                        {"TargetAddress", "127.0.0.1:3260,7"},
                                        {"TargetAddress", "10.0.0.5:3261,7"},
                                        {"TargetName", std::string(kByName)},
                                        {"TargetAddress", "127.0.0.1:3260,7"},
                                        {"TargetAddress", "10.0.0.5:3261,7"}}));
  // The answer parses as SendTargets output (digest §3.4 syntax, C106).
  const auto records = text::parse_send_targets_response(answer);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3U);
  EXPECT_EQ((*records)[0].addresses[1].portal_group_tag, 7);
}

TEST(SendTargets, AnotherInitiatorSeesOtherTargets) {
  const config::SystemConfig system = lab_config();
  SendTargetsQuery q = query("All");
  q.initiator_ipv4 = 0x7f000002;
  q.initiator_name = "iqn.2024-01.org.example:other";
  const auto records = text::parse_send_targets_response(answer_send_targets(system, q));
  ASSERT_TRUE(records.ok());
  std::vector<std::string> names;
  for (const auto& r : *records) names.push_back(r.target_name);
  EXPECT_EQ(names, (std::vector<std::string>{std::string(kLab), std::string(kChap),
                                             std::string(kPrivate)}));
}

TEST(SendTargets, NamedTargetOnlyThatOneAndEmptyWhenUnknownOrHidden) {
  const config::SystemConfig system = lab_config();
  const auto one = answer_send_targets(system, query(kChap));
  ASSERT_EQ(one.size(), 3U);  // C107
  EXPECT_EQ(one[0], (text::KeyValue{"TargetName", std::string(kChap)}));
  EXPECT_TRUE(answer_send_targets(system, query("iqn.2019-01.com.example:none")).empty());  // C108
  EXPECT_TRUE(answer_send_targets(system, query(kPrivate)).empty());  // hidden (C114)
}

TEST(SendTargets, EmptyValueIsTheSessionTarget) {
  const config::SystemConfig system = lab_config();
  const config::TargetConfig& own = system.targets.at(4);
  const auto answer = answer_send_targets(system, query("", &own));  // C109
  ASSERT_EQ(answer.size(), 3U);
  EXPECT_EQ(answer[0].value, kByName);
  EXPECT_TRUE(answer_send_targets(system, query("")).empty());  // no session target
  // All in a Normal session stays with the session's own target (C110).
  EXPECT_EQ(answer_send_targets(system, query("All", &own)), answer);
}

TEST(SendTargets, NoTargetsNoAnswer) {
  EXPECT_TRUE(answer_send_targets(config::SystemConfig{}, query("All")).empty());
}

}  // namespace
}  // namespace iscsi::target::login::testing
