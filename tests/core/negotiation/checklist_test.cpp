// Checklist items C051-C080 (digest §7.3) that a pure negotiator can decide, driven against
// our target's negotiator (role T) and, where the item says B, our initiator's.
#include "core/text/accumulator.hpp"
#include "tests/core/negotiation/negotiation_test_util.hpp"

namespace iscsi::negotiation {
namespace {

using namespace testing;
using Ids = std::vector<std::string>;

TEST(Checklist, C051_UnknownKeyIsNotUnderstood) {
  for (const Role local : {Role::target, Role::initiator}) {
    const auto out = receive({}, {{"FooBar", "1"}}, target_policy(), {local, Phase::operational});
    EXPECT_EQ(out.reply, (KeyValueList{{"FooBar", "NotUnderstood"}}));
    EXPECT_FALSE(out.failed());
  }
}

TEST(Checklist, C052_KeyOf64BytesFailsTheText) {
  text::TextAccumulator accumulator;
  const auto fed = accumulator.feed(to_bytes(std::string(64, 'K') + "=1" + '\0'), false);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().id(), "text.key-too-long");
  EXPECT_EQ(fed.error().severity(), Severity::fatal);  // 0x0200
}

TEST(Checklist, C053_NonBinaryValueOf300BytesFailsTheText) {
  const auto parsed = text::parse_text(to_bytes("InitiatorAlias=" + std::string(300, 'a') + '\0'));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().id(), "text.value-too-long");
}

TEST(Checklist, C054_DuplicateKeyInOneLogin) {
  // Twice in one text.
  auto out = target_receives({{"MaxBurstLength", "8192"}, {"MaxBurstLength", "8192"}});
  EXPECT_EQ(ids_of(out), Ids{"text.duplicate-key"});
  EXPECT_TRUE(out.failed());
  // Across two Login Requests of the same login.
  out = target_receives({{"MaxBurstLength", "8192"}});
  out = target_receives({{"MaxBurstLength", "4096"}}, target_policy(), Phase::operational,
                        out.state);
  EXPECT_EQ(ids_of(out), Ids{"text.duplicate-key"});
  // The initiator seeing a duplicate from the target fails too (it then drops the connection).
  const auto sent = record_sent({}, {{"MaxBurstLength", "8192"}}, as_initiator());
  out = initiator_receives({{"MaxBurstLength", "8192"}, {"MaxBurstLength", "8192"}},
                           initiator_policy(), Phase::operational, sent);
  EXPECT_EQ(ids_of(out), Ids{"text.duplicate-key"});
}

TEST(Checklist, C055_ImmediateDataNoGivesNo) {
  auto out = target_receives({{"ImmediateData", "No"}});
  EXPECT_FALSE(out.state.session.immediate_data);
  LocalPolicy terse = target_policy();
  terse.omit_optional_boolean_answers = true;
  out = target_receives({{"ImmediateData", "No"}}, terse);
  EXPECT_TRUE(out.reply.empty());  // the answer is optional
  EXPECT_FALSE(out.state.session.immediate_data);
}

TEST(Checklist, C056_ImmediateDataYesToTargetConfiguredNo) {
  LocalPolicy policy = target_policy();
  policy.immediate_data = false;
  EXPECT_EQ(answer_of(target_receives({{"ImmediateData", "Yes"}}, policy), "ImmediateData"),
            "No");
}

TEST(Checklist, C057_InitialR2TNoToTargetRequiringYes) {
  EXPECT_EQ(answer_of(target_receives({{"InitialR2T", "No"}}), "InitialR2T"), "Yes");
}

TEST(Checklist, C058_MaxBurstLengthAnswerWithinOfferAnd512) {
  for (const char* offer : {"16777215", "512", "262145"}) {
    const auto answer = answer_of(target_receives({{"MaxBurstLength", offer}}), "MaxBurstLength");
    ASSERT_TRUE(answer);
    const auto number = std::stoull(*answer);
    EXPECT_LE(number, std::stoull(offer));
    EXPECT_GE(number, 512U);
  }
}

