// Text longer than one PDU in both directions (RFC 7143 §6.1, §11.12.2, §11.13): the target's
// C=1 responses are pulled with empty requests and joined, wherever they are cut; our own text
// goes out 8192 bytes at a time, each segment answered by an empty response.
#include <gtest/gtest.h>

#include "core/text/key_value.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "tests/initiator-impl/login/login_test_util.hpp"

namespace iscsi::initiator::login::testing {
namespace {

using Next = LoginStep::Next;

LoginSetup quiet_setup() {
  LoginSetup setup = basic_setup(kLab);
  setup.policy.offer_keys.clear();
  return setup;
}

test::LoginParams partial() {
  test::LoginParams params = operational_final(0);
  params.transit = false;
  params.continue_ = true;
  params.nsg = params.csg;
  return params;
}

const Bytes kText = test::key_text({{"TargetPortalGroupTag", "1"}, {"TargetAlias", "disk"}});

Bytes slice(const Bytes& bytes, std::size_t from, std::size_t to) {
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(from),
               bytes.begin() + static_cast<std::ptrdiff_t>(to));
}

void expect_pull(const LoginStep& step) {
  ASSERT_EQ(step.next, Next::continue_login) << describe(step);
  ASSERT_EQ(step.requests.size(), 1U);
  const auto& pull = request_of(step);
  EXPECT_TRUE(step.requests.front().data.empty());
  EXPECT_FALSE(pull.transit);
  EXPECT_FALSE(pull.continue_);
  EXPECT_EQ(pull.csg, pdu::Stage::login_operational_negotiation);
}

void expect_joined(LoginEngine& engine, const LoginStep& last) {
  ASSERT_EQ(last.next, Next::full_feature) << describe(last);
  EXPECT_EQ(engine.succeeded()->target_alias, "disk");
  EXPECT_EQ(engine.succeeded()->target_portal_group_tag, std::optional<std::uint16_t>(1));
  EXPECT_TRUE(last.violations.empty()) << describe(last);
}

TEST(InitiatorLoginText, TargetTextCutAtEveryOffsetIsJoined) {
  for (std::size_t cut = 1; cut < kText.size(); ++cut) {
    SCOPED_TRACE(cut);
    LoginEngine engine(quiet_setup());
    engine.start();
    const auto first = engine.on_pdu(response(partial(), sn(5), slice(kText, 0, cut)));
    expect_pull(first);
    EXPECT_EQ(request_of(first).exp_stat_sn, 6U);
    const auto last =
        engine.on_pdu(response(operational_final(), sn(6), slice(kText, cut, kText.size())));
    expect_joined(engine, last);
  }
}

TEST(InitiatorLoginText, TargetTextByteByByteIsJoined) {
  LoginEngine engine(quiet_setup());
  engine.start();
  std::uint32_t stat_sn = 5;
  for (std::size_t i = 0; i < kText.size(); ++i) {
    expect_pull(engine.on_pdu(response(partial(), sn(stat_sn++), slice(kText, i, i + 1))));
  }
  expect_joined(engine, engine.on_pdu(response(operational_final(), sn(stat_sn), {})));
}

TEST(InitiatorLoginText, TargetTextBeyondTheLoginLimitIsFatal) {
  LoginEngine engine(quiet_setup());
  engine.start();
  const Bytes chunk(8192, 'a');
  LoginStep step;
  std::uint32_t stat_sn = 5;
  for (int i = 0; i < 20 && step.next == Next::continue_login; ++i) {
    step = engine.on_pdu(response(partial(), sn(stat_sn++), chunk));
  }
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(engine.failure()->violation.id(), "text.too-long");
}

LoginSetup long_text_setup() {
  LoginSetup setup = quiet_setup();
  // X#NodeArchitecture is never checked against the 255-byte limit by the policy: a long value
  // makes our first text span two Login Requests.
  setup.policy.node_architecture = {std::string(9000, 'x')};
  return setup;
}

TEST(InitiatorLoginText, OurLongTextGoesOutInSegmentsOfAtMost8192Bytes) {
  LoginEngine engine(long_text_setup());
  const auto first = engine.start();
  ASSERT_EQ(first.requests.size(), 1U);
  EXPECT_EQ(first.requests.front().data.size(), 8192U);
  EXPECT_TRUE(request_of(first).continue_);
  EXPECT_FALSE(request_of(first).transit);

  test::LoginParams empty_answer = partial();
  empty_answer.continue_ = false;
  const auto second = engine.on_pdu(response(empty_answer, sn(5), {}));
  ASSERT_EQ(second.requests.size(), 1U) << describe(second);
  EXPECT_FALSE(request_of(second).continue_);
  EXPECT_TRUE(request_of(second).transit);
  EXPECT_EQ(request_of(second).nsg, pdu::Stage::full_feature_phase);

  Bytes whole = first.requests.front().data;
  whole.insert(whole.end(), second.requests.front().data.begin(),
               second.requests.front().data.end());
  // The value is longer than text::parse_text accepts (255 bytes), so look for the pairs.
  const std::string joined(whole.begin(), whole.end());
  const std::string architecture = "X#NodeArchitecture=" + std::string(9000, 'x') + '\0';
  EXPECT_NE(joined.find(architecture), std::string::npos);
  EXPECT_EQ(joined.find("InitiatorName=" + std::string(kInitiator) + '\0'), 0U);
  EXPECT_EQ(joined.back(), '\0');

  const auto done = engine.on_pdu(response(operational_final(), sn(6), kText));
  EXPECT_EQ(done.next, Next::full_feature) << describe(done);
}

TEST(InitiatorLoginText, TargetTextWhileOurTextIsStillGoingOutIsFatal) {
  LoginEngine engine(long_text_setup());
  engine.start();
  test::LoginParams answer = partial();
  answer.continue_ = false;
  const auto step = engine.on_pdu(response(answer, sn(5), kText));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(engine.failure()->violation.id(), "initiator-login.data-during-continuation");
}

}  // namespace
}  // namespace iscsi::initiator::login::testing
