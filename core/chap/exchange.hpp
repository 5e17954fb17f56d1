#pragma once
// Types shared by both CHAP engines: what goes in (the keys received in one Login PDU sequence),
// what comes out (keys to send and the outcome), and credentials.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/violation.hpp"

namespace iscsi::chap {

// Keys in wire order, e.g. {{"CHAP_A", "7,5"}}. Engines read only keys named CHAP_A, CHAP_I,
// CHAP_C, CHAP_N and CHAP_R and ignore every other key (the login engine negotiates those).
using KeyValue = std::pair<std::string, std::string>;
using KeyList = std::vector<KeyValue>;

// A CHAP name and secret. Secrets are octet strings (RFC 7143 §12.1.3); they are held as text
// because tgtadm and iscsid.conf configure them as text, and may contain any byte.
struct Credentials {
  std::string name;
  std::string secret;
};

// RFC 7143 §9.2.1 (≈): secrets of fewer than 96 bits SHOULD NOT be used without IPsec. They are
// accepted with a chap.short-secret warning, because the classic tutorial uses "123456".
inline constexpr std::size_t kMinRecommendedSecretBytes = 12;

// Login status codes the responder uses (RFC 7143 §11.13.5).
inline constexpr std::uint16_t kStatusInitiatorError = 0x0200;
inline constexpr std::uint16_t kStatusAuthenticationFailure = 0x0201;

// How open-iscsi reports a failure its initiator detects itself (usr/login.c returns
// LOGIN_AUTHENTICATION_FAILED from the CHAP state machine; usr/initiator.c turns every such local
// failure into ISCSI_ERR_FATAL_LOGIN, so `iscsiadm` exits 19 "encountered non-retryable iSCSI
// login failure").
struct LocalFailureReport {
  std::string_view open_iscsi_login_status = "LOGIN_AUTHENTICATION_FAILED";
  int iscsiadm_exit_code = 19;
};

struct Failure {
  Violation violation;
  // Responder (target role): the Login status to answer with, normally 0x0201.
  // Originator (initiator role): 0; the initiator sends nothing more and closes the connection
  // (RFC 7143 §12.1.3: a wrong target response ends the login "without further notice").
  std::uint16_t login_status = 0;
  // Originator only: what open-iscsi would report for this local failure.
  std::optional<LocalFailureReport> local_report;
};

enum class Outcome {
  continue_exchange,  // send `Step::send`, then feed the peer's next keys to receive()
  succeeded,          // this side is done and satisfied; send `Step::send` (may be empty)
  failed,             // `Step::failure` says why and how to end the login
};

std::string_view to_string(Outcome outcome);

// The result of one engine call.
struct Step {
  Outcome outcome = Outcome::continue_exchange;
  // Keys to put in the next outgoing Login PDU, in this order. Non-empty on failure only for the
  // responder's CHAP_A=Reject (RFC 7143 §12.1.3).
  KeyList send;
  std::optional<Failure> failure;  // set exactly when outcome == failed
  // Warning-level findings (short secret, short challenge, CHAP_A list without 5); each is
  // reported once per exchange.
  std::vector<Violation> warnings;
};

// Constant-time equality of two responses or challenges (CRYPTO_memcmp), so a peer cannot
// learn a correct CHAP_R byte by byte from timing.
bool constant_time_equal(ByteView a, ByteView b);

// RFC 7143 §6.3.2 (checklist C102): once an exchange has succeeded, a further Login PDU may
// carry no CHAP keys. Returns the violation when `keys` holds one, naming `pdu` in the detail.
std::optional<Violation> keys_after_completion(const KeyList& keys, std::string_view pdu);

// The step an engine returns when it is asked again after it finished.
Step succeeded_step();
Step repeated_failure_step(const std::optional<Failure>& failure);

}  // namespace iscsi::chap
