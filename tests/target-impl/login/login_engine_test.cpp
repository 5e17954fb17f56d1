// The login engine with hand-built Login Requests: stages and flags, the leading request's
// identity checks and every status code they lead to, C-bit continuation in both directions,
// discovery logins and the parameters handed to the full feature phase.
#include <functional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/negotiation/negotiation_violations.hpp"
#include "core/text/values.hpp"
#include "target-impl/login/engine_impl.hpp"
#include "target-impl/login/login_violations.hpp"
#include "tests/target-impl/login/login_test_util.hpp"

namespace iscsi::target::login::testing {
namespace {

using Next = LoginStep::Next;
using pdu::Stage;

LoginStep first_failure(Harness& h, const pdu::Pdu& request) {
  LoginStep step = h.send(request);
  EXPECT_EQ(step.next, Next::close) << describe(step);
  EXPECT_EQ(step.responses.size(), 1U) << describe(step);
  EXPECT_FALSE(header(step).transit);
  return step;
}

// ---- A whole Normal login ------------------------------------------------------------------

TEST(LoginEngine, NormalLoginThroughBothStages) {
  Harness h;
  const LoginStep first = h.send(login(security(), with(normal_identity(), {{"AuthMethod", "None"}})));
  ASSERT_EQ(first.next, Next::continue_login) << describe(first);
  const pdu::LoginResponse& r1 = header(first);
  EXPECT_EQ(r1.status(), pdu::LoginStatus::success);
  EXPECT_TRUE(r1.transit);
  EXPECT_FALSE(r1.continue_);
  EXPECT_EQ(r1.csg, Stage::security_negotiation);
  EXPECT_EQ(r1.nsg, Stage::login_operational_negotiation);
  EXPECT_EQ(r1.version_max, 0);
  EXPECT_EQ(r1.version_active, 0);
  EXPECT_EQ(r1.isid, pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001));
  EXPECT_EQ(r1.tsih, 0);  // TSIH only in the Final-Response (C032)
  EXPECT_EQ(r1.itt, 0x1000U);
  EXPECT_EQ(r1.stat_sn, 40U);  // rfc: the first StatSN is the initiator's ExpStatSN
  EXPECT_EQ(r1.exp_cmd_sn, 5U);
  EXPECT_EQ(r1.max_cmd_sn, 6U);
  EXPECT_EQ(response_text(first),
            (text::KeyValueList{{"TargetPortalGroupTag", "1"}, {"AuthMethod", "None"}}));
  ASSERT_EQ(first.states.size(), 2U);
  EXPECT_EQ(first.states[0].machine, "login");
  EXPECT_EQ(first.states[0].from, "Free");
  EXPECT_EQ(first.states[0].to, "SecurityNegotiation");
  EXPECT_EQ(first.states[1].to, "OperationalNegotiation");

  const LoginStep last = h.send(login(operational(), {{"HeaderDigest", "CRC32C,None"},
                                                      {"DataDigest", "None,CRC32C"},
                                                      {"MaxRecvDataSegmentLength", "65536"},
                                                      {"MaxBurstLength", "1048576"},
                                                      {"FirstBurstLength", "262144"},
                                                      {"InitialR2T", "No"},
                                                      {"ImmediateData", "Yes"},
                                                      {"ErrorRecoveryLevel", "2"},
                                                      {"InitiatorAlias", "host one"}}));
  ASSERT_EQ(last.next, Next::full_feature) << describe(last);
  const pdu::LoginResponse& r2 = header(last);
  EXPECT_TRUE(r2.transit);
  EXPECT_EQ(r2.csg, Stage::login_operational_negotiation);
  EXPECT_EQ(r2.nsg, Stage::full_feature_phase);
  EXPECT_EQ(r2.tsih, 0x10);
  EXPECT_EQ(r2.stat_sn, 41U);
  EXPECT_EQ(value_of(last, "MaxRecvDataSegmentLength"), "262144");
  EXPECT_EQ(value_of(last, "HeaderDigest"), "CRC32C");
  EXPECT_EQ(value_of(last, "DataDigest"), "None");
  EXPECT_EQ(value_of(last, "ErrorRecoveryLevel"), "0");
  EXPECT_EQ(value_of(last, "TargetPortalGroupTag"), std::nullopt);  // declared once
  ASSERT_EQ(last.states.size(), 1U);
  EXPECT_EQ(last.states[0].to, "FullFeaturePhase");

