// Replay of every login in ../shared/testdata/tgtd-libiscsi-session.pcap (tgt 1.0.85 with
// libiscsi 1.19): libiscsi's real Login Requests go into a LoginEngine under the tgt profile
// and each Login Response must equal tgt's captured one byte for byte. tgt's own randomness
// and registry decisions (its CHAP_I counter and challenge, its TSIHs) are taken from the
// captured responses and fed through the setup's hooks; everything else is computed. The
// discovery session's SendTargets=All answer is compared as well.
#include <map>

#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "core/text/binary_value.hpp"
#include "target-impl/login/send_targets.hpp"
#include "tests/support/capture_reader.hpp"
#include "tests/target-impl/login/login_test_util.hpp"

namespace iscsi::target::login::testing {
namespace {

constexpr char kCapture[] = ISCSI_SHARED_DIR "/testdata/tgtd-libiscsi-session.pcap";
constexpr std::uint16_t kTargetPort = 3260;

std::vector<pdu::Pdu> frame(const Bytes& bytes) {
  pdu::Framer framer({.max_data_segment_length = pdu::kMaxDataSegmentLength});
  framer.feed(bytes);
  std::vector<pdu::Pdu> out;
  for (;;) {
    pdu::FrameEvent event = framer.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) break;
    auto* decoded = std::get_if<pdu::DecodedPdu>(&event);
    if (decoded == nullptr) {
      ADD_FAILURE() << "capture does not frame";
      break;
    }
    out.push_back(std::move(decoded->pdu));
  }
  return out;
}

struct Connection {
  std::uint16_t initiator_port = 0;
  std::vector<pdu::Pdu> requests;   // initiator -> target
  std::vector<pdu::Pdu> responses;  // target -> initiator
};

std::vector<Connection> capture_connections() {
  auto segments = test::read_tcp_segments(kCapture);
  EXPECT_TRUE(segments.ok());
  if (!segments) return {};
  std::map<std::uint16_t, Connection> by_port;
  for (const test::DirectionalStream& stream : test::split_directions(*segments)) {
    const bool to_target = stream.destination.port == kTargetPort;
    Connection& c = by_port[to_target ? stream.source.port : stream.destination.port];
    c.initiator_port = to_target ? stream.source.port : stream.destination.port;
    (to_target ? c.requests : c.responses) = frame(stream.bytes);
  }
  std::vector<Connection> out;
  for (auto& [port, c] : by_port) out.push_back(std::move(c));
  return out;
}

// The lab tgt served: lab1 open to all, chap1 with mutual CHAP (accounts as in
// tests/core/chap/tgt_profile_test.cpp, where the secrets were recovered from the capture).
config::SystemConfig captured_lab() {
  config::SystemConfig system;
  config::TargetConfig& lab = system.targets[1];
  lab.tid = 1;
  lab.name = std::string(kLab);
  lab.initiator_addresses.push_back({.all = true, .text = "ALL"});
  config::TargetConfig& chap = system.targets[2];
  chap.tid = 2;
  chap.name = std::string(kChap);
  chap.initiator_addresses.push_back({.all = true, .text = "ALL"});
  chap.incoming_users = {std::string(kUser)};
  chap.outgoing_user = std::string(kTargetUser);
  system.accounts[std::string(kUser)] = {std::string(kUser), std::string(kUserSecret)};
  system.accounts[std::string(kTargetUser)] = {std::string(kTargetUser),
                                               std::string(kTargetSecret)};
  return system;
}

std::optional<std::string> captured_value(const pdu::Pdu& response, std::string_view key) {
  auto pairs = text::parse_text(response.data);
  if (!pairs) return std::nullopt;
  const auto value = text::find_value(*pairs, key);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

// tgt's choices that are not protocol: the TSIH of the Final-Response, CHAP_I and CHAP_C.
struct TgtChoices {
  std::uint16_t tsih = 0;
  std::optional<std::uint8_t> chap_identifier;
  Bytes challenge;
};

TgtChoices tgt_choices(const Connection& c) {
  TgtChoices choices;
  for (const pdu::Pdu& response : c.responses) {
    const auto* h = std::get_if<pdu::LoginResponse>(&response.header);
    if (h == nullptr) continue;
    if (h->transit && h->nsg == pdu::Stage::full_feature_phase) choices.tsih = h->tsih;
    if (const auto id = captured_value(response, "CHAP_I")) {
      choices.chap_identifier = static_cast<std::uint8_t>(std::stoi(*id));
    }
    if (const auto challenge = captured_value(response, "CHAP_C")) {
      choices.challenge = text::decode_binary_value(*challenge).value();
    }
  }
  return choices;
}

std::size_t replay(const Connection& c, config::SystemConfig& system, std::size_t& text_checks) {
  const TgtChoices choices = tgt_choices(c);
  // ScriptedRng needs a byte even when no challenge is drawn.
  test::ScriptedRng rng(choices.challenge.empty() ? Bytes{0} : choices.challenge);
  std::optional<std::uint8_t> identifier = choices.chap_identifier;
  LoginSetup setup;
  setup.system = &system;
  setup.profile = config::Profile::tgt;
  setup.initiator = {kLoopback, c.initiator_port};
  setup.portal = {kLoopback, kTargetPort};
  setup.portals = {setup.portal};
  setup.rng = &rng;
  setup.next_chap_identifier = [&] { return identifier.value_or(0); };
  setup.allocate_tsih = [&] { return choices.tsih; };
  LoginEngine engine(std::move(setup));
  std::size_t compared = 0;
  std::size_t next_response = 0;
  for (const pdu::Pdu& request : c.requests) {
    if (!std::holds_alternative<pdu::LoginRequest>(request.header)) {
      const auto* text_request = std::get_if<pdu::TextRequest>(&request.header);
      if (text_request != nullptr && engine.succeeded()) {
        // SendTargets=All in the discovery session: the answer's text as tgt sent it.
        SendTargetsQuery query{.value = "All",
                               .initiator_ipv4 = kLoopback,
                               .initiator_name = engine.succeeded()->initiator_name,
                               .portals = {{kLoopback, kTargetPort}}};
        EXPECT_EQ(text::encode_text(answer_send_targets(system, query)),
                  c.responses.at(next_response).data);
        ++text_checks;
      }
      break;
    }
    const LoginStep step = engine.on_pdu(request);
    EXPECT_EQ(step.responses.size(), 1U) << describe(step);
    if (step.responses.empty()) break;
    const pdu::Pdu& captured = c.responses.at(next_response++);
    EXPECT_EQ(pdu::encode(step.responses.front()), pdu::encode(captured))
        << "connection from port " << c.initiator_port << ", response " << next_response
        << ": ours " << describe(step);
    ++compared;
    if (step.next == LoginStep::Next::close) break;
  }
  return compared;
}

TEST(LoginReplay, TgtProfileReproducesEveryCapturedLoginResponse) {
  const auto connections = capture_connections();
  ASSERT_FALSE(connections.empty());
  config::SystemConfig system = captured_lab();
  std::size_t compared = 0;
  std::size_t text_checks = 0;
  std::size_t logins = 0;
  for (const Connection& c : connections) {
    if (c.requests.empty() || !std::holds_alternative<pdu::LoginRequest>(c.requests[0].header)) {
      continue;
    }
    ++logins;
    compared += replay(c, system, text_checks);
  }
  // tshark counts 12 Login Requests and 12 Login Responses in 9 logins, one SendTargets.
  EXPECT_EQ(logins, 9U);
  EXPECT_EQ(compared, 12U);
  EXPECT_EQ(text_checks, 1U);
}

}  // namespace
}  // namespace iscsi::target::login::testing
