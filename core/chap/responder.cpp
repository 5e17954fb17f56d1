#include "core/chap/responder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/chap/violations.hpp"

namespace iscsi::chap {
namespace {

// The responder reads Login Requests; details name them so reports say where the fault was.
constexpr std::string_view kLoginRequest = "Login Request";

}  // namespace

Responder::Responder(ResponderConfig config, runtime::Rng& rng)
    : config_(std::move(config)), rng_(rng) {}

Step Responder::receive(const KeyList& keys) {
  switch (state_) {
    case State::awaiting_algorithms:
      return on_algorithms(keys);
    case State::awaiting_response:
      return on_response(keys);
    case State::succeeded:
      return on_keys_after_success(keys);
    case State::failed:
      return repeated_failure_step(failure_);
  }
  return fail(Violation{violations::kEngineMisuse, "responder in an unknown state"});
}

// RFC 7143 §12.1.3 step 1: the initiator offers CHAP_A=<A1,A2,...> and nothing else.
Step Responder::on_algorithms(const KeyList& keys) {
  auto received = collect_keys(keys, kLoginRequest);
  if (!received) return fail(std::move(received).error());
  const auto early = received->first_present({Key::chap_n, Key::chap_r, Key::chap_i, Key::chap_c});
  if (early)
    return fail(key_out_of_order(*early, kLoginRequest, "before the algorithm was negotiated"));
  if (!received->has(Key::chap_a)) {
    return fail(
        missing_key(Key::chap_a, kLoginRequest, "the first CHAP round must offer algorithms"));
  }
  const std::string_view offer_text = *received->get(Key::chap_a);
  const auto offer = parse_algorithm_list(offer_text);
  Step step;
  // RFC 7143 §12.1.3: an initiator MUST always offer 5 (MD5). Not our failure to enforce, but a
  // finding about the peer.
  if (std::find(offer.begin(), offer.end(), kAlgorithmMd5) == offer.end()) {
    step.warnings.push_back(Violation{violations::kAlgorithmListWithoutMd5,
                                      fmt::format("{} offers CHAP_A={} without 5 (MD5)",
                                                  kLoginRequest, quote_value(offer_text))});
  }
  // RFC 7143 §6.2.1: the first value in the offerer's order that we support wins.
  for (const auto& number : offer) {
    if (!number) continue;
    if (const auto hash = find_hash(config_.profile.algorithms, *number)) {
      return send_challenge(*number, *hash, std::move(step));
    }
  }
  if (config_.profile.send_reject_for_no_common_algorithm) {
    step.send.emplace_back("CHAP_A", "Reject");
  }
  return fail(Violation{violations::kNoCommonAlgorithm,
                        fmt::format("{} offers CHAP_A={}, none of which this target supports",
                                    kLoginRequest, quote_value(offer_text))},
              std::move(step));
}

// RFC 7143 §12.1.3 step 2: CHAP_A, CHAP_I and an unpredictable CHAP_C.
Step Responder::send_challenge(std::uint8_t number, Hash hash, Step step) {
  algorithm_ = number;
  hash_ = hash;
  if (config_.identifier) {
    identifier_ = *config_.identifier;
  } else {
    rng_.fill(MutableByteView(&identifier_, 1));
  }
  challenge_.assign(effective_challenge_length(hash), 0);
  rng_.fill(challenge_);
  step.send.emplace_back("CHAP_A", std::to_string(number));
  step.send.emplace_back("CHAP_I", std::to_string(identifier_));
  step.send.emplace_back("CHAP_C", text::encode_binary_value(challenge_, config_.profile.encoding));
  state_ = State::awaiting_response;
  return step;
}

std::size_t Responder::effective_challenge_length(Hash hash) const {
  const ResponderProfile& profile = config_.profile;
  const std::size_t minimum = profile.allow_short_challenge ? 1 : digest_length(hash);
  const std::size_t wanted =
      profile.challenge_length == 0 ? digest_length(hash) : profile.challenge_length;
  return std::clamp(wanted, minimum, text::kLargeBinaryMaxBytes);
}

// RFC 7143 §12.1.3 steps 3-4: CHAP_N and CHAP_R, plus CHAP_I and CHAP_C for mutual CHAP.
Step Responder::on_response(const KeyList& keys) {
  auto received = collect_keys(keys, kLoginRequest);
  if (!received) return fail(std::move(received).error());
  if (received->has(Key::chap_a)) {
    return fail(key_out_of_order(Key::chap_a, kLoginRequest, "again after the challenge was sent"));
  }
  for (const Key key : {Key::chap_n, Key::chap_r}) {
    if (!received->has(key)) {
      return fail(missing_key(key, kLoginRequest, "the initiator must answer the challenge"));
    }
  }
  const bool has_i = received->has(Key::chap_i);
  const bool has_c = received->has(Key::chap_c);
  if (has_i != has_c) {
    return fail(missing_key(has_i ? Key::chap_c : Key::chap_i, kLoginRequest,
                            "mutual CHAP needs both CHAP_I and CHAP_C"));
  }
  Step step;
  auto verified = verify_response(*received, step);
  if (!verified) return fail(std::move(verified).error(), std::move(step));
  authenticated_name_ = verified->account->name;
  if (!has_i) {
    state_ = State::succeeded;
    step.outcome = Outcome::succeeded;
    return step;
  }
  return answer_mutual(*received, verified->response, std::move(step));
}

Result<Responder::VerifiedResponse> Responder::verify_response(const ReceivedKeys& received,
                                                               Step& step) const {
  const std::string_view name = *received.get(Key::chap_n);
  const auto account = std::find_if(config_.accounts.begin(), config_.accounts.end(),
                                    [&](const Credentials& c) { return c.name == name; });
  if (account == config_.accounts.end()) {
    return Violation{violations::kUnknownUser,
                     fmt::format("{} carries CHAP_N='{}', which names no configured account",
                                 kLoginRequest, quote_value(name))};
  }
  if (auto warning = short_secret_warning(*account, "initiator")) {
    step.warnings.push_back(std::move(*warning));
  }
  auto response = parse_response(*received.get(Key::chap_r), kLoginRequest);
  if (!response) return std::move(response).error();
  const std::size_t expected = digest_length(*hash_);
  if (response->size() != expected) {
    const bool too_long = response->size() > expected;
    return Violation{
        too_long ? violations::kResponseTooLong : violations::kResponseTooShort,
        fmt::format("{} carries a CHAP_R of {} bytes; CHAP_A={} ({}) needs {}", kLoginRequest,
                    response->size(), *algorithm_, to_string(*hash_), expected)};
  }
  auto computed = compute_response(*hash_, identifier_, account->secret, challenge_);
  if (!computed) return std::move(computed).error();
  // Constant-time comparison: the time taken must not tell how many leading bytes matched.
  if (!constant_time_equal(*computed, *response)) {
    return Violation{violations::kWrongResponse,
                     fmt::format("{} carries a CHAP_R for '{}' that does not match the {} "
                                 "response to CHAP_I={} and our CHAP_C",
                                 kLoginRequest, quote_value(name), to_string(*hash_), identifier_)};
  }
  return VerifiedResponse{&*account, std::move(*response)};
}

// RFC 7143 §12.1.3 step 4 for mutual CHAP: refuse a reflected challenge or a shared secret,
// then answer with the target's own name and secret.
Step Responder::answer_mutual(const ReceivedKeys& received, const Bytes& initiator_response,
                              Step step) {
  mutual_ = true;
  if (!config_.target_credentials) {
    return fail(Violation{violations::kMutualNotConfigured,
                          fmt::format("{} asks for mutual CHAP (CHAP_I and CHAP_C) but this "
                                      "target has no outgoing credentials",
                                      kLoginRequest)},
                std::move(step));
  }
  auto id = parse_identifier(*received.get(Key::chap_i), kLoginRequest);
  if (!id) return fail(std::move(id).error(), std::move(step));
  const std::string_view challenge_text = *received.get(Key::chap_c);
  auto challenge = parse_challenge(challenge_text, kLoginRequest);
  if (!challenge) return fail(std::move(challenge).error(), std::move(step));
  if (*challenge == challenge_) {
    return fail(Violation{violations::kReflectedChallenge,
                          fmt::format("{} carries a CHAP_C equal to the challenge the target "
                                      "sent ({} bytes)",
                                      kLoginRequest, challenge->size())},
                std::move(step));
  }
  if (auto warning = short_challenge_warning(challenge->size(), *hash_, kLoginRequest)) {
    step.warnings.push_back(std::move(*warning));
  }
  if (auto identical = check_identical_secrets(initiator_response); !identical) {
    return fail(identical.error(), std::move(step));
  }
  const Credentials& target = *config_.target_credentials;
  if (auto warning = short_secret_warning(target, "target")) {
    step.warnings.push_back(std::move(*warning));
  }
  auto answer = compute_response(*hash_, *id, target.secret, *challenge);
  if (!answer) return fail(std::move(answer).error(), std::move(step));
  const text::BinaryEncoding encoding = config_.profile.mirror_challenge_encoding
                                            ? encoding_of(challenge_text)
                                            : config_.profile.encoding;
  step.send.emplace_back("CHAP_N", target.name);
  step.send.emplace_back("CHAP_R", text::encode_binary_value(*answer, encoding));
  state_ = State::succeeded;
  step.outcome = Outcome::succeeded;
  return step;
}

// RFC 7143 §9.2.1 (≈): a secret that authenticates initiators must not authenticate the target.
// If the initiator's (correct) response is what the target's own secret gives for our challenge,
// both directions share one secret.
Result<void> Responder::check_identical_secrets(const Bytes& initiator_response) const {
  const Credentials& target = *config_.target_credentials;
  auto own = compute_response(*hash_, identifier_, target.secret, challenge_);
  if (!own) return std::move(own).error();
  if (constant_time_equal(*own, initiator_response)) {
    return Violation{
        violations::kIdenticalSecrets,
        fmt::format("{}: the initiator secret of '{}' equals the target secret of "
                    "'{}'; mutual CHAP refused",
                    kLoginRequest, quote_value(authenticated_name_), quote_value(target.name))};
  }
  return success();
}

Step Responder::on_keys_after_success(const KeyList& keys) {
  if (auto violation = keys_after_completion(keys, kLoginRequest))
    return fail(std::move(*violation));
  return succeeded_step();
}

Step Responder::fail(Violation violation, Step step) {
  const std::uint16_t status = config_.profile.status_for(violation.id());
  failure_ = Failure{std::move(violation), status, std::nullopt};
  state_ = State::failed;
  authenticated_name_.clear();
  step.outcome = Outcome::failed;
  step.failure = failure_;
  return step;
}

std::string_view to_string(Responder::State state) {
  switch (state) {
    case Responder::State::awaiting_algorithms:
      return "awaiting_algorithms";
    case Responder::State::awaiting_response:
      return "awaiting_response";
    case Responder::State::succeeded:
      return "succeeded";
    case Responder::State::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace iscsi::chap