  const auto& done = h.engine->succeeded();
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->tsih, 0x10);
  EXPECT_EQ(done->cid, 1);
  EXPECT_EQ(done->tid, 1U);
  EXPECT_EQ(done->target_name, kLab);
  EXPECT_EQ(done->initiator_name, kInitiator);
  EXPECT_EQ(done->initiator_alias, "host one");
  EXPECT_EQ(done->chap_user, "");
  EXPECT_EQ(done->exp_cmd_sn, 5U);
  EXPECT_EQ(done->stat_sn, 42U);
  EXPECT_EQ(done->max_cmd_sn, 6U);
  EXPECT_EQ(done->session.session_type, negotiation::SessionType::normal);
  EXPECT_EQ(done->connection.header_digest, negotiation::Digest::crc32c);
  EXPECT_EQ(done->connection.data_digest, negotiation::Digest::none);
  EXPECT_EQ(done->connection.initiator_max_recv_data_segment_length, 65536U);
  EXPECT_EQ(done->connection.target_max_recv_data_segment_length, 262144U);
  EXPECT_EQ(done->session.max_burst_length, 262144U);
  EXPECT_EQ(done->session.first_burst_length, 65536U);
  EXPECT_TRUE(done->session.initial_r2t);  // OR: our Yes wins
  EXPECT_EQ(done->session.error_recovery_level, 0);
  EXPECT_TRUE(last.violations.empty()) << describe(last);
}

TEST(LoginEngine, TgtProfileAnswersNoneAndErlZeroAndCountsFromZero) {
  Harness h(config::Profile::tgt);
  const LoginStep first = h.send(login(security(), with(normal_identity(), {{"AuthMethod", "None"}})));
  EXPECT_EQ(header(first).stat_sn, 0U);
  const LoginStep last = h.send(login(operational(), {{"HeaderDigest", "CRC32C,None"},
                                                      {"ErrorRecoveryLevel", "2"},
                                                      {"IFMarker", "No"}}));
  ASSERT_EQ(last.next, Next::full_feature) << describe(last);
  EXPECT_EQ(header(last).stat_sn, 1U);
  EXPECT_EQ(response_text(last), (text::KeyValueList{{"HeaderDigest", "None"},
                                                     {"ErrorRecoveryLevel", "0"},
                                                     {"IFMarker", "No"}}));
  EXPECT_EQ(h.engine->succeeded()->connection.target_max_recv_data_segment_length, 8192U);
}

TEST(LoginEngine, TgtProfileHonoursConfiguredDigestsAndLength) {
  Harness h(config::Profile::tgt);
  h.system.targets[1].params["HeaderDigest"] = "CRC32C";
  h.system.targets[1].params["MaxRecvDataSegmentLength"] = "65536";
  h.restart();
  const LoginStep step = h.send(login(operational(), with(normal_identity(),
                                                          {{"HeaderDigest", "None,CRC32C"}})));
  ASSERT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_EQ(value_of(step, "HeaderDigest"), "CRC32C");
  EXPECT_EQ(value_of(step, "MaxRecvDataSegmentLength"), "65536");
}

TEST(LoginEngine, SecurityStageStraightToFullFeature) {
  Harness h;
  const LoginStep step =
      h.send(login(security_to_ffp(), with(normal_identity(), {{"AuthMethod", "None"}})));
  ASSERT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_EQ(header(step).csg, Stage::security_negotiation);
  EXPECT_EQ(header(step).nsg, Stage::full_feature_phase);
  EXPECT_EQ(header(step).tsih, 0x10);
  // RFC defaults hold for everything not negotiated.
  EXPECT_EQ(h.engine->succeeded()->session.max_burst_length, 262144U);
}

TEST(LoginEngine, StaysInStageWithoutTransit) {
  Harness h;
  const LoginStep a = h.send(login(security(false), normal_identity()));
  EXPECT_FALSE(header(a).transit);
  EXPECT_EQ(a.next, Next::continue_login);
  const LoginStep b = h.send(login(security(false), {{"AuthMethod", "None"}}));
  EXPECT_FALSE(header(b).transit);
  EXPECT_EQ(value_of(b, "AuthMethod"), "None");
  EXPECT_EQ(header(b).stat_sn, 41U);
  const LoginStep c = h.send(login(security(), {}));
  EXPECT_TRUE(header(c).transit);
  EXPECT_EQ(header(c).nsg, Stage::login_operational_negotiation);
}

