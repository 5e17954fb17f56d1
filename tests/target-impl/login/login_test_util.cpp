#include "tests/target-impl/login/login_test_util.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace iscsi::target::login::testing {

config::SystemConfig lab_config() {
  config::SystemConfig system;
  const auto add = [&](std::uint32_t tid, std::string_view name) -> config::TargetConfig& {
    config::TargetConfig& target = system.targets[tid];
    target.tid = tid;
    target.name = std::string(name);
    return target;
  };
  add(1, kLab).initiator_addresses.push_back({.all = true, .text = "ALL"});
  config::TargetConfig& chap = add(2, kChap);
  chap.initiator_addresses.push_back({.all = true, .text = "ALL"});
  chap.incoming_users = {std::string(kUser)};
  chap.outgoing_user = std::string(kTargetUser);
  add(3, kPrivate).initiator_addresses.push_back(
      {.network = 0x7f000002, .prefix_length = 32, .text = "127.0.0.2"});
  add(4, kByName).initiator_names.push_back(std::string(kInitiator));
  system.accounts[std::string(kUser)] = {std::string(kUser), std::string(kUserSecret)};
  system.accounts[std::string(kTargetUser)] = {std::string(kTargetUser),
                                               std::string(kTargetSecret)};
  return system;
}

Harness::Harness(config::Profile login_profile, config::SystemConfig config)
    : system(std::move(config)),
      profile(login_profile),
      rng(std::make_unique<test::SeededRng>(7)) {
  restart();
}

void Harness::restart() {
  LoginSetup setup;
  setup.system = &system;
  setup.profile = profile;
  setup.initiator = {initiator_ipv4, 40000};
  setup.portal = {kLoopback, 3260};
  setup.portals = {setup.portal};
  setup.rng = rng.get();
  if (chap_identifier) {
    setup.next_chap_identifier = [this] { return (*chap_identifier)++; };
  }
  setup.lookup_tsih = [this](std::uint16_t tsih) {
    return std::find(live_sessions.begin(), live_sessions.end(), tsih) != live_sessions.end()
               ? TsihLookup::exists
               : TsihLookup::unknown;
  };
  setup.allocate_tsih = [this] { return next_tsih; };
  engine = std::make_unique<LoginEngine>(std::move(setup));
}

Bytes encode(const Pairs& pairs) {
  text::KeyValueList list;
  for (const auto& [key, value] : pairs) list.push_back({key, value});
  return text::encode_text(list);
}

pdu::Pdu login_bytes(const Request& request, Bytes data) {
  pdu::LoginRequest h;
  h.transit = request.transit;
  h.continue_ = request.continue_;
  h.csg = request.csg;
  h.nsg = request.nsg;
  h.isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001);
  h.tsih = request.tsih;
  h.cid = request.cid;
  h.itt = request.itt;
  h.cmd_sn = request.cmd_sn;
  h.exp_stat_sn = request.exp_stat_sn;
  return {h, std::move(data), {}};
}

pdu::Pdu login(const Request& request, const Pairs& pairs) {
  return login_bytes(request, encode(pairs));
}

Request security(bool transit) {
  Request r;
  r.transit = transit;
  return r;
}

Request operational() {
  Request r;
  r.csg = pdu::Stage::login_operational_negotiation;
  r.nsg = pdu::Stage::full_feature_phase;
  return r;
}

Request security_to_ffp() {
  Request r;
  r.nsg = pdu::Stage::full_feature_phase;
  return r;
}

Pairs normal_identity(std::string_view target, std::string_view initiator) {
  return {{"InitiatorName", std::string(initiator)},
          {"TargetName", std::string(target)},
          {"SessionType", "Normal"}};
}

const pdu::LoginResponse& header(const LoginStep& step, std::size_t index) {
  static const pdu::LoginResponse kNone{};
  if (index >= step.responses.size()) {
    ADD_FAILURE() << "no response " << index << ": " << describe(step);
    return kNone;
  }
  const auto* h = std::get_if<pdu::LoginResponse>(&step.responses[index].header);
  if (h == nullptr) {
    ADD_FAILURE() << "response " << index << " is not a Login Response";
    return kNone;
  }
  return *h;
}

text::KeyValueList response_text(const LoginStep& step, std::size_t index) {
  if (index >= step.responses.size()) return {};
  auto parsed = text::parse_text(step.responses[index].data);
  EXPECT_TRUE(parsed.ok());
  return parsed ? *parsed : text::KeyValueList{};
}

std::optional<std::string> value_of(const LoginStep& step, std::string_view key,
                                    std::size_t index) {
  const auto pairs = response_text(step, index);
  const auto value = text::find_value(pairs, key);
  if (!value) return std::nullopt;
  return std::string(*value);
}

std::uint16_t status_of(const LoginStep& step) {
  return static_cast<std::uint16_t>(header(step).status());
}

bool has_violation(const LoginStep& step, std::string_view id) {
  return std::any_of(step.violations.begin(), step.violations.end(),
                     [&](const Violation& v) { return v.id() == id; });
}

std::string describe(const LoginStep& step) {
  std::string out = fmt::format("{} responses, next {}", step.responses.size(),
                                static_cast<int>(step.next));
  for (const auto& v : step.violations) out += "\n  " + v.to_string();
  for (std::size_t i = 0; i < step.responses.size(); ++i) {
    if (const auto* h = std::get_if<pdu::LoginResponse>(&step.responses[i].header)) {
      out += fmt::format("\n  response {}: status 0x{:04x} T={} C={} CSG={} NSG={} [{}]", i,
                         static_cast<unsigned>(h->status()), h->transit, h->continue_,
                         static_cast<unsigned>(h->csg), static_cast<unsigned>(h->nsg),
                         text::describe(response_text(step, i)));
    }
  }
  return out;
}

}  // namespace iscsi::target::login::testing
