// Whole negotiations: our initiator against our target, tgt's captured answers reproduced by
// configuration alone, the originator's answer checks, stages and limits.
#include <algorithm>

#include "core/text/accumulator.hpp"
#include "tests/core/negotiation/negotiation_test_util.hpp"

namespace iscsi::negotiation {
namespace {

using namespace testing;
using namespace std::string_view_literals;
using Ids = std::vector<std::string>;

KeyValueList parse(std::string_view text) { return text::parse_text(to_bytes(text)).value(); }

// tgt 1.0.85's behaviour as pure configuration (peer-behaviour.md, "Negotiation defaults").
LocalPolicy tgt_policy() {
  LocalPolicy policy = target_policy();
  policy.target_portal_group_tag = 1;
  policy.header_digests = {"None"};
  policy.data_digests = {"None"};
  policy.error_recovery_level = 0;
  policy.declare_max_recv_data_segment_length = false;
  policy.answer_irrelevant_in_discovery = false;
  policy.answer_markers_with_no = true;
  return policy;
}

// One login step at the target: answers plus its own declarations first, as tgt orders them.
KeyValueList tgt_response(const KeyValueList& request, Phase phase) {
  const LocalPolicy policy = tgt_policy();
  const auto out = receive({}, request, policy, as_target(phase));
  EXPECT_TRUE(out.violations.empty()) << out.violations.front().to_string();
  auto own = make_offer(out.state, policy, as_target(phase));
  KeyValueList response = own.pairs;
  response.insert(response.end(), out.reply.begin(), out.reply.end());
  return response;
}

// Frames 4 and 6 of tgtd-libiscsi-session.pcap: libiscsi's discovery login (CSG=1, T=1,
// NSG=3) and tgt's answer, byte for byte.
TEST(TgtProfile, ReproducesCapturedDiscoveryAnswer) {
  const auto request = parse(
      "InitiatorName=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-ls\0SessionType=Discovery\0"
      "HeaderDigest=None\0DataDigest=None\0InitialR2T=No\0ImmediateData=Yes\0"
      "MaxBurstLength=262144\0FirstBurstLength=262144\0DefaultTime2Wait=2\0"
      "DefaultTime2Retain=0\0MaxOutstandingR2T=1\0ErrorRecoveryLevel=0\0IFMarker=No\0"
      "OFMarker=No\0MaxConnections=1\0MaxRecvDataSegmentLength=262144\0DataPDUInOrder=Yes\0"
      "DataSequenceInOrder=Yes\0"sv);
  const std::string_view captured_answer =
      "TargetPortalGroupTag=1\0HeaderDigest=None\0DataDigest=None\0InitialR2T=Yes\0"
      "ImmediateData=Yes\0MaxBurstLength=262144\0FirstBurstLength=65536\0DefaultTime2Wait=2\0"
      "DefaultTime2Retain=0\0MaxOutstandingR2T=1\0ErrorRecoveryLevel=0\0IFMarker=No\0"
      "OFMarker=No\0MaxConnections=1\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0"sv;
  ASSERT_EQ(captured_answer.size(), 300U);  // DataSegmentLength of frame 6
  EXPECT_EQ(text::encode_text(tgt_response(request, Phase::operational)),
            to_bytes(captured_answer));
}

// Frames 26 and 28: the Normal-session login of iscsi-inq (HeaderDigest=None,CRC32C).
TEST(TgtProfile, ReproducesCapturedNormalAnswer) {
  const auto request = parse(
      "InitiatorName=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq\0"
      "TargetName=iqn.2019-01.com.example:lab1\0SessionType=Normal\0HeaderDigest=None,CRC32C\0"
      "DataDigest=None\0InitialR2T=No\0ImmediateData=Yes\0MaxBurstLength=262144\0"
      "FirstBurstLength=262144\0DefaultTime2Wait=2\0DefaultTime2Retain=0\0"
      "MaxOutstandingR2T=1\0ErrorRecoveryLevel=0\0IFMarker=No\0OFMarker=No\0MaxConnections=1\0"
      "MaxRecvDataSegmentLength=262144\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0"sv);
  const std::string_view captured_answer =
      "TargetPortalGroupTag=1\0HeaderDigest=None\0DataDigest=None\0InitialR2T=Yes\0"
      "ImmediateData=Yes\0MaxBurstLength=262144\0FirstBurstLength=65536\0DefaultTime2Wait=2\0"
      "DefaultTime2Retain=0\0MaxOutstandingR2T=1\0ErrorRecoveryLevel=0\0IFMarker=No\0"
      "OFMarker=No\0MaxConnections=1\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0"sv;
  EXPECT_EQ(text::encode_text(tgt_response(request, Phase::operational)),
            to_bytes(captured_answer));
}

// tgt answers ERL 0 and digests None even when offered 2 and CRC32C first (checked live).
TEST(TgtProfile, ErlAndDigests) {
  const auto out = receive({}, {{"ErrorRecoveryLevel", "2"}, {"HeaderDigest", "CRC32C,None"},
                                {"DataDigest", "CRC32C,None"}},
                           tgt_policy(), as_target());
  EXPECT_EQ(out.reply, (KeyValueList{{"ErrorRecoveryLevel", "0"}, {"HeaderDigest", "None"},
                                     {"DataDigest", "None"}}));
}

// Runs a login between our initiator and our target, both driven by the negotiator, through
// the text codec with small PDUs: security stage, then operational stage.
struct Pair {
  NegotiationState initiator;
  NegotiationState target;
};

KeyValueList through_the_wire(const KeyValueList& pairs, std::size_t mrdsl) {
  text::TextAccumulator accumulator;
  std::optional<KeyValueList> out;
  for (const auto& segment : text::split_text(text::encode_text(pairs), mrdsl)) {
    auto fed = accumulator.feed(segment.data, segment.continue_bit);
    EXPECT_TRUE(fed);
    if (fed && fed->has_value()) out = **fed;
  }
  return out.value_or(KeyValueList{});
}

void exchange(Pair& sides, const LocalPolicy& initiator, const LocalPolicy& target, Phase phase) {
  const NegotiationContext i_context = as_initiator(phase);
  const NegotiationContext t_context = as_target(phase);
  const Offer offer = make_offer(sides.initiator, initiator, i_context);
  sides.initiator = offer.state;
  const auto at_target = receive(sides.target, through_the_wire(offer.pairs, 64), target,
                                 t_context);
  ASSERT_FALSE(at_target.failed()) << at_target.first_fatal()->to_string();
  const Offer declared = make_offer(at_target.state, target, t_context);
  KeyValueList response = declared.pairs;
  response.insert(response.end(), at_target.reply.begin(), at_target.reply.end());
  const auto at_initiator = receive(sides.initiator, through_the_wire(response, 100), initiator,
                                    i_context);
  ASSERT_TRUE(at_initiator.violations.empty()) << at_initiator.violations.front().to_string();
  ASSERT_TRUE(at_initiator.reply.empty());  // the target offered nothing to answer
  const auto i_end = finish(at_initiator.state, initiator, i_context);
  const auto t_end = finish(declared.state, target, t_context);
  ASSERT_TRUE(i_end.violations.empty());
  ASSERT_TRUE(t_end.violations.empty());
  sides.initiator = i_end.state;
  sides.target = t_end.state;
}

TEST(Negotiator, OurInitiatorAndTargetAgree) {
  LocalPolicy initiator = initiator_policy();
  initiator.initiator_name = "iqn.2024-01.org.iscsim:initiator";
  initiator.target_name = "iqn.2024-01.org.iscsim:disk1";
  initiator.auth_methods = {"CHAP", "None"};
  initiator.header_digests = {"CRC32C", "None"};
  initiator.max_burst_length = 1048576;
  initiator.first_burst_length = 262144;
  initiator.max_recv_data_segment_length = 65536;
  initiator.error_recovery_level = 2;
  initiator.initial_r2t = false;
  LocalPolicy target = target_policy();
  target.target_portal_group_tag = 1;
  target.target_alias = "disk one";
  target.auth_methods = {"CHAP"};
  target.header_digests = {"CRC32C", "None"};
  target.max_burst_length = 524288;
  target.first_burst_length = 524288;
  target.error_recovery_level = 1;
  target.initial_r2t = false;
  ASSERT_TRUE(validate_policy(initiator));
  ASSERT_TRUE(validate_policy(target));

  Pair sides;
  exchange(sides, initiator, target, Phase::security);
  exchange(sides, initiator, target, Phase::operational);

  const SessionParameters& session = sides.initiator.session;
  EXPECT_EQ(session, sides.target.session);
  EXPECT_EQ(sides.initiator.connection, sides.target.connection);
  EXPECT_EQ(sides.initiator.connection.auth_method, "CHAP");
  EXPECT_EQ(sides.initiator.connection.header_digest, Digest::crc32c);
  EXPECT_EQ(sides.initiator.connection.data_digest, Digest::none);
  EXPECT_EQ(sides.initiator.connection.initiator_max_recv_data_segment_length, 65536U);
  EXPECT_EQ(sides.initiator.connection.target_max_recv_data_segment_length, 8192U);
  EXPECT_EQ(session.initiator_name, "iqn.2024-01.org.iscsim:initiator");
  EXPECT_EQ(session.target_name, "iqn.2024-01.org.iscsim:disk1");
  EXPECT_EQ(session.target_alias, "disk one");
  EXPECT_EQ(session.target_portal_group_tag, 1);
  EXPECT_EQ(session.max_burst_length, 524288U);
  EXPECT_EQ(session.first_burst_length, 262144U);
  EXPECT_EQ(session.error_recovery_level, 1);
  EXPECT_FALSE(session.initial_r2t);
  EXPECT_TRUE(sides.initiator.pending_offers().empty());
}

TEST(Negotiator, InitiatorFirstRequestCarriesIdentityAndAuthMethod) {
  LocalPolicy policy = initiator_policy();
  policy.initiator_name = "iqn.a";
  policy.initiator_alias = "host a";
  policy.target_name = "iqn.t";
  policy.auth_methods = {"CHAP", "None"};
  const auto offer = make_offer({}, policy, as_initiator(Phase::security));
  EXPECT_EQ(offer.pairs, (KeyValueList{{"InitiatorName", "iqn.a"},
                                       {"InitiatorAlias", "host a"},
                                       {"TargetName", "iqn.t"},
                                       {"SessionType", "Normal"},
                                       {"AuthMethod", "CHAP,None"}}));
  EXPECT_EQ(offer.state.pending_offers(), std::vector<std::string>{"AuthMethod"});
  // The operational stage then offers the rest, but not what was already sent.
  const auto next = make_offer(offer.state, policy, as_initiator(Phase::operational));
  EXPECT_EQ(next.pairs.front(), (KeyValue{"MaxRecvDataSegmentLength", "8192"}));
  EXPECT_EQ(next.pairs.size(), 1 + policy.offer_keys.size());
  EXPECT_FALSE(std::any_of(next.pairs.begin(), next.pairs.end(),
                           [](const KeyValue& p) { return p.key == "InitiatorName"; }));
}

TEST(Negotiator, DiscoveryOfferSkipsIrrelevantKeys) {
  LocalPolicy policy = initiator_policy();
  policy.initiator_name = "iqn.a";
  policy.session_type = SessionType::discovery;
  const auto offer = make_offer({}, policy, as_initiator(Phase::operational));
  std::vector<std::string> keys;
  for (const auto& pair : offer.pairs) keys.push_back(pair.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"InitiatorName", "SessionType",
                                            "MaxRecvDataSegmentLength", "HeaderDigest",
                                            "DataDigest", "DefaultTime2Wait",
                                            "DefaultTime2Retain", "ErrorRecoveryLevel"}));
}