// ---- The leading request's identity --------------------------------------------------------

TEST(LoginStatus, MissingInitiatorNameIs0207) {
  Harness h;
  const LoginStep step =
      first_failure(h, login(security(), {{"TargetName", std::string(kLab)}}));
  EXPECT_EQ(status_of(step), 0x0207);
  EXPECT_EQ(step.status, 0x0207);
  EXPECT_TRUE(has_violation(step, violations::kMissingInitiatorName.id));
  ASSERT_EQ(step.states.size(), 2U);
  EXPECT_EQ(step.states.back().to, "Failed");
}

TEST(LoginStatus, MissingTargetNameInNormalSessionIs0207) {
  Harness h;
  const LoginStep step = first_failure(
      h, login(security(), {{"InitiatorName", std::string(kInitiator)}, {"AuthMethod", "None"}}));
  EXPECT_EQ(status_of(step), 0x0207);
  EXPECT_TRUE(has_violation(step, violations::kMissingTargetName.id));
}

TEST(LoginStatus, MissingSessionTypeMeansNormal) {
  Harness h;  // C040
  const LoginStep step = h.send(login(security_to_ffp(),
                                      {{"InitiatorName", std::string(kInitiator)},
                                       {"TargetName", std::string(kLab)}}));
  EXPECT_EQ(step.next, Next::full_feature) << describe(step);
}

TEST(LoginStatus, BadSessionTypeIs0209) {
  for (const auto profile : {config::Profile::rfc, config::Profile::tgt}) {
    Harness h(profile);
    const LoginStep step = first_failure(
        h, login(security(), {{"InitiatorName", std::string(kInitiator)},
                              {"SessionType", "Bogus"}}));
    EXPECT_EQ(status_of(step), 0x0209);
    EXPECT_TRUE(has_violation(step, negotiation::kUnsupportedSessionType.id));
  }
}

TEST(LoginStatus, UnknownTargetIs0203) {
  Harness h;
  const LoginStep step =
      first_failure(h, login(security(), normal_identity("iqn.2019-01.com.example:nothing")));
  EXPECT_EQ(status_of(step), 0x0203);
  EXPECT_TRUE(has_violation(step, violations::kUnknownTarget.id));
  // The rfc profile echoes ISID and ITT and keeps the request's CSG.
  EXPECT_EQ(header(step).isid, pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001));
  EXPECT_EQ(header(step).itt, 0x1000U);
}

TEST(LoginStatus, AclDenialIs0202UnderRfcAnd0203UnderTgt) {
  Harness rfc;
  EXPECT_EQ(status_of(first_failure(rfc, login(security(), normal_identity(kPrivate)))), 0x0202);
  Harness tgt(config::Profile::tgt);
  const LoginStep step = first_failure(tgt, login(security(), normal_identity(kPrivate)));
  EXPECT_EQ(status_of(step), 0x0203);
  EXPECT_TRUE(has_violation(step, violations::kNotAuthorized.id));
  // tgt builds failure responses on a zeroed header.
  EXPECT_EQ(header(step).isid, pdu::Isid{});
  EXPECT_EQ(header(step).stat_sn, 0U);
  EXPECT_EQ(header(step).itt, 0x1000U);
}

TEST(LoginStatus, AclAdmitsBoundAddressOrName) {
  Harness by_address;
  by_address.initiator_ipv4 = 0x7f000002;
  by_address.restart();
  EXPECT_EQ(by_address.send(login(security_to_ffp(), normal_identity(kPrivate))).next,
            Next::full_feature);
  Harness by_name;
  EXPECT_EQ(by_name.send(login(security_to_ffp(), normal_identity(kByName))).next,
            Next::full_feature);
  Harness other_name;
  EXPECT_EQ(status_of(first_failure(
                other_name, login(security(), normal_identity(kByName, "iqn.2024-01.org:other")))),
            0x0202);
}

TEST(LoginStatus, UnsupportedVersionIs0205) {
  Harness h;
  pdu::Pdu request = login(security(), normal_identity());
  auto& fields = std::get<pdu::LoginRequest>(request.header);
  fields.version_min = 2;
  fields.version_max = 5;
  const LoginStep step = first_failure(h, request);
  EXPECT_EQ(status_of(step), 0x0205);
  EXPECT_TRUE(has_violation(step, violations::kUnsupportedVersion.id));
  EXPECT_EQ(header(step).version_max, 0);
  EXPECT_EQ(header(step).version_active, 0);
}

