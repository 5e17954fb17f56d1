#pragma once
// Helpers for the initiator login tests: a lab configuration for the reference target, a loop
// that runs our LoginEngine against the target's LoginEngine in-process (every PDU encoded and
// decoded on the way), and hand-built Login Responses for the rule checks.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text/key_value.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "target-impl/config/model.hpp"
#include "target-impl/login/login_engine.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::login::testing {

inline constexpr std::string_view kInitiator = "iqn.2024-01.org.example:host1";
inline constexpr std::string_view kLab = "iqn.2019-01.com.example:lab1";      // tid 1, ACL ALL
inline constexpr std::string_view kChap = "iqn.2019-01.com.example:chap1";    // tid 2, CHAP
inline constexpr std::string_view kPrivate = "iqn.2019-01.com.example:priv";  // tid 3, 127.0.0.2
inline constexpr std::string_view kMoved = "iqn.2019-01.com.example:moved";   // tid 4, redirect
inline constexpr std::string_view kUser = "labuser";
inline constexpr std::string_view kUserSecret = "labsecret123";
inline constexpr std::string_view kTargetUser = "outuser";
inline constexpr std::string_view kTargetSecret = "outsecret456";
inline constexpr std::uint32_t kLoopback = 0x7f000001;
inline constexpr std::uint16_t kTsih = 0x22;
inline constexpr std::uint32_t kItt = 0x10;  // test::TargetSn's default ITT

// The sequence numbers of a Login Response with this StatSN (CmdSN window 1..2).
inline test::TargetSn sn(std::uint32_t stat_sn) {
  return {.itt = kItt, .stat_sn = stat_sn, .exp_cmd_sn = 1, .max_cmd_sn = 2};
}

target::config::SystemConfig lab_config();

// A setup for `target` (empty: Discovery) without CHAP; ISID as test::LoginParams' default.
LoginSetup basic_setup(std::string_view target);
// The same with one-way CHAP (labuser), or mutual CHAP when `target_secret` is set.
LoginSetup chap_setup(std::string_view target, std::vector<std::uint8_t> algorithms = {5},
                      std::optional<std::string> target_secret = std::nullopt,
                      std::string_view secret = kUserSecret);

// Everything one login run produced.
struct LoginRun {
  LoginStep::Next next = LoginStep::Next::continue_login;
  std::vector<pdu::Pdu> requests;   // as the target decoded them
  std::vector<pdu::Pdu> responses;  // as we decoded them
  std::vector<Violation> initiator_violations;
  std::vector<Violation> target_violations;
  bool has_initiator_violation(std::string_view id) const;
  // The value of `key` in the first response text that has it.
  std::optional<std::string> response_value(std::string_view key) const;
};

// Runs `engine` against the reference target (one connection from `initiator_ipv4`).
class TargetPeer {
 public:
  explicit TargetPeer(target::config::Profile profile = target::config::Profile::rfc,
                      target::config::SystemConfig system = lab_config(),
                      std::uint32_t initiator_ipv4 = kLoopback);
  LoginRun run(LoginEngine& engine);

  target::config::SystemConfig system;

 private:
  target::config::Profile profile_;
  std::uint32_t initiator_ipv4_;
  test::SeededRng rng_{11};
};

// Hand-built Login Responses in the shape test::login_response builds (ITT kItt).
pdu::Pdu response(const test::LoginParams& login, const test::TargetSn& sn, Bytes text,
                  pdu::LoginStatus status = pdu::LoginStatus::success);
test::LoginParams operational_final(std::uint16_t tsih = kTsih);
test::LoginParams security_hold();
pdu::LoginResponse& header_of(pdu::Pdu& pdu);
const pdu::LoginRequest& request_of(const LoginStep& step, std::size_t index = 0);
text::KeyValueList text_of(const pdu::Pdu& pdu);
bool has_violation(const LoginStep& step, std::string_view id);
std::string describe(const LoginStep& step);

}  // namespace iscsi::initiator::login::testing