TEST(Negotiator, NonLeadingConnection) {
  const NegotiationContext context{Role::target, Phase::operational, false};
  const auto out = receive({}, {{"MaxBurstLength", "8192"}, {"HeaderDigest", "None"},
                                {"SessionType", "Normal"}},
                           target_policy(), context);
  EXPECT_EQ(out.reply, (KeyValueList{{"MaxBurstLength", "Reject"}, {"HeaderDigest", "None"}}));
  EXPECT_EQ(ids_of(out), Ids{"negotiation.leading-only-key"});
  LocalPolicy policy = initiator_policy();
  const auto offer = make_offer({}, policy, {Role::initiator, Phase::operational, false});
  for (const auto& pair : offer.pairs) {
    EXPECT_NE(row_of(pair.key).use, Use::leading_only) << pair.key;
  }
}

TEST(Negotiator, StageRules) {
  // C104: security keys in the operational stage.
  auto out = target_receives({{"AuthMethod", "None"}});
  EXPECT_EQ(ids_of(out), Ids{"negotiation.key-wrong-stage"});
  // Operational keys in the security stage (RFC 7143 §6.3.3).
  out = target_receives({{"MaxBurstLength", "8192"}}, target_policy(), Phase::security);
  EXPECT_EQ(ids_of(out), Ids{"negotiation.key-wrong-stage"});
  // Identity declarations travel in either login stage.
  out = target_receives({{"InitiatorName", "iqn.a"}}, target_policy(), Phase::operational);
  EXPECT_TRUE(out.violations.empty());
}

