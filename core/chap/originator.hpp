#pragma once
// The CHAP originator: the initiator role of RFC 7143 §12.1.3. It offers algorithms, answers the
// target's challenge and, for mutual CHAP, challenges the target and checks its answer. A pure
// state machine: keys in, keys and an outcome out. Every failure it detects is local: the
// initiator sends nothing more and closes the connection; open-iscsi reports such failures as
// exit code 19 (Failure::local_report).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/chap/algorithm.hpp"
#include "core/chap/exchange.hpp"
#include "core/chap/key_parsing.hpp"
#include "core/common/bytes.hpp"
#include "core/runtime/rng.hpp"
#include "core/text/binary_value.hpp"

namespace iscsi::chap {

struct OriginatorConfig {
  // CHAP_N and secret the initiator authenticates with (node.session.auth.username/password).
  Credentials credentials;
  // Mutual CHAP when set: the CHAP_N the target must answer with and the target's secret
  // (node.session.auth.username_in/password_in).
  std::optional<Credentials> target_credentials;
  // CHAP_A offer in preference order. open-iscsi's default is MD5 only. Any number may be
  // offered (to test targets with unknown ones), but only 5..8 can be accepted. RFC 7143
  // §12.1.3 says the list MUST contain 5: a list without it draws a warning, so that the harness
  // can still play a non-conforming initiator.
  std::vector<std::uint8_t> algorithms{kAlgorithmMd5};
  // Length of our mutual challenge; 0 means the digest length of the chosen hash. Capped at 1024.
  std::size_t challenge_length = 0;
  text::BinaryEncoding encoding = text::BinaryEncoding::hex;
};

class Originator {
 public:
  enum class State { initial, awaiting_challenge, awaiting_target_response, succeeded, failed };

  // How often our mutual challenge is redrawn when the Rng repeats the target's challenge.
  static constexpr int kMaxChallengeDraws = 8;

  // `rng` must outlive the engine; it is used for the mutual CHAP_I and CHAP_C.
  Originator(OriginatorConfig config, runtime::Rng& rng);

  // Produces the CHAP_A offer (RFC 7143 §12.1.3 step 1). Only valid in State::initial.
  Step start();

  // Feeds the keys of one complete Login Response text.
  // awaiting_challenge: expects CHAP_A, CHAP_I, CHAP_C; answers CHAP_N + CHAP_R (+ CHAP_I +
  //   CHAP_C for mutual CHAP). One-way CHAP then succeeds: our part is done and the target's
  //   Login status decides. Mutual CHAP continues.
  // awaiting_target_response: expects CHAP_N + CHAP_R from the target; pass the next Login
  //   Response's keys even when it has none, so that a target skipping its answer fails here.
  // succeeded: a list without CHAP keys succeeds again; CHAP keys fail.
  // failed: returns the stored failure again.
  Step receive(const KeyList& keys);

  State state() const { return state_; }
  std::optional<std::uint8_t> algorithm() const { return algorithm_; }
  std::optional<Hash> hash() const { return hash_; }
  // Our mutual challenge and identifier (valid once sent).
  ByteView challenge() const { return challenge_; }
  std::uint8_t identifier() const { return identifier_; }
  bool mutual() const { return config_.target_credentials.has_value(); }

 private:
  Step on_challenge(const KeyList& keys);
  Step on_target_response(const KeyList& keys);
  Step on_keys_after_success(const KeyList& keys);

  Result<Hash> accept_algorithm(std::string_view value);
  Step answer_challenge(std::uint8_t target_identifier, const Bytes& target_challenge, Step step);
  Result<void> draw_challenge(const Bytes& target_challenge);
  Result<void> check_target_response(ByteView response) const;
  Step fail(Violation violation, Step step = {});

  OriginatorConfig config_;
  runtime::Rng& rng_;
  State state_ = State::initial;
  std::optional<std::uint8_t> algorithm_;
  std::optional<Hash> hash_;
  std::uint8_t identifier_ = 0;
  Bytes challenge_;
  std::optional<Failure> failure_;
};

std::string_view to_string(Originator::State state);

}  // namespace iscsi::chap
