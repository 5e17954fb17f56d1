#pragma once
// Helpers for the login engine tests: a lab configuration in the tutorial's shape, an engine
// with a fake session registry, hand-built Login Requests and readers of Login Responses.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text/key_value.hpp"
#include "target-impl/login/login_engine.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::login::testing {

inline constexpr std::string_view kInitiator = "iqn.2024-01.org.example:host1";
inline constexpr std::string_view kLab = "iqn.2019-01.com.example:lab1";       // tid 1, ACL ALL
inline constexpr std::string_view kChap = "iqn.2019-01.com.example:chap1";     // tid 2, CHAP
inline constexpr std::string_view kPrivate = "iqn.2019-01.com.example:priv";   // tid 3, 127.0.0.2
inline constexpr std::string_view kByName = "iqn.2019-01.com.example:byname";  // tid 4, kInitiator
inline constexpr std::string_view kUser = "labuser";
inline constexpr std::string_view kUserSecret = "labsecret123";
inline constexpr std::string_view kTargetUser = "outuser";
inline constexpr std::string_view kTargetSecret = "outsecret456";
inline constexpr std::uint32_t kLoopback = 0x7f000001;

config::SystemConfig lab_config();

// One connection's login engine with a fake registry: TSIHs from `next_tsih` (0 = exhausted),
// TSIHs in `live_sessions` exist.
struct Harness {
  explicit Harness(config::Profile profile = config::Profile::rfc,
                   config::SystemConfig system = lab_config());
  // Rebuilds the engine (after changing `system`, `rng` or the callbacks' data).
  void restart();
  LoginStep send(const pdu::Pdu& pdu) { return engine->on_pdu(pdu); }

  config::SystemConfig system;
  config::Profile profile;
  std::unique_ptr<runtime::Rng> rng;
  std::uint16_t next_tsih = 0x10;
  std::vector<std::uint16_t> live_sessions;
  std::uint32_t initiator_ipv4 = kLoopback;
  std::optional<std::uint8_t> chap_identifier;
  std::unique_ptr<LoginEngine> engine;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

// `base` followed by `more`.
inline Pairs with(Pairs base, const Pairs& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

struct Request {
  pdu::Stage csg = pdu::Stage::security_negotiation;
  pdu::Stage nsg = pdu::Stage::login_operational_negotiation;
  bool transit = true;
  bool continue_ = false;
  std::uint16_t tsih = 0;
  std::uint16_t cid = 1;
  std::uint32_t itt = 0x1000;
  std::uint32_t cmd_sn = 5;
  std::uint32_t exp_stat_sn = 40;
};
Bytes encode(const Pairs& pairs);
pdu::Pdu login(const Request& request, const Pairs& pairs);
pdu::Pdu login_bytes(const Request& request, Bytes data);
// Security stage (CSG 0 -> NSG 1, T=1), operational stage (CSG 1 -> NSG 3, T=1).
Request security(bool transit = true);
Request operational();
Request security_to_ffp();

// The identity a Normal session's first request carries.
Pairs normal_identity(std::string_view target = kLab, std::string_view initiator = kInitiator);

const pdu::LoginResponse& header(const LoginStep& step, std::size_t index = 0);
text::KeyValueList response_text(const LoginStep& step, std::size_t index = 0);
std::optional<std::string> value_of(const LoginStep& step, std::string_view key,
                                    std::size_t index = 0);
std::uint16_t status_of(const LoginStep& step);
bool has_violation(const LoginStep& step, std::string_view id);
std::string describe(const LoginStep& step);

}  // namespace iscsi::target::login::testing