TEST(Negotiator, OriginatorChecksAnswers) {
  const auto check = [](std::string_view key, std::string_view ours, std::string_view theirs) {
    return ids_of(answer_to_our_offer(Role::initiator, key, ours, theirs));
  };
  EXPECT_EQ(check("MaxBurstLength", "262144", "262145"), Ids{"negotiation.answer-out-of-bounds"});
  EXPECT_EQ(check("MaxBurstLength", "262144", "4096"), Ids{});
  EXPECT_EQ(check("DefaultTime2Wait", "2", "1"), Ids{"negotiation.answer-out-of-bounds"});
  EXPECT_EQ(check("DefaultTime2Wait", "2", "5"), Ids{});
  EXPECT_EQ(check("MaxBurstLength", "262144", "100"), Ids{"negotiation.bad-answer"});
  EXPECT_EQ(check("MaxBurstLength", "262144", ""), Ids{"negotiation.bad-answer"});
  EXPECT_EQ(check("HeaderDigest", "None", "CRC32C"), Ids{"negotiation.answer-not-offered"});
  EXPECT_EQ(check("HeaderDigest", "CRC32C,None", "CRC32C,None"),
            Ids{"negotiation.answer-not-offered"});
  EXPECT_EQ(check("ImmediateData", "No", "Yes"), Ids{"negotiation.answer-out-of-bounds"});
  EXPECT_EQ(check("ImmediateData", "Yes", "No"), Ids{});
  EXPECT_EQ(check("InitialR2T", "No", "Yes"), Ids{});
  EXPECT_EQ(check("ErrorRecoveryLevel", "2", "Reject"), Ids{"negotiation.answer-rejected"});
  EXPECT_EQ(check("ErrorRecoveryLevel", "2", "NotUnderstood"),
            Ids{"negotiation.answer-not-understood"});
  EXPECT_EQ(check("MaxBurstLength", "262144", "Irrelevant"), Ids{});
  const auto accepted = answer_to_our_offer(Role::initiator, "MaxBurstLength", "262144", "0x2000");
  EXPECT_EQ(accepted.state.session.max_burst_length, 8192U);
  EXPECT_TRUE(accepted.reply.empty());  // an answer is never answered
}