TEST(LoginStatus, UnknownTsihIs020aAndConnectionAddIs0206) {
  Harness h;
  Request add = security();
  add.tsih = 0x77;
  const LoginStep unknown = first_failure(h, login(add, normal_identity()));
  EXPECT_EQ(status_of(unknown), 0x020a);
  EXPECT_TRUE(has_violation(unknown, violations::kUnknownSession.id));
  EXPECT_EQ(header(unknown).tsih, 0x77);  // echoed under rfc

  Harness live;
  live.live_sessions = {0x77};
  live.restart();
  const LoginStep exists = first_failure(live, login(add, normal_identity()));
  EXPECT_EQ(status_of(exists), 0x0206);
  EXPECT_TRUE(has_violation(exists, violations::kTooManyConnections.id));
}

TEST(LoginStatus, RedirectionWhenConfigured) {
  for (const auto& [reason, status] :
       std::vector<std::pair<std::string, std::uint16_t>>{{"Temporary", 0x0101},
                                                           {"Permanent", 0x0102}}) {
    Harness h;
    auto& params = h.system.targets[1].params;
    params["RedirectAddress"] = "192.168.7.9";
    params["RedirectPort"] = "3261";
    params["RedirectReason"] = reason;
    h.restart();
    const LoginStep step = first_failure(h, login(security(), normal_identity()));
    EXPECT_EQ(status_of(step), status);
    EXPECT_EQ(step.status, status);
    EXPECT_EQ(response_text(step), (text::KeyValueList{{"TargetAddress", "192.168.7.9:3261"}}));
    EXPECT_TRUE(step.violations.empty());  // a redirection is not the initiator's fault
  }
}

TEST(LoginStatus, RedirectNeedsAReasonAndDefaultsThePort) {
  Harness h;
  h.system.targets[1].params["RedirectAddress"] = "192.168.7.9";
  h.restart();
  EXPECT_EQ(h.send(login(security_to_ffp(), normal_identity())).next, Next::full_feature);
  Harness p;
  p.system.targets[1].params["RedirectAddress"] = "192.168.7.9";
  p.system.targets[1].params["RedirectReason"] = "Permanent";
  p.restart();
  EXPECT_EQ(value_of(first_failure(p, login(security(), normal_identity())), "TargetAddress"),
            "192.168.7.9:3260");
}

TEST(LoginStatus, BadTargetParameterIs0300) {
  Harness h;
  h.system.targets[1].params["FirstBurstLength"] = "1048576";  // above MaxBurstLength 262144
  h.restart();
  const LoginStep step = first_failure(h, login(security(), normal_identity()));
  EXPECT_EQ(status_of(step), 0x0300);
  EXPECT_TRUE(has_violation(step, violations::kTargetError.id));
  Harness g;
  g.system.targets[1].params["HeaderDigest"] = "MD5";
  g.restart();
  EXPECT_EQ(status_of(first_failure(g, login(security(), normal_identity()))), 0x0300);
}

TEST(LoginStatus, NoTsihLeftIs0302) {
  Harness h;
  h.next_tsih = 0;
  h.restart();
  const LoginStep step = h.send(login(security_to_ffp(), normal_identity()));
  EXPECT_EQ(step.next, Next::close);
  EXPECT_EQ(status_of(step), 0x0302);
  EXPECT_TRUE(has_violation(step, violations::kOutOfResources.id));
  EXPECT_FALSE(h.engine->succeeded().has_value());
}

// ---- Header rules: 0x0200 ------------------------------------------------------------------

TEST(LoginStatus, TransitAndContinueIs0200) {
  Harness h;
  Request r = security();
  r.continue_ = true;
  const LoginStep step = first_failure(h, login(r, normal_identity()));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, violations::kTransitAndContinue.id));
}