TEST(Checklist, C059_FirstBurstNeverAboveMaxBurst) {
  LocalPolicy policy = target_policy();
  policy.first_burst_length = 1048576;
  policy.max_burst_length = 1048576;
  auto out = target_receives({{"MaxBurstLength", "8192"}, {"FirstBurstLength", "65536"}}, policy);
  EXPECT_EQ(answer_of(out, "FirstBurstLength"), "8192");
  // Only MaxBurstLength negotiated below the default FirstBurstLength: the default follows.
  out = target_receives({{"MaxBurstLength", "4096"}});
  EXPECT_EQ(out.state.session.first_burst_length, 4096U);
  EXPECT_TRUE(out.violations.empty());
  // FirstBurstLength answered in one Login Request, a lower MaxBurstLength in the next: our
  // earlier answer cannot be blamed, FirstBurstLength simply follows.
  out = target_receives({{"FirstBurstLength", "65536"}}, policy);
  out = target_receives({{"MaxBurstLength", "8192"}}, policy, Phase::operational, out.state);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.session.first_burst_length, 8192U);
  // As originator: a responder that answers FirstBurstLength above its MaxBurstLength.
  const auto sent = record_sent({}, {{"MaxBurstLength", "262144"}, {"FirstBurstLength", "262144"}},
                                as_initiator());
  out = initiator_receives({{"MaxBurstLength", "8192"}, {"FirstBurstLength", "65536"}},
                           initiator_policy(), Phase::operational, sent);
  EXPECT_EQ(ids_of(out), Ids{"negotiation.first-burst-exceeds-max-burst"});
  EXPECT_LE(out.state.session.first_burst_length, out.state.session.max_burst_length);
}

TEST(Checklist, C060_DefaultTime2WaitZero) {
  const auto answer = answer_of(target_receives({{"DefaultTime2Wait", "0"}}), "DefaultTime2Wait");
  ASSERT_TRUE(answer);
  EXPECT_GE(std::stoul(*answer), 0U);
  EXPECT_LE(std::stoul(*answer), 3600U);
}

TEST(Checklist, C061_ErlTwoToErlZeroTarget) {
  EXPECT_EQ(answer_of(target_receives({{"ErrorRecoveryLevel", "2"}}), "ErrorRecoveryLevel"), "0");
}

TEST(Checklist, C062_MrdslBelow512) {
  const auto out = target_receives({{"MaxRecvDataSegmentLength", "511"}});
  EXPECT_EQ(answer_of(out, "MaxRecvDataSegmentLength"), "Reject");
  EXPECT_EQ(ids_of(out), Ids{"negotiation.bad-value"});
}

TEST(Checklist, C063_MaxConnectionsOutOfRange) {
  for (const char* offer : {"0", "65536"}) {
    EXPECT_EQ(answer_of(target_receives({{"MaxConnections", offer}}), "MaxConnections"),
              "Reject");
  }
}

TEST(Checklist, C064_HeaderDigestFirstOfInitiatorList) {
  LocalPolicy policy = target_policy();
  policy.header_digests = {"None", "CRC32C"};  // our own preference does not matter
  EXPECT_EQ(answer_of(target_receives({{"HeaderDigest", "CRC32C,None"}}, policy), "HeaderDigest"),
            "CRC32C");
}

TEST(Checklist, C065_HeaderDigestNoneFirst) {
  LocalPolicy policy = target_policy();
  policy.header_digests = {"CRC32C", "None"};
  EXPECT_EQ(answer_of(target_receives({{"HeaderDigest", "None,CRC32C"}}, policy), "HeaderDigest"),
            "None");
}

TEST(Checklist, C066_DataDigestBogus) {
  EXPECT_EQ(answer_of(target_receives({{"DataDigest", "Bogus"}}), "DataDigest"), "Reject");
}

TEST(Checklist, C067_ReservedValueProposed) {
  for (const char* value : {"Reject", "Irrelevant", "NotUnderstood"}) {
    const auto out = target_receives({{"InitialR2T", value}});
    EXPECT_EQ(ids_of(out), Ids{"negotiation.reserved-value-offered"}) << value;
    EXPECT_TRUE(out.failed());
    EXPECT_TRUE(out.reply.empty());
  }
}

TEST(Checklist, C068_DiscoveryIrrelevantKeys) {
  const auto out = target_receives({{"SessionType", "Discovery"}, {"MaxBurstLength", "8192"},
                                    {"ImmediateData", "No"}, {"DefaultTime2Wait", "4"}},
                                   target_policy(), Phase::operational);
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "Irrelevant");
  EXPECT_EQ(answer_of(out, "ImmediateData"), "Irrelevant");
  EXPECT_EQ(answer_of(out, "DefaultTime2Wait"), "4");  // relevant to every session
  EXPECT_FALSE(out.failed());
  EXPECT_EQ(out.state.session.max_burst_length, 262144U);  // untouched
  LocalPolicy tgt = target_policy();
  tgt.answer_irrelevant_in_discovery = false;
  EXPECT_EQ(answer_of(target_receives({{"SessionType", "Discovery"}, {"MaxBurstLength", "8192"}},
                                      tgt),
                      "MaxBurstLength"),
            "8192");
}

TEST(Checklist, C069_LoKeyInFullFeaturePhase) {
  NegotiationState state;
  state.session.max_burst_length = 65536;
  const auto out = target_receives({{"MaxBurstLength", "8192"}}, target_policy(),
                                   Phase::full_feature, state);
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "Reject");
  EXPECT_EQ(ids_of(out), Ids{"negotiation.key-not-renegotiable"});
  EXPECT_FALSE(out.failed());
  EXPECT_EQ(out.state.session.max_burst_length, 65536U);  // unchanged
}