TEST(Negotiator, LedgerRecordsBothSides) {
  const auto sent = record_sent({}, {{"MaxBurstLength", "65536"}}, as_initiator());
  const auto out = initiator_receives({{"MaxBurstLength", "8192"}, {"X-a", "1"}},
                                      initiator_policy(), Phase::operational, sent);
  const KeyRecord* burst = out.state.find("MaxBurstLength");
  ASSERT_NE(burst, nullptr);
  EXPECT_EQ(burst->originator, Role::initiator);
  EXPECT_EQ(burst->initiator_value, "65536");
  EXPECT_EQ(burst->target_value, "8192");
  EXPECT_EQ(burst->result, "8192");
  EXPECT_FALSE(burst->pending_offer);
  const KeyRecord* private_key = out.state.find("X-a");
  ASSERT_NE(private_key, nullptr);
  EXPECT_EQ(private_key->originator, Role::target);
  EXPECT_EQ(private_key->initiator_value, "NotUnderstood");  // our answer
  EXPECT_FALSE(private_key->result);
}

TEST(Negotiator, NothingOfferedInFullFeaturePhase) {
  LocalPolicy policy = initiator_policy();
  policy.initiator_alias = "host";
  EXPECT_TRUE(make_offer({}, policy, as_initiator(Phase::full_feature)).pairs.empty());
}