TEST(LoginStatus, ReservedAndBackwardStagesAre0200) {
  const auto check = [](Request r, std::string_view id) {
    Harness h;
    const LoginStep step = first_failure(h, login(r, normal_identity()));
    EXPECT_EQ(status_of(step), 0x0200) << id;
    EXPECT_TRUE(has_violation(step, id)) << describe(step);
  };
  Request csg2 = security();
  csg2.csg = Stage::reserved;
  check(csg2, violations::kReservedStage.id);
  Request csg3 = security();
  csg3.csg = Stage::full_feature_phase;
  check(csg3, violations::kReservedStage.id);
  Request nsg2 = security();
  nsg2.nsg = Stage::reserved;
  check(nsg2, violations::kReservedStage.id);
  Request backwards = operational();
  backwards.nsg = Stage::security_negotiation;
  check(backwards, violations::kBadNextStage.id);
  Request same = operational();
  same.nsg = Stage::login_operational_negotiation;
  check(same, violations::kBadNextStage.id);
}

TEST(LoginStatus, ChangedFieldsAre0200) {
  const auto changed = [](const std::function<void(pdu::LoginRequest&)>& change) {
    Harness h;
    EXPECT_EQ(h.send(login(security(false), normal_identity())).next, Next::continue_login);
    pdu::Pdu second = login(security(false), {{"AuthMethod", "None"}});
    change(std::get<pdu::LoginRequest>(second.header));
    const LoginStep step = h.send(second);
    EXPECT_EQ(status_of(step), 0x0200);
    EXPECT_TRUE(has_violation(step, violations::kFieldChanged.id)) << describe(step);
    return step.violations.empty() ? std::string{} : step.violations.back().detail;
  };
  EXPECT_NE(changed([](auto& r) { r.isid.bytes[5] ^= 1; }).find("ISID"), std::string::npos);
  EXPECT_NE(changed([](auto& r) { r.itt += 1; }).find("ITT"), std::string::npos);
  EXPECT_NE(changed([](auto& r) { r.cid += 1; }).find("CID"), std::string::npos);
  EXPECT_NE(changed([](auto& r) { r.tsih = 3; }).find("TSIH"), std::string::npos);
  EXPECT_NE(changed([](auto& r) { r.cmd_sn += 1; }).find("CmdSN"), std::string::npos);
  EXPECT_NE(changed([](auto& r) { r.version_max = 1; }).find("Version-max"), std::string::npos);
}

TEST(LoginStatus, StageSkippedOrRevisitedIs0200) {
  Harness skip;
  ASSERT_EQ(skip.send(login(security(false), normal_identity())).next, Next::continue_login);
  const LoginStep skipped = skip.send(login(operational(), {}));
  EXPECT_EQ(status_of(skipped), 0x0200);
  EXPECT_TRUE(has_violation(skipped, violations::kUnexpectedStage.id));

  Harness back;
  ASSERT_EQ(back.send(login(security(), normal_identity())).next, Next::continue_login);
  const LoginStep revisited = back.send(login(security(), {}));
  EXPECT_EQ(status_of(revisited), 0x0200);
  EXPECT_TRUE(has_violation(revisited, violations::kUnexpectedStage.id));
}

TEST(LoginStatus, MalformedTextAndNegotiationFailuresAre0200) {
  Harness nul;
  Bytes text = encode(normal_identity());
  text.pop_back();  // the last pair loses its NUL
  const LoginStep no_nul = first_failure(nul, login_bytes(security(), text));
  EXPECT_EQ(status_of(no_nul), 0x0200);
  EXPECT_TRUE(has_violation(no_nul, "text.missing-nul"));

  Harness dup;
  const LoginStep duplicate = first_failure(
      dup, login(operational(), with(normal_identity(), {{"MaxBurstLength", "512"},
                                                         {"MaxBurstLength", "1024"}})));
  EXPECT_EQ(status_of(duplicate), 0x0200);
  EXPECT_TRUE(has_violation(duplicate, "text.duplicate-key"));

  Harness wrong_stage;  // C104: security keys in the operational stage
  const LoginStep auth = first_failure(
      wrong_stage, login(operational(), with(normal_identity(), {{"AuthMethod", "None"}})));
  EXPECT_EQ(status_of(auth), 0x0200);
  EXPECT_TRUE(has_violation(auth, negotiation::kWrongStage.id));
}

TEST(LoginStatus, IdentityKeysAfterTheFirstTextAre0200) {
  Harness h;
  ASSERT_EQ(h.send(login(security(false), {{"InitiatorName", std::string(kInitiator)},
                                           {"TargetName", std::string(kLab)}}))
                .next,
            Next::continue_login);
  const LoginStep step = h.send(login(security(false), {{"SessionType", "Discovery"}}));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, violations::kIdentityKeyLate.id));
}