TEST(Checklist, C070_MrdslInFullFeaturePhase) {
  const auto out = target_receives({{"MaxRecvDataSegmentLength", "4096"}}, target_policy(),
                                   Phase::full_feature);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.connection.max_send_data_segment_length(Role::target), 4096U);
}

TEST(Checklist, C071_KeyFromTheWrongSide) {
  auto out = target_receives({{"TargetAlias", "x"}}, target_policy(), Phase::security);
  EXPECT_EQ(ids_of(out), Ids{"negotiation.key-wrong-sender"});
  EXPECT_TRUE(out.failed());
  out = initiator_receives({{"InitiatorName", "iqn.x"}}, initiator_policy(), Phase::security);
  EXPECT_EQ(ids_of(out), Ids{"negotiation.key-wrong-sender"});
}

TEST(Checklist, C072_Markers) {
  const auto out = target_receives({{"IFMarker", "Yes"}, {"OFMarker", "Yes"},
                                    {"OFMarkInt", "2048~8192"}, {"IFMarkInt", "2048~8192"}});
  EXPECT_EQ(out.reply, (KeyValueList{{"IFMarker", "Reject"}, {"OFMarker", "Reject"},
                                     {"OFMarkInt", "Reject"}, {"IFMarkInt", "Reject"}}));
}

TEST(Checklist, C073_EmptyValue) {
  const auto out = target_receives({{"MaxBurstLength", ""}});
  EXPECT_EQ(ids_of(out), Ids{"negotiation.empty-value"});
  EXPECT_TRUE(out.failed());
}

TEST(Checklist, C074_LowerCaseKeyIsUnknown) {
  const auto out = target_receives({{"maxburstlength", "1024"}});
  EXPECT_EQ(out.reply, (KeyValueList{{"maxburstlength", "NotUnderstood"}}));
  EXPECT_EQ(ids_of(out), Ids{"text.bad-key-name"});
  EXPECT_FALSE(out.failed());  // a warning only
}

TEST(Checklist, C075_PrivateKey) {
  const auto out = target_receives({{"X-com.example.Test", "1"}});
  EXPECT_EQ(out.reply, (KeyValueList{{"X-com.example.Test", "NotUnderstood"}}));
  EXPECT_TRUE(out.violations.empty());
}

TEST(Checklist, C076_TaskReporting) {
  EXPECT_EQ(answer_of(target_receives({{"TaskReporting", "FastAbort,RFC3720"}}), "TaskReporting"),
            "RFC3720");
  EXPECT_EQ(NegotiationState{}.session.task_reporting, TaskReporting::rfc3720);  // default
}

TEST(Checklist, C077_ProtocolLevel31) {
  LocalPolicy policy = target_policy();
  policy.iscsi_protocol_level = 2;
  EXPECT_EQ(answer_of(target_receives({{"iSCSIProtocolLevel", "31"}}, policy),
                      "iSCSIProtocolLevel"),
            "2");
}

TEST(Checklist, C078_HexNumericValue) {
  LocalPolicy policy = target_policy();
  policy.max_burst_length = 1048576;
  const auto out = target_receives({{"MaxBurstLength", "0x40000"}}, policy);
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "262144");
  EXPECT_TRUE(out.violations.empty());
}

TEST(Checklist, C079_EveryEmittedPairNulTerminated) {
  const auto out = target_receives(text::parse_text(to_bytes(std::string(
                                       "HeaderDigest=None\0ImmediateData=Yes\0", 36)))
                                       .value());
  const Bytes encoded = text::encode_text(out.reply);
  ASSERT_FALSE(encoded.empty());
  EXPECT_EQ(encoded.back(), 0);
  EXPECT_EQ(text::parse_text(encoded).value(), out.reply);
}

TEST(Checklist, C080_OrAnswerToYes) {
  LocalPolicy relaxed = target_policy();
  relaxed.initial_r2t = false;
  EXPECT_EQ(answer_of(target_receives({{"InitialR2T", "Yes"}}, relaxed), "InitialR2T"), "Yes");
  // As originator: an omitted answer is fine, a No answer is not.
  auto out = answer_to_our_offer(Role::initiator, "InitialR2T", "Yes", "No");
  EXPECT_EQ(ids_of(out), Ids{"negotiation.answer-out-of-bounds"});
  const auto sent = record_sent({}, {{"InitialR2T", "Yes"}}, as_initiator());
  const auto end = finish(sent, initiator_policy(), as_initiator());
  EXPECT_TRUE(end.violations.empty());
  EXPECT_TRUE(end.state.session.initial_r2t);
}

}  // namespace
}  // namespace iscsi::negotiation