TEST(Negotiator, TargetAsOriginator) {
  LocalPolicy policy = target_policy();
  policy.offer_keys = {"MaxOutstandingR2T"};
  policy.max_outstanding_r2t = 4;
  const auto offer = make_offer({}, policy, as_target());
  EXPECT_EQ(offer.pairs, (KeyValueList{{"MaxRecvDataSegmentLength", "8192"},
                                       {"MaxOutstandingR2T", "4"}}));
  // The initiator answers in its next request; our initiator answers it like any offer.
  const auto at_initiator = initiator_receives(offer.pairs);
  EXPECT_EQ(at_initiator.reply, (KeyValueList{{"MaxOutstandingR2T", "1"}}));
  const auto back = receive(offer.state, at_initiator.reply, policy, as_target());
  EXPECT_TRUE(back.violations.empty());
  EXPECT_EQ(back.state.session.max_outstanding_r2t, 1U);
}

// RFC 7143 §13.12: each side declares MaxRecvDataSegmentLength for its own direction, so a
// target still declares its value after the initiator declared first, and both values apply.
TEST(Negotiator, BothSidesDeclareMaxRecvDataSegmentLength) {
  LocalPolicy policy = target_policy();
  policy.max_recv_data_segment_length = 65536;
  const auto out = receive({}, {{"MaxRecvDataSegmentLength", "262144"}}, policy, as_target());
  ASSERT_TRUE(out.violations.empty());
  EXPECT_TRUE(out.reply.empty());  // a declaration is not answered
  const auto own = make_offer(out.state, policy, as_target());
  EXPECT_EQ(own.pairs, (KeyValueList{{"MaxRecvDataSegmentLength", "65536"}}));
  EXPECT_EQ(own.state.connection.initiator_max_recv_data_segment_length, 262144U);
  EXPECT_EQ(own.state.connection.target_max_recv_data_segment_length, 65536U);
  // Declared once per negotiation: the next step does not repeat it.
  EXPECT_TRUE(make_offer(own.state, policy, as_target()).pairs.empty());
}

TEST(Negotiator, MissingAnswerAtStageEnd) {
  const auto sent = record_sent({}, {{"MaxBurstLength", "65536"}, {"ImmediateData", "No"}},
                                as_initiator());
  const auto end = finish(sent, initiator_policy(), as_initiator());
  EXPECT_EQ(ids_of(end), Ids{"negotiation.missing-answer"});  // MaxBurstLength
  EXPECT_FALSE(end.state.session.immediate_data);  // AND+No: the answer was optional
  EXPECT_TRUE(end.state.pending_offers().empty());
}

TEST(Negotiator, NewNegotiationForgetsKeysButKeepsResults) {
  auto out = target_receives({{"MaxRecvDataSegmentLength", "4096"}}, target_policy(),
                             Phase::full_feature);
  out.state.begin_negotiation();
  out = target_receives({{"MaxRecvDataSegmentLength", "16384"}}, target_policy(),
                        Phase::full_feature, out.state);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.connection.initiator_max_recv_data_segment_length, 16384U);
}

