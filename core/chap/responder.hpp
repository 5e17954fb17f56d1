#pragma once
// The CHAP responder: the target role of RFC 7143 §12.1.3. It chooses the algorithm, challenges
// the initiator, verifies CHAP_N/CHAP_R and, for mutual CHAP, answers the initiator's challenge
// with the target's own credentials. A pure state machine: keys in, keys and an outcome out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chap/algorithm.hpp"
#include "core/chap/exchange.hpp"
#include "core/chap/key_parsing.hpp"
#include "core/chap/responder_profile.hpp"
#include "core/common/bytes.hpp"
#include "core/runtime/rng.hpp"

namespace iscsi::chap {

struct ResponderConfig {
  // Incoming accounts: the CHAP_N/secret pairs an initiator may authenticate as. CHAP_N must
  // match a name byte for byte (no prefix matches).
  std::vector<Credentials> accounts;
  // Outgoing credentials for mutual CHAP (tgtadm's "--outgoing" account). When empty, an
  // initiator asking for mutual CHAP fails with chap.mutual-not-configured.
  std::optional<Credentials> target_credentials;
  ResponderProfile profile = ResponderProfile::rfc();
  // CHAP_I to send. Empty: drawn from the Rng. tgt counts identifiers across connections; the
  // caller owns such a counter and passes its next value here.
  std::optional<std::uint8_t> identifier;
};

class Responder {
 public:
  enum class State { awaiting_algorithms, awaiting_response, succeeded, failed };

  // `rng` must outlive the engine; it is used for CHAP_I (unless configured) and CHAP_C.
  Responder(ResponderConfig config, runtime::Rng& rng);

  // Feeds the keys of one complete Login Request text (after AuthMethod=CHAP was agreed).
  // awaiting_algorithms: expects CHAP_A; answers CHAP_A, CHAP_I, CHAP_C.
  // awaiting_response: expects CHAP_N, CHAP_R and optionally CHAP_I + CHAP_C (mutual);
  //   succeeds, answering CHAP_N + CHAP_R for mutual CHAP.
  // succeeded: a list without CHAP keys succeeds again with nothing to send; CHAP keys fail with
  //   chap.keys-after-completion (0x0200 in both profiles).
  // failed: returns the stored failure again.
  Step receive(const KeyList& keys);

  State state() const { return state_; }
  // The CHAP_A number and hash chosen (set once the challenge went out).
  std::optional<std::uint8_t> algorithm() const { return algorithm_; }
  std::optional<Hash> hash() const { return hash_; }
  std::uint8_t identifier() const { return identifier_; }
  ByteView challenge() const { return challenge_; }
  // After success: the CHAP_N the initiator authenticated as, and whether it was mutual.
  const std::string& authenticated_name() const { return authenticated_name_; }
  bool mutual() const { return mutual_; }

 private:
  Step on_algorithms(const KeyList& keys);
  Step on_response(const KeyList& keys);
  Step on_keys_after_success(const KeyList& keys);

  struct VerifiedResponse {
    const Credentials* account;
    Bytes response;
  };

  Step send_challenge(std::uint8_t number, Hash hash, Step step);
  Result<VerifiedResponse> verify_response(const ReceivedKeys& received, Step& step) const;
  Step answer_mutual(const ReceivedKeys& received, const Bytes& initiator_response, Step step);
  Result<void> check_identical_secrets(const Bytes& initiator_response) const;
  std::size_t effective_challenge_length(Hash hash) const;
  Step fail(Violation violation, Step step = {});

  ResponderConfig config_;
  runtime::Rng& rng_;
  State state_ = State::awaiting_algorithms;
  std::optional<std::uint8_t> algorithm_;
  std::optional<Hash> hash_;
  std::uint8_t identifier_ = 0;
  Bytes challenge_;
  std::string authenticated_name_;
  bool mutual_ = false;
  std::optional<Failure> failure_;
};

std::string_view to_string(Responder::State state);

}  // namespace iscsi::chap
