// One test per row of the key table (DESIGN.md style rule 5): each checks the row against
// RFC 7143 (type, result function, scope, use, senders, default, range, Discovery relevance,
// phases) and runs a negotiation with the key. Checklist ids (Cnnn) refer to digest §7.3.
#include <algorithm>
#include <set>
#include <string>

#include "tests/core/negotiation/negotiation_test_util.hpp"

namespace iscsi::negotiation {
namespace {

using namespace testing;

struct RowFacts {
  std::string_view section;
  ValueType type;
  ResultFunction function;
  Scope scope;
  Use use;
  Senders senders;
  std::string_view default_value;
  std::uint64_t min_value;
  std::uint64_t max_value;
  bool irrelevant_in_discovery;
  PhaseSet initiator_phases;
  PhaseSet target_phases;
};

void expect_row(std::string_view name, const RowFacts& facts) {
  const KeyRow& row = row_of(name);
  EXPECT_EQ(row.name, name);
  EXPECT_EQ(row.rfc_section, facts.section) << name;
  EXPECT_EQ(row.type, facts.type) << name;
  EXPECT_EQ(row.function, facts.function) << name;
  EXPECT_EQ(row.scope, facts.scope) << name;
  EXPECT_EQ(row.use, facts.use) << name;
  EXPECT_EQ(row.senders, facts.senders) << name;
  EXPECT_EQ(row.default_value, facts.default_value) << name;
  EXPECT_EQ(row.min_value, facts.min_value) << name;
  EXPECT_EQ(row.max_value, facts.max_value) << name;
  EXPECT_EQ(row.irrelevant_in_discovery, facts.irrelevant_in_discovery) << name;
  EXPECT_EQ(row.initiator_phases, facts.initiator_phases) << name;
  EXPECT_EQ(row.target_phases, facts.target_phases) << name;
}

constexpr auto SW = Scope::session_wide;
constexpr auto CO = Scope::connection_only;
using F = ResultFunction;
using V = ValueType;

// The security-stage items (RFC 7143 §12.1): passed to the authentication engine in the
// security stage, never answered here; anywhere else they fail the login (C104).
void expect_auth_row(std::string_view name, std::string_view section, Senders senders) {
  const PhaseSet i = senders == Senders::target ? kNoPhase : kSecurityStage;
  const PhaseSet t = senders == Senders::initiator ? kNoPhase : kSecurityStage;
  expect_row(name, {section, V::auth_item, F::auth_method, CO, Use::security, senders, "", 0, 0,
                    false, i, t});
  const KeyValueList pairs{{std::string(name), "0x0a0b"}};
  const LocalPolicy policy = target_policy();
  for (const Role local : {Role::target, Role::initiator}) {
    const bool legal = may_send(row_of(name), peer_of(local));
    const auto out = receive({}, pairs, policy, {local, Phase::security, true});
    if (legal) {
      EXPECT_EQ(out.auth_pairs, pairs) << name;
      EXPECT_TRUE(out.reply.empty()) << name;
      EXPECT_TRUE(out.violations.empty()) << name;
      const auto later = receive({}, pairs, policy, {local, Phase::operational, true});
      EXPECT_EQ(ids_of(later), std::vector<std::string>{"negotiation.key-wrong-stage"}) << name;
      EXPECT_TRUE(later.auth_pairs.empty()) << name;
    } else {
      EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.key-wrong-sender"}) << name;
    }
  }
}

TEST(KeyTable, AuthMethod) {
  expect_row("AuthMethod", {"RFC 7143 §12.1", V::list, F::list_select, CO, Use::security,
                            Senders::both, "None", 0, 0, false, kSecurityStage,
                            kSecurityStage});
  LocalPolicy policy = target_policy();
  policy.auth_methods = {"CHAP"};
  auto out = target_receives({{"AuthMethod", "CHAP,None"}}, policy, Phase::security);
  EXPECT_EQ(answer_of(out, "AuthMethod"), "CHAP");
  EXPECT_EQ(out.state.connection.auth_method, "CHAP");
  // tgt's answer when CHAP is required and only None is offered (peer-behaviour.md).
  out = target_receives({{"AuthMethod", "None"}}, policy, Phase::security);
  EXPECT_EQ(answer_of(out, "AuthMethod"), "Reject");
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.no-acceptable-value"});
  EXPECT_FALSE(out.failed());
}

TEST(KeyTable, KRB_AP_REQ) { expect_auth_row("KRB_AP_REQ", "RFC 7143 §12.1.1", Senders::initiator); }
TEST(KeyTable, KRB_AP_REP) { expect_auth_row("KRB_AP_REP", "RFC 7143 §12.1.1", Senders::target); }
TEST(KeyTable, SRP_U) { expect_auth_row("SRP_U", "RFC 7143 §12.1.2", Senders::initiator); }
TEST(KeyTable, TargetAuth) { expect_auth_row("TargetAuth", "RFC 7143 §12.1.2", Senders::initiator); }
TEST(KeyTable, SRP_GROUP) { expect_auth_row("SRP_GROUP", "RFC 7143 §12.1.2", Senders::target); }
TEST(KeyTable, SRP_s) { expect_auth_row("SRP_s", "RFC 7143 §12.1.2", Senders::target); }
TEST(KeyTable, SRP_A) { expect_auth_row("SRP_A", "RFC 7143 §12.1.2", Senders::initiator); }
TEST(KeyTable, SRP_B) { expect_auth_row("SRP_B", "RFC 7143 §12.1.2", Senders::target); }
TEST(KeyTable, SRP_M) { expect_auth_row("SRP_M", "RFC 7143 §12.1.2", Senders::initiator); }
TEST(KeyTable, SRP_HM) { expect_auth_row("SRP_HM", "RFC 7143 §12.1.2", Senders::target); }
TEST(KeyTable, CHAP_A) { expect_auth_row("CHAP_A", "RFC 7143 §12.1.3", Senders::both); }
TEST(KeyTable, CHAP_I) { expect_auth_row("CHAP_I", "RFC 7143 §12.1.3", Senders::both); }
TEST(KeyTable, CHAP_C) { expect_auth_row("CHAP_C", "RFC 7143 §12.1.3", Senders::both); }
TEST(KeyTable, CHAP_N) { expect_auth_row("CHAP_N", "RFC 7143 §12.1.3", Senders::both); }
TEST(KeyTable, CHAP_R) { expect_auth_row("CHAP_R", "RFC 7143 §12.1.3", Senders::both); }

TEST(KeyTable, HeaderDigest) {
  expect_row("HeaderDigest", {"RFC 7143 §13.1", V::list, F::list_select, CO, Use::initial_only,
                              Senders::both, "None", 0, 0, false, kOperationalStage,
                              kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.header_digests = {"None", "CRC32C"};
  auto out = target_receives({{"HeaderDigest", "CRC32C,None"}}, policy);
  EXPECT_EQ(answer_of(out, "HeaderDigest"), "CRC32C");  // the originator's order wins (C064)
  EXPECT_EQ(out.state.connection.header_digest, Digest::crc32c);
  out = target_receives({{"HeaderDigest", "None,CRC32C"}}, policy);
  EXPECT_EQ(answer_of(out, "HeaderDigest"), "None");  // C065
  EXPECT_EQ(out.state.connection.header_digest, Digest::none);
  EXPECT_TRUE(answer_to_our_offer(Role::initiator, "HeaderDigest", "CRC32C,None", "CRC32C")
                  .violations.empty());
}

TEST(KeyTable, DataDigest) {
  expect_row("DataDigest", {"RFC 7143 §13.1", V::list, F::list_select, CO, Use::initial_only,
                            Senders::both, "None", 0, 0, false, kOperationalStage,
                            kOperationalStage});
  auto out = target_receives({{"DataDigest", "Bogus"}});
  EXPECT_EQ(answer_of(out, "DataDigest"), "Reject");  // C066
  EXPECT_FALSE(out.failed());
  out = target_receives({{"DataDigest", "Bogus,None"}});
  EXPECT_EQ(answer_of(out, "DataDigest"), "None");  // unknown items are skipped
  // Our target supports only None: a CRC32C-only offer cannot be met.
  out = target_receives({{"DataDigest", "CRC32C"}});
  EXPECT_EQ(answer_of(out, "DataDigest"), "Reject");
}

TEST(KeyTable, MaxConnections) {
  expect_row("MaxConnections", {"RFC 7143 §13.2", V::numeric, F::minimum, SW, Use::leading_only,
                                Senders::both, "1", 1, 65535, true, kOperationalStage,
                                kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.max_connections = 4;
  auto out = target_receives({{"MaxConnections", "8"}}, policy);
  EXPECT_EQ(answer_of(out, "MaxConnections"), "4");
  EXPECT_EQ(out.state.session.max_connections, 4U);
  EXPECT_EQ(answer_of(target_receives({{"MaxConnections", "0"}}), "MaxConnections"), "Reject");
  EXPECT_EQ(answer_of(target_receives({{"MaxConnections", "65536"}}), "MaxConnections"),
            "Reject");  // C063
}

TEST(KeyTable, SendTargets) {
  expect_row("SendTargets", {"RFC 7143 §13.3", V::text, F::query, SW, Use::full_feature_only,
                             Senders::initiator, "", 0, 255, false, kFullFeature, kNoPhase});
  EXPECT_TRUE(row_of("SendTargets").empty_value_allowed);
  auto out = target_receives({{"SendTargets", "All"}}, target_policy(), Phase::full_feature);
  EXPECT_EQ(out.send_targets, "All");
  EXPECT_TRUE(out.reply.empty());  // the discovery logic answers with target records
  out = target_receives({{"SendTargets", ""}}, target_policy(), Phase::full_feature);
  EXPECT_EQ(out.send_targets, "");  // C109: empty value is legal here
  EXPECT_TRUE(out.violations.empty());
  out = target_receives({{"SendTargets", "All"}}, target_policy(), Phase::operational);
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.key-wrong-stage"});
}

TEST(KeyTable, TargetName) {
  expect_row("TargetName", {"RFC 7143 §13.4", V::iscsi_name, F::declarative, SW,
                            Use::initial_only, Senders::both, "", 1, 223, false, kLoginStages,
                            kFullFeature});
  auto out = target_receives({{"TargetName", "iqn.2019-01.com.example:lab1"}},
                             target_policy(), Phase::security);
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(out.state.session.target_name, "iqn.2019-01.com.example:lab1");
  out = target_receives({{"TargetName", "iqn." + std::string(220, 'a')}});
  EXPECT_EQ(answer_of(out, "TargetName"), "Reject");
  // SendTargets output repeats TargetName (RFC 7143 §6.2) and is not this session's name.
  out = initiator_receives({{"TargetName", "iqn.a"}, {"TargetName", "iqn.b"}},
                           initiator_policy(), Phase::full_feature);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.session.target_name, "");
}

TEST(KeyTable, InitiatorName) {
  expect_row("InitiatorName", {"RFC 7143 §13.5", V::iscsi_name, F::declarative, SW,
                               Use::initial_only, Senders::initiator, "", 1, 223, false,
                               kLoginStages, kNoPhase});
  auto out = target_receives({{"InitiatorName", "iqn.1993-08.org.debian:01:abc"}},
                             target_policy(), Phase::security);
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(out.state.session.initiator_name, "iqn.1993-08.org.debian:01:abc");
  out = initiator_receives({{"InitiatorName", "iqn.x"}}, initiator_policy(), Phase::security);
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.key-wrong-sender"});  // C071
}

TEST(KeyTable, TargetAlias) {
  expect_row("TargetAlias", {"RFC 7143 §13.6", V::local_name, F::declarative, SW, Use::all,
                             Senders::target, "", 0, 255, false, kNoPhase, kAllPhases});
  auto out = initiator_receives({{"TargetAlias", "lab disk"}}, initiator_policy(),
                                Phase::full_feature);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.session.target_alias, "lab disk");
  out = target_receives({{"TargetAlias", "x"}});
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.key-wrong-sender"});  // C071
}

TEST(KeyTable, InitiatorAlias) {
  expect_row("InitiatorAlias", {"RFC 7143 §13.7", V::local_name, F::declarative, SW, Use::all,
                                Senders::initiator, "", 0, 255, false, kAllPhases, kNoPhase});
  auto out = target_receives({{"InitiatorAlias", "caf\xc3\xa9"}}, target_policy(),
                             Phase::security);
  EXPECT_EQ(out.state.session.initiator_alias, "caf\xc3\xa9");
  EXPECT_TRUE(out.reply.empty());
  out = initiator_receives({{"InitiatorAlias", "x"}});
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.key-wrong-sender"});
}

TEST(KeyTable, TargetAddress) {
  expect_row("TargetAddress", {"RFC 7143 §13.8", V::target_address, F::declarative, SW,
                               Use::all, Senders::target, "", 0, 0, false, kNoPhase,
                               kAllPhases});
  // A redirection may carry several addresses (digest §2.3).
  auto out = initiator_receives({{"TargetAddress", "10.0.0.2:3260,1"},
                                 {"TargetAddress", "[2001:db8::2]"}},
                                initiator_policy(), Phase::security);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_TRUE(out.reply.empty());
  out = initiator_receives({{"TargetAddress", "10.0.0.2:99999"}}, initiator_policy(),
                           Phase::security);
  EXPECT_EQ(answer_of(out, "TargetAddress"), "Reject");
}

TEST(KeyTable, TargetPortalGroupTag) {
  expect_row("TargetPortalGroupTag", {"RFC 7143 §13.9", V::numeric, F::declarative, SW,
                                      Use::initial_only, Senders::target, "", 0, 65535, false,
                                      kNoPhase, kLoginStages});
  auto out = initiator_receives({{"TargetPortalGroupTag", "1"}}, initiator_policy(),
                                Phase::security);
  EXPECT_EQ(out.state.session.target_portal_group_tag, 1);
  EXPECT_TRUE(out.reply.empty());
  out = initiator_receives({{"TargetPortalGroupTag", "65536"}}, initiator_policy(),
                           Phase::security);
  EXPECT_EQ(answer_of(out, "TargetPortalGroupTag"), "Reject");
  LocalPolicy policy = target_policy();
  policy.target_portal_group_tag = 7;
  const auto offer = make_offer({}, policy, as_target(Phase::security));
  EXPECT_EQ(offer.pairs, (KeyValueList{{"TargetPortalGroupTag", "7"}}));
}

TEST(KeyTable, InitialR2T) {
  expect_row("InitialR2T", {"RFC 7143 §13.10", V::boolean, F::logical_or, SW, Use::leading_only,
                            Senders::both, "Yes", 0, 0, true, kOperationalStage,
                            kOperationalStage});
  auto out = target_receives({{"InitialR2T", "No"}});
  EXPECT_EQ(answer_of(out, "InitialR2T"), "Yes");  // C057: our Yes wins the OR
  LocalPolicy relaxed = target_policy();
  relaxed.initial_r2t = false;
  out = target_receives({{"InitialR2T", "No"}}, relaxed);
  EXPECT_EQ(answer_of(out, "InitialR2T"), "No");
  EXPECT_FALSE(out.state.session.initial_r2t);
  out = target_receives({{"InitialR2T", "Yes"}}, relaxed);
  EXPECT_EQ(answer_of(out, "InitialR2T"), "Yes");  // C080: if present, Yes
}

TEST(KeyTable, ImmediateData) {
  expect_row("ImmediateData", {"RFC 7143 §13.11", V::boolean, F::logical_and, SW,
                               Use::leading_only, Senders::both, "Yes", 0, 0, true,
                               kOperationalStage, kOperationalStage});
  auto out = target_receives({{"ImmediateData", "No"}});
  EXPECT_EQ(answer_of(out, "ImmediateData"), "No");  // C055
  EXPECT_FALSE(out.state.session.immediate_data);
  LocalPolicy no_immediate = target_policy();
  no_immediate.immediate_data = false;
  out = target_receives({{"ImmediateData", "Yes"}}, no_immediate);
  EXPECT_EQ(answer_of(out, "ImmediateData"), "No");  // C056
  out = target_receives({{"ImmediateData", "Yes"}});
  EXPECT_EQ(answer_of(out, "ImmediateData"), "Yes");
}

TEST(KeyTable, MaxRecvDataSegmentLength) {
  expect_row("MaxRecvDataSegmentLength",
             {"RFC 7143 §13.12", V::numeric, F::declarative, CO, Use::all, Senders::both, "8192",
              512, 16777215, false, kOperationalAndFullFeature, kOperationalAndFullFeature});
  auto out = target_receives({{"MaxRecvDataSegmentLength", "262144"}});
  EXPECT_TRUE(out.reply.empty());  // declarative: never answered
  EXPECT_EQ(out.state.connection.initiator_max_recv_data_segment_length, 262144U);
  EXPECT_EQ(out.state.connection.max_send_data_segment_length(Role::target), 262144U);
  EXPECT_EQ(out.state.connection.max_send_data_segment_length(Role::initiator), 8192U);
  out = target_receives({{"MaxRecvDataSegmentLength", "511"}});
  EXPECT_EQ(answer_of(out, "MaxRecvDataSegmentLength"), "Reject");  // C062
  EXPECT_EQ(out.state.connection.initiator_max_recv_data_segment_length, 8192U);
  // C070: ALL, so a Text Request in full feature phase (a new negotiation) changes it.
  NegotiationState text_exchange = out.state;
  text_exchange.begin_negotiation();
  out = target_receives({{"MaxRecvDataSegmentLength", "4096"}}, target_policy(),
                        Phase::full_feature, text_exchange);
  EXPECT_TRUE(out.violations.empty());
  EXPECT_EQ(out.state.connection.initiator_max_recv_data_segment_length, 4096U);
}

TEST(KeyTable, MaxBurstLength) {
  expect_row("MaxBurstLength", {"RFC 7143 §13.13", V::numeric, F::minimum, SW,
                                Use::leading_only, Senders::both, "262144", 512, 16777215, true,
                                kOperationalStage, kOperationalStage});
  auto out = target_receives({{"MaxBurstLength", "16777215"}});
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "262144");  // C058: <= offer, >= 512
  out = target_receives({{"MaxBurstLength", "0x1000"}});
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "4096");  // C078
  EXPECT_EQ(out.state.session.max_burst_length, 4096U);
  EXPECT_EQ(answer_of(target_receives({{"MaxBurstLength", "511"}}), "MaxBurstLength"), "Reject");
}

TEST(KeyTable, FirstBurstLength) {
  expect_row("FirstBurstLength", {"RFC 7143 §13.14", V::numeric, F::minimum, SW,
                                  Use::leading_only, Senders::both, "65536", 512, 16777215, true,
                                  kOperationalStage, kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.first_burst_length = 262144;
  // C059: the answer never exceeds MaxBurstLength, offered later in the same text.
  auto out = target_receives({{"FirstBurstLength", "262144"}, {"MaxBurstLength", "16384"}},
                             policy);
  EXPECT_EQ(answer_of(out, "FirstBurstLength"), "16384");
  EXPECT_EQ(answer_of(out, "MaxBurstLength"), "16384");
  EXPECT_LE(out.state.session.first_burst_length, out.state.session.max_burst_length);
  out = target_receives({{"FirstBurstLength", "4096"}}, policy);
  EXPECT_EQ(answer_of(out, "FirstBurstLength"), "4096");
}

TEST(KeyTable, DefaultTime2Wait) {
  expect_row("DefaultTime2Wait", {"RFC 7143 §13.15", V::numeric, F::maximum, SW,
                                  Use::leading_only, Senders::both, "2", 0, 3600, false,
                                  kOperationalStage, kOperationalStage});
  auto out = target_receives({{"DefaultTime2Wait", "0"}});
  EXPECT_EQ(answer_of(out, "DefaultTime2Wait"), "2");  // C060: Max, >= the offer
  out = target_receives({{"DefaultTime2Wait", "3600"}});
  EXPECT_EQ(answer_of(out, "DefaultTime2Wait"), "3600");
  EXPECT_EQ(out.state.session.default_time2wait, 3600U);
  EXPECT_EQ(answer_of(target_receives({{"DefaultTime2Wait", "3601"}}), "DefaultTime2Wait"),
            "Reject");
}

TEST(KeyTable, DefaultTime2Retain) {
  expect_row("DefaultTime2Retain", {"RFC 7143 §13.16", V::numeric, F::minimum, SW,
                                    Use::leading_only, Senders::both, "20", 0, 3600, false,
                                    kOperationalStage, kOperationalStage});
  auto out = target_receives({{"DefaultTime2Retain", "0"}});  // libiscsi's offer
  EXPECT_EQ(answer_of(out, "DefaultTime2Retain"), "0");
  EXPECT_EQ(out.state.session.default_time2retain, 0U);
  out = target_receives({{"DefaultTime2Retain", "3600"}});
  EXPECT_EQ(answer_of(out, "DefaultTime2Retain"), "20");
}

TEST(KeyTable, MaxOutstandingR2T) {
  expect_row("MaxOutstandingR2T", {"RFC 7143 §13.17", V::numeric, F::minimum, SW,
                                   Use::leading_only, Senders::both, "1", 1, 65535, true,
                                   kOperationalStage, kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.max_outstanding_r2t = 8;
  auto out = target_receives({{"MaxOutstandingR2T", "16"}}, policy);
  EXPECT_EQ(answer_of(out, "MaxOutstandingR2T"), "8");
  EXPECT_EQ(out.state.session.max_outstanding_r2t, 8U);
  EXPECT_EQ(answer_of(target_receives({{"MaxOutstandingR2T", "0"}}), "MaxOutstandingR2T"),
            "Reject");
}

TEST(KeyTable, DataPDUInOrder) {
  expect_row("DataPDUInOrder", {"RFC 7143 §13.18", V::boolean, F::logical_or, SW,
                                Use::leading_only, Senders::both, "Yes", 0, 0, true,
                                kOperationalStage, kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.data_pdu_in_order = false;
  auto out = target_receives({{"DataPDUInOrder", "No"}}, policy);
  EXPECT_EQ(answer_of(out, "DataPDUInOrder"), "No");
  EXPECT_FALSE(out.state.session.data_pdu_in_order);
  EXPECT_EQ(answer_of(target_receives({{"DataPDUInOrder", "No"}}), "DataPDUInOrder"), "Yes");
}

TEST(KeyTable, DataSequenceInOrder) {
  expect_row("DataSequenceInOrder", {"RFC 7143 §13.19", V::boolean, F::logical_or, SW,
                                     Use::leading_only, Senders::both, "Yes", 0, 0, true,
                                     kOperationalStage, kOperationalStage});
  LocalPolicy policy = target_policy();
  policy.data_sequence_in_order = false;
  auto out = target_receives({{"DataSequenceInOrder", "Yes"}}, policy);
  EXPECT_EQ(answer_of(out, "DataSequenceInOrder"), "Yes");
  EXPECT_TRUE(out.state.session.data_sequence_in_order);
  out = target_receives({{"DataSequenceInOrder", "No"}}, policy);
  EXPECT_FALSE(out.state.session.data_sequence_in_order);
}

TEST(KeyTable, ErrorRecoveryLevel) {
  expect_row("ErrorRecoveryLevel", {"RFC 7143 §13.20", V::numeric, F::minimum, SW,
                                    Use::leading_only, Senders::both, "0", 0, 2, false,
                                    kOperationalStage, kOperationalStage});
  auto out = target_receives({{"ErrorRecoveryLevel", "2"}});
  EXPECT_EQ(answer_of(out, "ErrorRecoveryLevel"), "0");  // C061
  LocalPolicy erl2 = target_policy();
  erl2.error_recovery_level = 2;
  out = target_receives({{"ErrorRecoveryLevel", "1"}}, erl2);
  EXPECT_EQ(answer_of(out, "ErrorRecoveryLevel"), "1");
  EXPECT_EQ(out.state.session.error_recovery_level, 1);
  EXPECT_EQ(answer_of(target_receives({{"ErrorRecoveryLevel", "3"}}), "ErrorRecoveryLevel"),
            "Reject");
}

TEST(KeyTable, SessionType) {
  expect_row("SessionType", {"RFC 7143 §13.21", V::enumerated, F::declarative, SW,
                             Use::leading_only, Senders::initiator, "Normal", 0, 0, false,
                             kLoginStages, kNoPhase});
  auto out = target_receives({{"SessionType", "Discovery"}}, target_policy(), Phase::security);
  EXPECT_EQ(out.state.session.session_type, SessionType::discovery);
  EXPECT_TRUE(out.reply.empty());
  out = target_receives({{"SessionType", "Bogus"}}, target_policy(), Phase::security);
  EXPECT_EQ(ids_of(out), std::vector<std::string>{"negotiation.unsupported-session-type"});
  EXPECT_TRUE(out.failed());  // 0x0209 (C039)
}

TEST(KeyTable, TaskReporting) {
  expect_row("TaskReporting", {"RFC 7143 §13.23", V::list, F::list_select, SW,
                               Use::leading_only, Senders::both, "RFC3720", 0, 0, true,
                               kOperationalStage, kOperationalStage});
  auto out = target_receives({{"TaskReporting", "FastAbort,RFC3720"}});
  EXPECT_EQ(answer_of(out, "TaskReporting"), "RFC3720");  // C076
  LocalPolicy fast = target_policy();
  fast.task_reporting = {"FastAbort", "RFC3720"};
  out = target_receives({{"TaskReporting", "ResponseFence,FastAbort"}}, fast);
  EXPECT_EQ(answer_of(out, "TaskReporting"), "FastAbort");
  EXPECT_EQ(out.state.session.task_reporting, TaskReporting::fast_abort);
  // An RFC 3720 peer does not know the key: that is not a failure.
  EXPECT_TRUE(answer_to_our_offer(Role::initiator, "TaskReporting", "FastAbort",
                                  "NotUnderstood")
                  .violations.empty());
}

TEST(KeyTable, iSCSIProtocolLevel) {
  expect_row("iSCSIProtocolLevel", {"RFC 7143 §13.24", V::numeric, F::minimum, SW,
                                    Use::leading_only, Senders::both, "1", 0, 31, true,
                                    kOperationalStage, kOperationalStage});
  auto out = target_receives({{"iSCSIProtocolLevel", "31"}});
  EXPECT_EQ(answer_of(out, "iSCSIProtocolLevel"), "1");  // C077
  EXPECT_EQ(answer_of(target_receives({{"iSCSIProtocolLevel", "32"}}), "iSCSIProtocolLevel"),
            "Reject");
  EXPECT_TRUE(row_of("iSCSIProtocolLevel").since_rfc7143);
}

void expect_marker(std::string_view name, ValueType type, std::string_view default_value,
                   std::string_view offered, std::string_view tgt_answer) {
  expect_row(name, {"RFC 7143 §13.25", type, F::obsolete, CO, Use::initial_only, Senders::both,
                    default_value, type == V::numeric_range ? 1U : 0U,
                    type == V::numeric_range ? 65535U : 0U, false, kOperationalStage,
                    kOperationalStage});
  const KeyValueList offer{{std::string(name), std::string(offered)}};
  auto out = target_receives(offer);
  EXPECT_EQ(answer_of(out, name), "Reject") << name;  // C072
  EXPECT_TRUE(out.violations.empty()) << name;
  LocalPolicy tgt = target_policy();
  tgt.answer_markers_with_no = true;
  EXPECT_EQ(answer_of(target_receives(offer, tgt), name), tgt_answer) << name;
  // Our own marker offer answered Reject is expected, not a failure.
  EXPECT_TRUE(answer_to_our_offer(Role::initiator, name, offered, "Reject").violations.empty());
}

TEST(KeyTable, IFMarker) { expect_marker("IFMarker", V::boolean, "No", "Yes", "No"); }
TEST(KeyTable, OFMarker) { expect_marker("OFMarker", V::boolean, "No", "No", "No"); }
TEST(KeyTable, OFMarkInt) {
  expect_marker("OFMarkInt", V::numeric_range, "2048", "2048~8192", "Reject");
}
TEST(KeyTable, IFMarkInt) {
  expect_marker("IFMarkInt", V::numeric_range, "2048", "1~65535", "Reject");
}

TEST(KeyTable, XNodeArchitecture) {
  expect_row("X#NodeArchitecture", {"RFC 7143 §13.26", V::string_list, F::declarative, SW,
                                     Use::leading_only, Senders::both, "", 0, 255, false,
                                     kLoginStages, kLoginStages});
  auto out = target_receives({{"X#NodeArchitecture", "ExampleOS/1.0,x86_64"}},
                             target_policy(), Phase::security);
  EXPECT_TRUE(out.reply.empty());
  EXPECT_EQ(out.state.session.initiator_node_architecture,
            (std::vector<std::string>{"ExampleOS/1.0", "x86_64"}));
  LocalPolicy policy = target_policy();
  policy.node_architecture = {"iscsim/0.1"};
  const auto offer = make_offer({}, policy, as_target(Phase::security));
  EXPECT_EQ(offer.pairs, (KeyValueList{{"X#NodeArchitecture", "iscsim/0.1"}}));
  out = target_receives({{"X#NodeArchitecture", "ExampleOS"}}, target_policy(),
                        Phase::full_feature);
  EXPECT_EQ(answer_of(out, "X#NodeArchitecture"), "Reject");  // LO: not in FFP
}

// Keeps the table and this file in step: a new row needs a new test above.
TEST(KeyTable, EveryRowIsTested) {
  const std::set<std::string_view> tested{
      "AuthMethod", "KRB_AP_REQ", "KRB_AP_REP", "SRP_U", "TargetAuth", "SRP_GROUP", "SRP_s",
      "SRP_A", "SRP_B", "SRP_M", "SRP_HM", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R",
      "HeaderDigest", "DataDigest", "MaxConnections", "SendTargets", "TargetName",
      "InitiatorName", "TargetAlias", "InitiatorAlias", "TargetAddress",
      "TargetPortalGroupTag", "InitialR2T", "ImmediateData", "MaxRecvDataSegmentLength",
      "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait", "DefaultTime2Retain",
      "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel",
      "SessionType", "TaskReporting", "iSCSIProtocolLevel", "IFMarker", "OFMarker",
      "OFMarkInt", "IFMarkInt", "X#NodeArchitecture"};
  std::set<std::string_view> rows;
  for (const KeyRow& row : key_table()) {
    EXPECT_TRUE(rows.insert(row.name).second) << "duplicate row " << row.name;
    // RFC 7143 §6.1 wants a capital first letter, yet §13.24 itself names iSCSIProtocolLevel.
    EXPECT_EQ(text::check_key_name(row.name).ok(), row.name != "iSCSIProtocolLevel") << row.name;
    EXPECT_EQ(row.rfc_section.substr(0, 11), "RFC 7143 §") << row.name;  // § is 2 bytes
  }
  EXPECT_EQ(rows, tested);
}

// Every key's RFC default is a value the key accepts when offered.
TEST(KeyTable, DefaultsAreAcceptedOffers) {
  for (const KeyRow& row : key_table()) {
    if (row.default_value.empty() || row.function == ResultFunction::obsolete) continue;
    const Role sender = may_send(row, Role::initiator) ? Role::initiator : Role::target;
    const PhaseSet phases = allowed_phases(row, sender);
    const Phase phase = (phases & kOperationalStage) != 0 ? Phase::operational : Phase::security;
    const auto out = receive({}, {{std::string(row.name), std::string(row.default_value)}},
                             target_policy(), {peer_of(sender), phase, true});
    EXPECT_FALSE(out.failed()) << row.name;
    EXPECT_NE(answer_of(out, row.name), "Reject") << row.name;
  }
}

TEST(KeyTable, UnknownKeysHaveNoRow) {
  EXPECT_EQ(find_key("maxburstlength"), nullptr);  // case-sensitive (C074)
  EXPECT_EQ(find_key("X-com.example.Test"), nullptr);
  EXPECT_EQ(find_key("MaxXmitDataSegmentLength"), nullptr);  // LIO internal, not RFC
  EXPECT_EQ(to_string(Use::leading_only), "LO");
  EXPECT_EQ(to_string(ResultFunction::minimum), "Min");
  EXPECT_EQ(to_string(Senders::both), "I,T");
}

}  // namespace
}  // namespace iscsi::negotiation