TEST(LoginStatus, OtherPdusDuringLogin) {
  Harness rfc;
  ASSERT_EQ(rfc.send(login(security(false), normal_identity())).next, Next::continue_login);
  const LoginStep step = rfc.send(test::nop_out_ping({.itt = 0x55}, {}));
  EXPECT_EQ(status_of(step), 0x020b);  // Invalid during login
  EXPECT_EQ(header(step).itt, 0x55U);
  EXPECT_TRUE(has_violation(step, violations::kUnexpectedPdu.id));
  Harness tgt(config::Profile::tgt);
  EXPECT_EQ(status_of(first_failure(tgt, test::scsi_read10({}, {}))), 0x0200);
}

TEST(LoginStatus, FrameErrors) {
  Harness h;
  pdu::FrameError recoverable{
      Violation{{"pdu.data-segment-too-long", "RFC 7143 §13.12", Severity::recoverable}, "x"},
      test::wire(login(security(), normal_identity()))};
  recoverable.bhs.resize(pdu::kBhsLength);
  const LoginStep step = h.engine->on_frame_error(recoverable);
  EXPECT_EQ(step.next, Next::close);
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_EQ(header(step).itt, 0x1000U);
  EXPECT_TRUE(has_violation(step, "pdu.data-segment-too-long"));

  Harness f;
  const pdu::FrameError fatal{
      Violation{{"pdu.truncated", "RFC 7143 §11.2", Severity::fatal}, "x"}, {}};
  const LoginStep closed = f.engine->on_frame_error(fatal);
  EXPECT_EQ(closed.next, Next::close);
  EXPECT_TRUE(closed.responses.empty());
  EXPECT_TRUE(has_violation(closed, "pdu.truncated"));
}

TEST(LoginStatus, NothingAfterFailureOrSuccess) {
  Harness h;
  first_failure(h, login(security(), {}));
  const LoginStep after = h.send(login(security(), normal_identity()));
  EXPECT_EQ(after.next, Next::close);
  EXPECT_TRUE(after.responses.empty());
}

TEST(LoginStatus, EndlessLoginIsCutOff) {
  Harness h;
  LoginStep step = h.send(login(security(false), normal_identity()));
  std::size_t sent = 1;
  while (step.next == Next::continue_login && sent < 10 * kMaxLoginRequests) {
    step = h.send(login(security(false), {}));
    ++sent;
  }
  EXPECT_EQ(sent, kMaxLoginRequests + 1);
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, violations::kTooManyRequests.id));
}

// ---- C bit ---------------------------------------------------------------------------------

// C042: the first text cut at every byte offset into two PDUs, and byte by byte.
TEST(LoginContinuation, TextSplitAnywhereGivesTheSameLogin) {
  const Bytes text = encode(with(normal_identity(), {{"AuthMethod", "None"}}));
  Harness whole;
  const LoginStep expected = whole.send(login_bytes(security_to_ffp(), text));
  ASSERT_EQ(expected.next, Next::full_feature);
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    Harness h;
    Request head = security_to_ffp();
    head.transit = false;
    head.continue_ = true;
    const LoginStep partial = h.send(login_bytes(head, Bytes(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut))));
    ASSERT_EQ(partial.next, Next::continue_login) << cut;
    EXPECT_TRUE(partial.responses.at(0).data.empty());
    EXPECT_FALSE(header(partial).transit);
    const LoginStep rest = h.send(login_bytes(security_to_ffp(), Bytes(text.begin() + static_cast<std::ptrdiff_t>(cut), text.end())));
    ASSERT_EQ(rest.next, Next::full_feature) << cut << describe(rest);
    EXPECT_EQ(rest.responses.at(0).data, expected.responses.at(0).data);
    EXPECT_EQ(header(rest).stat_sn, header(expected).stat_sn + 1);
  }
  Harness bytewise;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    Request r = security_to_ffp();
    r.transit = false;
    r.continue_ = true;
    ASSERT_EQ(bytewise.send(login_bytes(r, Bytes{text[i]})).next, Next::continue_login);
  }
  const LoginStep last = bytewise.send(login_bytes(security_to_ffp(), Bytes{text.back()}));
  ASSERT_EQ(last.next, Next::full_feature);
  EXPECT_EQ(last.responses.at(0).data, expected.responses.at(0).data);
}