TEST(Negotiator, UnknownKeyWithReservedValue) {
  const auto out = target_receives({{"X-vendor.Key", "NotUnderstood"}});
  EXPECT_EQ(ids_of(out), Ids{"negotiation.reserved-value-offered"});
  EXPECT_TRUE(out.reply.empty());
}

TEST(Negotiator, KeyCountLimit) {
  KeyValueList many;
  for (std::size_t i = 0; i <= kMaxKeysPerNegotiation; ++i) {
    many.push_back({"X-k" + std::to_string(i), "1"});
  }
  const auto out = target_receives(many);
  EXPECT_EQ(out.reply.size(), kMaxKeysPerNegotiation);
  EXPECT_EQ(ids_of(out), Ids{"negotiation.too-many-keys"});
}

TEST(Negotiator, PureFunctionsLeaveInputStateAlone) {
  const NegotiationState before = record_sent({}, {{"MaxBurstLength", "8192"}}, as_initiator());
  const NegotiationState copy = before;
  (void)receive(before, {{"MaxBurstLength", "4096"}}, initiator_policy(), as_initiator());
  (void)finish(before, initiator_policy(), as_initiator());
  EXPECT_EQ(before, copy);
}

TEST(Policy, Validation) {
  EXPECT_TRUE(validate_policy(initiator_policy()));
  EXPECT_TRUE(validate_policy(target_policy()));
  EXPECT_TRUE(validate_policy(tgt_policy()));
  const auto invalid = [](auto change) {
    LocalPolicy policy = target_policy();
    change(policy);
    const auto result = validate_policy(policy);
    return result ? std::string("ok") : std::string(result.error().id());
  };
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.first_burst_length = p.max_burst_length + 1; }),
            "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.max_burst_length = 100; }), "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.error_recovery_level = 3; }),
            "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.header_digests = {"MD5"}; }),
            "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.auth_methods = {}; }), "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.offer_keys = {"InitiatorName"}; }),
            "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.initiator_name = std::string(224, 'a'); }),
            "negotiation.bad-policy");
  EXPECT_EQ(invalid([](LocalPolicy& p) { p.max_recv_data_segment_length = 16777216; }),
            "negotiation.bad-policy");
}

TEST(Policy, ValuesAsText) {
  LocalPolicy policy = target_policy();
  policy.header_digests = {"CRC32C", "None"};
  EXPECT_EQ(policy_value(policy, "HeaderDigest"), "CRC32C,None");
  EXPECT_EQ(policy_value(policy, "ImmediateData"), "Yes");
  EXPECT_EQ(policy_value(policy, "MaxBurstLength"), "262144");
  EXPECT_EQ(policy_value(policy, "InitiatorName"), std::nullopt);
}

TEST(Parameters, RfcDefaults) {
  const SessionParameters session;
  EXPECT_EQ(session.max_burst_length, 262144U);
  EXPECT_EQ(session.first_burst_length, 65536U);
  EXPECT_TRUE(session.initial_r2t);
  EXPECT_TRUE(session.immediate_data);
  EXPECT_EQ(session.default_time2wait, 2U);
  EXPECT_EQ(session.default_time2retain, 20U);
  EXPECT_EQ(session.iscsi_protocol_level, 1);
  const ConnectionParameters connection;
  EXPECT_EQ(connection.max_recv_data_segment_length(Role::initiator), 8192U);
  EXPECT_EQ(connection.header_digest, Digest::none);
  EXPECT_EQ(parse_digest("CRC32C"), Digest::crc32c);
  EXPECT_EQ(parse_session_type("discovery"), std::nullopt);  // case-sensitive
  EXPECT_EQ(to_string(TaskReporting::response_fence), "ResponseFence");
}

}  // namespace
}  // namespace iscsi::negotiation
