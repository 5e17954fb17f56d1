#include "tests/initiator-impl/login/login_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "core/pdu/codec.hpp"

namespace iscsi::initiator::login::testing {
namespace {

// A login that needs more rounds than this is stuck; real ones take at most six.
constexpr int kMaxRounds = 100;

pdu::Pdu through_the_wire(const pdu::Pdu& pdu) {
  auto decoded = pdu::decode(pdu::encode(pdu));
  if (!decoded) {
    ADD_FAILURE() << "PDU does not decode: " << decoded.error().to_string();
    return pdu;
  }
  return std::move(decoded->pdu);
}

void merge(LoginStep& into, LoginStep from) {
  for (auto& request : from.requests) into.requests.push_back(std::move(request));
  for (auto& violation : from.violations) into.violations.push_back(std::move(violation));
  into.next = from.next;
}

}  // namespace

target::config::SystemConfig lab_config() {
  target::config::SystemConfig system;
  const auto add = [&](std::uint32_t tid, std::string_view name) -> target::config::TargetConfig& {
    target::config::TargetConfig& target = system.targets[tid];
    target.tid = tid;
    target.name = std::string(name);
    return target;
  };
  add(1, kLab).initiator_addresses.push_back({.all = true, .text = "ALL"});
  target::config::TargetConfig& chap = add(2, kChap);
  chap.initiator_addresses.push_back({.all = true, .text = "ALL"});
  chap.incoming_users = {std::string(kUser)};
  chap.outgoing_user = std::string(kTargetUser);
  add(3, kPrivate)
      .initiator_addresses.push_back(
          {.network = 0x7f000002, .prefix_length = 32, .text = "127.0.0.2"});
  target::config::TargetConfig& moved = add(4, kMoved);
  moved.initiator_addresses.push_back({.all = true, .text = "ALL"});
  moved.params["RedirectAddress"] = "10.0.0.9";
  moved.params["RedirectPort"] = "3261";
  moved.params["RedirectReason"] = "Temporary";
  system.accounts[std::string(kUser)] = {std::string(kUser), std::string(kUserSecret)};
  system.accounts[std::string(kTargetUser)] = {std::string(kTargetUser),
                                               std::string(kTargetSecret)};
  return system;
}

LoginSetup basic_setup(std::string_view target) {
  LoginSetup setup;
  setup.initiator_name = std::string(kInitiator);
  setup.target_name = std::string(target);
  setup.isid = test::LoginParams{}.isid;
  setup.cid = 0;
  setup.itt = kItt;
  setup.cmd_sn = 1;
  setup.exp_stat_sn = 0;
  return setup;
}

LoginSetup chap_setup(std::string_view target, std::vector<std::uint8_t> algorithms,
                      std::optional<std::string> target_secret, std::string_view secret) {
  LoginSetup setup = basic_setup(target);
  chap::OriginatorConfig config;
  config.credentials = {std::string(kUser), std::string(secret)};
  if (target_secret)
    config.target_credentials = chap::Credentials{std::string(kTargetUser), *target_secret};
  config.algorithms = std::move(algorithms);
  setup.chap = std::move(config);
  return setup;
}

bool LoginRun::has_initiator_violation(std::string_view id) const {
  return std::any_of(initiator_violations.begin(), initiator_violations.end(),
                     [&](const Violation& v) { return v.id() == id; });
}

std::optional<std::string> LoginRun::response_value(std::string_view key) const {
  for (const auto& pdu : responses) {
    const auto pairs = text_of(pdu);
    if (auto value = text::find_value(pairs, key)) return std::string(*value);
  }
  return std::nullopt;
}

TargetPeer::TargetPeer(target::config::Profile profile, target::config::SystemConfig config,
                       std::uint32_t initiator_ipv4)
    : system(std::move(config)), profile_(profile), initiator_ipv4_(initiator_ipv4) {}

LoginRun TargetPeer::run(LoginEngine& engine) {
  target::login::LoginSetup setup;
  setup.system = &system;
  setup.profile = profile_;
  setup.initiator = {initiator_ipv4_, 40000};
  setup.portal = {kLoopback, 3260};
  setup.portals = {setup.portal};
  setup.rng = &rng_;
  setup.lookup_tsih = [](std::uint16_t) { return target::login::TsihLookup::unknown; };
  setup.allocate_tsih = [] { return kTsih; };
  target::login::LoginEngine target_engine(std::move(setup));

  LoginRun out;
  LoginStep step = engine.start();
  for (int round = 0; round < kMaxRounds; ++round) {
    out.initiator_violations.insert(out.initiator_violations.end(), step.violations.begin(),
                                    step.violations.end());
    out.next = step.next;
    if (step.next != LoginStep::Next::continue_login || step.requests.empty()) break;
    std::vector<pdu::Pdu> answers;
    for (const auto& request : step.requests) {
      out.requests.push_back(through_the_wire(request));
      auto target_step = target_engine.on_pdu(out.requests.back());
      out.target_violations.insert(out.target_violations.end(), target_step.violations.begin(),
                                   target_step.violations.end());
      for (const auto& answer : target_step.responses) answers.push_back(through_the_wire(answer));
    }
    LoginStep next;
    for (const auto& answer : answers) {
      out.responses.push_back(answer);
      merge(next, engine.on_pdu(answer));
    }
    step = std::move(next);
  }
  return out;
}

pdu::Pdu response(const test::LoginParams& login, const test::TargetSn& sn, Bytes text,
                  pdu::LoginStatus status) {
  return test::login_response(login, sn, status, std::move(text));
}

test::LoginParams operational_final(std::uint16_t tsih) {
  test::LoginParams login;
  login.csg = pdu::Stage::login_operational_negotiation;
  login.nsg = pdu::Stage::full_feature_phase;
  login.transit = true;
  login.tsih = tsih;
  return login;
}

test::LoginParams security_hold() {
  test::LoginParams login;
  login.csg = pdu::Stage::security_negotiation;
  login.nsg = pdu::Stage::security_negotiation;
  login.transit = false;
  return login;
}

pdu::LoginResponse& header_of(pdu::Pdu& pdu) { return std::get<pdu::LoginResponse>(pdu.header); }

const pdu::LoginRequest& request_of(const LoginStep& step, std::size_t index) {
  static const pdu::LoginRequest kNone{};
  if (index >= step.requests.size()) {
    ADD_FAILURE() << "no request " << index << ": " << describe(step);
    return kNone;
  }
  const auto* h = std::get_if<pdu::LoginRequest>(&step.requests[index].header);
  if (h == nullptr) {
    ADD_FAILURE() << "request " << index << " is not a Login Request";
    return kNone;
  }
  return *h;
}

text::KeyValueList text_of(const pdu::Pdu& pdu) {
  auto parsed = text::parse_text(pdu.data);
  return parsed ? *parsed : text::KeyValueList{};
}

bool has_violation(const LoginStep& step, std::string_view id) {
  return std::any_of(step.violations.begin(), step.violations.end(),
                     [&](const Violation& v) { return v.id() == id; });
}

std::string describe(const LoginStep& step) {
  std::string out = fmt::format("next={} requests={}", to_string(step.next), step.requests.size());
  for (const auto& v : step.violations) out += "\n  " + v.to_string();
  return out;
}

}  // namespace iscsi::initiator::login::testing