TEST(LoginContinuation, LongResponseGoesOutWithCBit) {
  Harness h;
  Pairs many = normal_identity();
  for (int i = 0; i < 600; ++i) many.push_back({fmt::format("X-k{:03}", i), "v"});
  LoginStep step = h.send(login(security_to_ffp(), many));
  ASSERT_EQ(step.next, Next::continue_login) << describe(step);
  Bytes whole = step.responses.at(0).data;
  EXPECT_TRUE(header(step).continue_);
  EXPECT_FALSE(header(step).transit);
  EXPECT_EQ(whole.size(), kMaxLoginResponseSegment);
  std::size_t pulls = 0;
  while (step.next == Next::continue_login && pulls < 10) {
    Request pull = security_to_ffp();
    pull.transit = false;
    step = h.send(login(pull, {}));
    ++pulls;
    whole.insert(whole.end(), step.responses.at(0).data.begin(), step.responses.at(0).data.end());
  }
  ASSERT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_EQ(pulls, 1U);
  EXPECT_FALSE(header(step).continue_);
  EXPECT_TRUE(header(step).transit);
  const auto parsed = text::parse_text(whole);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(text::find_value(*parsed, "X-k599"), "NotUnderstood");
}

TEST(LoginContinuation, DataWhileTargetContinuesIs0200) {
  Harness h;
  Pairs many = normal_identity();
  for (int i = 0; i < 600; ++i) many.push_back({fmt::format("X-k{:03}", i), "v"});
  ASSERT_EQ(h.send(login(security_to_ffp(), many)).next, Next::continue_login);
  const LoginStep step = h.send(login(security(false), {{"X-more", "1"}}));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, violations::kDataDuringContinuation.id));
}

// ---- Discovery -----------------------------------------------------------------------------

TEST(DiscoveryLogin, LibiscsiStyleLoginUnderRfc) {
  Harness h;
  const LoginStep step = h.send(login(operational(), {{"InitiatorName", std::string(kInitiator)},
                                                      {"SessionType", "Discovery"},
                                                      {"HeaderDigest", "None"},
                                                      {"MaxBurstLength", "262144"},
                                                      {"MaxRecvDataSegmentLength", "32768"}}));
  ASSERT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_EQ(value_of(step, "MaxBurstLength"), "Irrelevant");  // C068
  EXPECT_EQ(value_of(step, "HeaderDigest"), "None");
  const auto& done = *h.engine->succeeded();
  EXPECT_EQ(done.session.session_type, negotiation::SessionType::discovery);
  EXPECT_FALSE(done.tid.has_value());
  EXPECT_EQ(done.target_name, "");
  EXPECT_EQ(done.connection.initiator_max_recv_data_segment_length, 32768U);
}

TEST(DiscoveryLogin, TgtProfileNegotiatesDiscoveryKeys) {
  Harness h(config::Profile::tgt);
  const LoginStep step = h.send(login(operational(), {{"InitiatorName", std::string(kInitiator)},
                                                      {"SessionType", "Discovery"},
                                                      {"MaxBurstLength", "262144"}}));
  ASSERT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_EQ(value_of(step, "MaxBurstLength"), "262144");
}

TEST(DiscoveryLogin, AuthMethodInOperationalStageFailsUnderRfcAndIsSkippedUnderTgt) {
  // tests/support's discovery_login_request() puts AuthMethod=None in CSG 1, a security key in
  // the operational stage (C104); tgt 1.0.85 skips it.
  Harness rfc;
  const LoginStep refused = rfc.send(test::discovery_login_request(kInitiator));
  EXPECT_EQ(status_of(refused), 0x0200);
  EXPECT_TRUE(has_violation(refused, negotiation::kWrongStage.id));
  Harness tgt(config::Profile::tgt);
  const LoginStep skipped = tgt.send(test::discovery_login_request(kInitiator));
  EXPECT_EQ(skipped.next, Next::full_feature) << describe(skipped);
  EXPECT_EQ(value_of(skipped, "AuthMethod"), std::nullopt);
  EXPECT_TRUE(has_violation(skipped, violations::kAuthMethodIgnored.id));
}

}  // namespace
}  // namespace iscsi::target::login::testing
