// Record -> LoginRequest, client outcome -> iscsiadm outcome, and the -d PDU summary, each on
// its own with literal records and outcomes.
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/describe.hpp"
#include "initiator-impl/host/debug_trace.hpp"
#include "initiator-impl/host/login_settings.hpp"
#include "initiator-impl/host/outcome_mapping.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::host {
namespace {

namespace keys = iscsiadm::keys;
using iscsiadm::Record;

Record node_record() {
  Record node(iscsiadm::node_schema());
  node.set_raw(keys::node_name, "iqn.2026-01.test:disk");
  node.set_raw(keys::conn_address, "10.0.0.2");
  node.set_raw(keys::conn_port, "3261");
  node.set_raw(keys::node_tpgt, "1");
  return node;
}

NodeLogin settled(const Record& node, const Record& iface = iscsiadm::default_iface()) {
  NodeLoginSettings settings = node_login_settings(node, iface, "iqn.2026-01.test:host");
  EXPECT_EQ(settings.error, "");
  if (!settings.login) throw std::runtime_error("no login");
  return std::move(*settings.login);
}

std::string error_of(const Record& node, const Record& iface = iscsiadm::default_iface()) {
  NodeLoginSettings settings = node_login_settings(node, iface, "iqn.2026-01.test:host");
  EXPECT_FALSE(settings.login.has_value());
  return settings.error;
}

TEST(HostLoginSettings, OpenIscsiDefaultsBecomeTheRequest) {
  const NodeLogin login = settled(node_record());
  const client::LoginRequest& request = login.request;
  EXPECT_EQ(request.portal, (runtime::Endpoint{0x0a000002, 3261}));
  EXPECT_EQ(request.source_ipv4, 0u);
  EXPECT_EQ(request.setup.initiator_name, "iqn.2026-01.test:host");
  EXPECT_EQ(request.setup.target_name, "iqn.2026-01.test:disk");
  EXPECT_FALSE(request.setup.chap.has_value());
  const negotiation::LocalPolicy& policy = request.setup.policy;
  EXPECT_EQ(policy.header_digests, std::vector<std::string>{"None"});
  EXPECT_EQ(policy.data_digests, std::vector<std::string>{"None"});
  EXPECT_FALSE(policy.initial_r2t);
  EXPECT_TRUE(policy.immediate_data);
  EXPECT_EQ(policy.first_burst_length, 262144u);
  EXPECT_EQ(policy.max_burst_length, 16776192u);
  EXPECT_EQ(policy.max_recv_data_segment_length, 262144u);
  EXPECT_EQ(policy.max_outstanding_r2t, 1u);
  EXPECT_EQ(policy.error_recovery_level, 0);
  EXPECT_EQ(request.connection.login_timeout, std::chrono::seconds(15));
  EXPECT_EQ(request.connect_timeout, std::chrono::seconds(15));
  EXPECT_EQ(request.connection.nop.interval, std::chrono::seconds(5));
  EXPECT_EQ(request.connection.nop.timeout, std::chrono::seconds(5));
  // replacement_timeout 120 s, one attempt every DefaultTime2Wait (2 s).
  EXPECT_EQ(request.recovery.retry_delay, std::chrono::seconds(2));
  EXPECT_EQ(request.recovery.max_attempts, 60u);
  EXPECT_EQ(login.retry_max, 8u);
}

TEST(HostLoginSettings, EditedValuesReachTheOffer) {
  Record node = node_record();
  ASSERT_EQ(node.set_param(keys::header_digest, "CRC32C,None"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::data_digest, "CRC32C"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::initial_r2t, "Yes"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::immediate_data, "No"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::first_burst, "65536"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::max_r2t, "4"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::erl, "2"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::login_retry_max, "0"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::noop_interval, "0"), std::nullopt);
  const NodeLogin login = settled(node);
  const negotiation::LocalPolicy& policy = login.request.setup.policy;
  EXPECT_EQ(policy.header_digests, (std::vector<std::string>{"CRC32C", "None"}));
  EXPECT_EQ(policy.data_digests, std::vector<std::string>{"CRC32C"});
  EXPECT_TRUE(policy.initial_r2t);
  EXPECT_FALSE(policy.immediate_data);
  EXPECT_EQ(policy.first_burst_length, 65536u);
  EXPECT_EQ(policy.max_outstanding_r2t, 4u);
  EXPECT_EQ(policy.error_recovery_level, 2);
  EXPECT_EQ(login.retry_max, 0u);
  EXPECT_EQ(login.request.connection.nop.interval, runtime::Duration::zero());
}

TEST(HostLoginSettings, ChapOneWayMutualAndAlgorithms) {
  Record node = node_record();
  ASSERT_EQ(node.set_param(keys::authmethod, "CHAP"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::username, "user"), std::nullopt);
  // CHAP without a password: nothing to authenticate with, AuthMethod=None as open-iscsi.
  EXPECT_FALSE(settled(node).request.setup.chap.has_value());
  ASSERT_EQ(node.set_param(keys::password, "secret123456"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::chap_algs, "SHA3-256,SHA1,MD5"), std::nullopt);
  auto chap = settled(node).request.setup.chap;
  ASSERT_TRUE(chap.has_value());
  EXPECT_EQ(chap->credentials.name, "user");
  EXPECT_EQ(chap->credentials.secret, "secret123456");
  EXPECT_FALSE(chap->target_credentials.has_value());
  EXPECT_EQ(chap->algorithms, (std::vector<std::uint8_t>{8, 6, 5}));
  ASSERT_EQ(node.set_param(keys::username_in, "tuser"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::password_in, "tsecret12345"), std::nullopt);
  chap = settled(node).request.setup.chap;
  ASSERT_TRUE(chap->target_credentials.has_value());
  EXPECT_EQ(chap->target_credentials->name, "tuser");
  EXPECT_EQ(chap->target_credentials->secret, "tsecret12345");
  // The method None wins over stored credentials.
  ASSERT_EQ(node.set_param(keys::authmethod, "None"), std::nullopt);
  EXPECT_FALSE(settled(node).request.setup.chap.has_value());
}

TEST(HostLoginSettings, TheIfaceGivesTheSourceAddressAndMayNameTheInitiator) {
  Record iface = iscsiadm::default_iface();
  iface.set_raw(keys::iface_name, "if2");
  iface.set_raw(keys::iface_ipaddress, "10.0.0.4");
  NodeLogin login = settled(node_record(), iface);
  EXPECT_EQ(login.request.source_ipv4, 0x0a000004u);
  EXPECT_EQ(login.request.setup.initiator_name, "iqn.2026-01.test:host");
  iface.set_raw(keys::iface_initiatorname, "iqn.2026-01.test:other");
  EXPECT_EQ(settled(node_record(), iface).request.setup.initiator_name, "iqn.2026-01.test:other");
}

TEST(HostLoginSettings, MalformedValuesNameTheKeyAndTheValue) {
  Record node = node_record();
  ASSERT_EQ(node.set_param(keys::login_timeout, "-1"), std::nullopt);
  EXPECT_EQ(error_of(node),
            "invalid value '-1' for node.conn[0].timeo.login_timeout: it must lie between 1 "
            "and 3600");
  node = node_record();
  ASSERT_EQ(node.set_param(keys::max_recv_dsl, "100"), std::nullopt);
  EXPECT_EQ(error_of(node),
            "invalid value '100' for node.conn[0].iscsi.MaxRecvDataSegmentLength: it must lie "
            "between 512 and 16777215");
  node = node_record();
  ASSERT_EQ(node.set_param(keys::first_burst, "16776193"), std::nullopt);
  EXPECT_EQ(error_of(node),
            "invalid value '16776193' for node.session.iscsi.FirstBurstLength: it exceeds "
            "node.session.iscsi.MaxBurstLength (16776192) (RFC 7143 §13.14)");
  node = node_record();
  node.set_raw(keys::conn_address, "disk.example");
  EXPECT_EQ(error_of(node),
            "invalid value 'disk.example' for node.conn[0].address: it is not an IPv4 address");
  Record iface = iscsiadm::default_iface();
  iface.set_raw(keys::iface_ipaddress, "10.0.0");
  EXPECT_EQ(error_of(node_record(), iface),
            "invalid value '10.0.0' for iface.ipaddress: it is not an IPv4 address");
  node = node_record();
  ASSERT_EQ(node.set_param(keys::authmethod, "CHAP"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::username, "user"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::password, "secret123456"), std::nullopt);
  ASSERT_EQ(node.set_param(keys::username_in, "tuser"), std::nullopt);
  EXPECT_EQ(error_of(node),
            "invalid value '' for node.session.auth.password_in: mutual CHAP needs both "
            "username_in and password_in");
}

TEST(HostLoginSettings, ChapAlgorithmLists) {
  EXPECT_EQ(chap_algorithms("MD5"), (std::vector<std::uint8_t>{5}));
  EXPECT_EQ(chap_algorithms("SHA3-256,SHA256,SHA1,MD5"), (std::vector<std::uint8_t>{8, 7, 6, 5}));
  EXPECT_EQ(chap_algorithms(""), std::nullopt);
  EXPECT_EQ(chap_algorithms("MD5,"), std::nullopt);
  EXPECT_EQ(chap_algorithms("MD5,SHA512"), std::nullopt);
  EXPECT_EQ(chap_algorithms("MD5,MD5,MD5,MD5,MD5"), std::nullopt);
}

TEST(HostLoginSettings, DiscoveryRecord) {
  Record discovery(iscsiadm::discovery_schema());
  discovery.set_raw(keys::st_address, "10.0.0.2");
  discovery.set_raw(keys::st_port, "3260");
  ASSERT_EQ(discovery.set_param("discovery.sendtargets.reopen_max", "2"), std::nullopt);
  ASSERT_EQ(discovery.set_param("discovery.sendtargets.auth.authmethod", "CHAP"), std::nullopt);
  ASSERT_EQ(discovery.set_param("discovery.sendtargets.auth.username", "d"), std::nullopt);
  ASSERT_EQ(discovery.set_param("discovery.sendtargets.auth.password", "dsecret12345"),
            std::nullopt);
  DiscoveryLoginSettings settings =
      discovery_login_settings(discovery, iscsiadm::default_iface(), "iqn.2026-01.test:host");
  ASSERT_TRUE(settings.login.has_value()) << settings.error;
  EXPECT_EQ(settings.login->reopen_max, 2u);
  const client::LoginRequest& request = settings.login->request;
  EXPECT_EQ(request.portal, (runtime::Endpoint{0x0a000002, 3260}));
  EXPECT_TRUE(request.setup.target_name.empty());
  EXPECT_EQ(request.setup.policy.max_recv_data_segment_length, 32768u);
  ASSERT_TRUE(request.setup.chap.has_value());
  EXPECT_EQ(request.setup.chap->credentials.name, "d");
  EXPECT_EQ(request.recovery.max_attempts, 0u);
  ASSERT_EQ(discovery.set_param("discovery.sendtargets.timeo.login_timeout", "0"), std::nullopt);
  settings = discovery_login_settings(discovery, iscsiadm::default_iface(), "iqn.x");
  EXPECT_EQ(settings.error,
            "invalid value '0' for discovery.sendtargets.timeo.login_timeout: it must lie "
            "between 1 and 3600");
}

client::LoginOutcome failed_with(login::LoginFailure::Kind kind,
                                 std::optional<std::uint16_t> status, ViolationKind violation) {
  client::LoginOutcome outcome;
  outcome.error = client::LoginError::login_failed;
  outcome.failure = login::LoginFailure{kind, status, Violation{violation, "what happened"}};
  return outcome;
}

TEST(HostOutcomeMapping, ClientOutcomesBecomeIscsiadmOutcomes) {
  using iscsiadm::LoginFailure;
  constexpr ViolationKind kRejected{"initiator-login.rejected", "RFC 7143 §11.13.5",
                                    Severity::fatal};
  constexpr ViolationKind kWrongTarget{"chap.wrong-target-response", "RFC 7143 §12.1.3",
                                       Severity::fatal};
  constexpr ViolationKind kBadVersion{"initiator-login.bad-version", "RFC 7143 §11.13.1",
                                      Severity::fatal};
  client::LoginOutcome refused;
  refused.error = client::LoginError::connect_failed;
  refused.transport = runtime::CloseReason::refused;
  MappedLogin mapped = map_login(refused);
  EXPECT_EQ(mapped.outcome.failure, LoginFailure::connection_refused);
  EXPECT_TRUE(mapped.retryable);
  refused.transport = runtime::CloseReason::timed_out;
  EXPECT_EQ(map_login(refused).outcome.failure, LoginFailure::connection_timeout);
  client::LoginOutcome closed;
  closed.error = client::LoginError::closed_during_login;
  EXPECT_EQ(map_login(closed).outcome.failure, LoginFailure::connection_lost);

  mapped = map_login(failed_with(login::LoginFailure::Kind::target_status, 0x0202, kRejected));
  EXPECT_EQ(mapped.outcome.failure, LoginFailure::login_status);
  EXPECT_EQ(mapped.outcome.status, 0x0202);
  EXPECT_FALSE(mapped.retryable);
  mapped = map_login(failed_with(login::LoginFailure::Kind::target_status, 0x0301, kRejected));
  EXPECT_TRUE(mapped.retryable);
  mapped = map_login(failed_with(login::LoginFailure::Kind::local, std::nullopt, kWrongTarget));
  EXPECT_EQ(mapped.outcome.failure, LoginFailure::local_auth);
  EXPECT_EQ(mapped.outcome.reason, "what happened (chap.wrong-target-response)");
  EXPECT_FALSE(mapped.retryable);
  mapped = map_login(failed_with(login::LoginFailure::Kind::protocol, std::nullopt, kBadVersion));
  EXPECT_EQ(mapped.outcome.failure, LoginFailure::local_protocol);
}

TEST(HostDebugTrace, WirePdusAreSummarisedWithOrWithoutDigests) {
  const pdu::Pdu ping = test::nop_out_ping({}, Bytes{1, 2, 3, 4, 5});
  const std::string expected = pdu::describe(ping);
  EXPECT_EQ(describe_wire_pdu(pdu::encode(ping)), expected);
  EXPECT_EQ(describe_wire_pdu(pdu::encode(ping, {true, true})), expected);
  EXPECT_EQ(describe_wire_pdu(pdu::encode(ping, {true, false})), expected);
  EXPECT_EQ(describe_wire_pdu(Bytes(10, 0)), "undecodable PDU (10 bytes): shorter than a BHS");
  // A corrupted digest: the header still describes the PDU.
  Bytes bad = pdu::encode(ping, {true, true});
  bad.back() ^= 0xff;
  EXPECT_EQ(describe_wire_pdu(bad), pdu::describe(ping.header));

  test::RecordingTraceSink next;
  DebugTrace trace(&next);
  trace.on_pdu({}, {}, runtime::Direction::initiator_to_target, pdu::encode(ping));
  EXPECT_EQ(trace.take(), "");
  trace.set_level(1);
  trace.on_pdu({}, {}, runtime::Direction::initiator_to_target, pdu::encode(ping));
  trace.on_pdu({}, {}, runtime::Direction::target_to_initiator, pdu::encode(ping));
  EXPECT_EQ(trace.take(), "iscsiadm: PDU > " + expected + "\niscsiadm: PDU < " + expected + "\n");
  EXPECT_EQ(next.pdus.size(), 3u);
}

}  // namespace
}  // namespace iscsi::initiator::host
