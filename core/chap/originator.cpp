#include "core/chap/originator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/chap/violations.hpp"

namespace iscsi::chap {
namespace {

// The originator reads Login Responses; details name them so reports say where the fault was.
constexpr std::string_view kLoginResponse = "Login Response";

std::string join_numbers(const std::vector<std::uint8_t>& numbers) {
  std::string out;
  for (const std::uint8_t number : numbers) {
    if (!out.empty()) out += ',';
    out += std::to_string(number);
  }
  return out;
}

}  // namespace

Originator::Originator(OriginatorConfig config, runtime::Rng& rng)
    : config_(std::move(config)), rng_(rng) {}

// RFC 7143 §12.1.3 step 1: CHAP_A=<A1,A2,...> in preference order.
Step Originator::start() {
  if (state_ != State::initial) {
    return fail(Violation{violations::kEngineMisuse, "start() called twice"});
  }
  if (config_.algorithms.empty()) {
    return fail(Violation{violations::kEngineMisuse, "no CHAP algorithms configured to offer"});
  }
  Step step;
  const std::string offer = join_numbers(config_.algorithms);
  if (std::find(config_.algorithms.begin(), config_.algorithms.end(), kAlgorithmMd5) ==
      config_.algorithms.end()) {
    step.warnings.push_back(
        Violation{violations::kAlgorithmListWithoutMd5,
                  fmt::format("our Login Request offers CHAP_A={} without 5 (MD5)", offer)});
  }
  step.send.emplace_back("CHAP_A", offer);
  state_ = State::awaiting_challenge;
  return step;
}

Step Originator::receive(const KeyList& keys) {
  switch (state_) {
    case State::initial:
      return fail(Violation{violations::kEngineMisuse, "receive() called before start()"});
    case State::awaiting_challenge:
      return on_challenge(keys);
    case State::awaiting_target_response:
      return on_target_response(keys);
    case State::succeeded:
      return on_keys_after_success(keys);
    case State::failed:
      return repeated_failure_step(failure_);
  }
  return fail(Violation{violations::kEngineMisuse, "originator in an unknown state"});
}

// RFC 7143 §12.1.3 step 2: the target's CHAP_A (one of ours), CHAP_I and CHAP_C.
Step Originator::on_challenge(const KeyList& keys) {
  auto received = collect_keys(keys, kLoginResponse);
  if (!received) return fail(std::move(received).error());
  if (const auto early = received->first_present({Key::chap_n, Key::chap_r})) {
    return fail(key_out_of_order(*early, kLoginResponse, "before the target sent its challenge"));
  }
  if (!received->has(Key::chap_a)) {
    return fail(
        missing_key(Key::chap_a, kLoginResponse, "the target must choose one offered algorithm"));
  }
  auto hash = accept_algorithm(*received->get(Key::chap_a));
  if (!hash) return fail(std::move(hash).error());
  for (const Key key : {Key::chap_i, Key::chap_c}) {
    if (!received->has(key))
      return fail(missing_key(key, kLoginResponse, "the target must send a challenge"));
  }
  auto id = parse_identifier(*received->get(Key::chap_i), kLoginResponse);
  if (!id) return fail(std::move(id).error());
  // Any length of 1..1024 bytes is accepted: tgt sends 50 bytes even for MD5.
  auto challenge = parse_challenge(*received->get(Key::chap_c), kLoginResponse);
  if (!challenge) return fail(std::move(challenge).error());
  hash_ = *hash;
  Step step;
  if (auto warning = short_challenge_warning(challenge->size(), *hash, kLoginResponse)) {
    step.warnings.push_back(std::move(*warning));
  }
  return answer_challenge(*id, *challenge, std::move(step));
}

Result<Hash> Originator::accept_algorithm(std::string_view value) {
  if (value == "Reject") {
    return Violation{violations::kAlgorithmRejected,
                     fmt::format("{} answers CHAP_A=Reject to our offer CHAP_A={}", kLoginResponse,
                                 join_numbers(config_.algorithms))};
  }
  const auto chosen = parse_algorithm_list(value);
  const bool single = chosen.size() == 1 && chosen.front().has_value();
  const bool offered = single && std::find(config_.algorithms.begin(), config_.algorithms.end(),
                                           *chosen.front()) != config_.algorithms.end();
  const auto hash = offered ? find_hash(kStandardAlgorithms, *chosen.front()) : std::nullopt;
  if (!hash) {
    return Violation{
        violations::kUnsupportedAlgorithm,
        fmt::format("{} chooses CHAP_A={}, which is not one supported algorithm "
                    "from our offer {}",
                    kLoginResponse, quote_value(value), join_numbers(config_.algorithms))};
  }
  algorithm_ = *chosen.front();
  return *hash;
}

// RFC 7143 §12.1.3 step 3: CHAP_N and CHAP_R, and for mutual CHAP our own CHAP_I and CHAP_C.
Step Originator::answer_challenge(std::uint8_t target_identifier, const Bytes& target_challenge,
                                  Step step) {
  if (auto warning = short_secret_warning(config_.credentials, "initiator")) {
    step.warnings.push_back(std::move(*warning));
  }
  auto response =
      compute_response(*hash_, target_identifier, config_.credentials.secret, target_challenge);
  if (!response) return fail(std::move(response).error(), std::move(step));
  step.send.emplace_back("CHAP_N", config_.credentials.name);
  step.send.emplace_back("CHAP_R", text::encode_binary_value(*response, config_.encoding));
  if (!mutual()) {
    state_ = State::succeeded;
    step.outcome = Outcome::succeeded;
    return step;
  }
  if (auto drawn = draw_challenge(target_challenge); !drawn) {
    return fail(drawn.error(), std::move(step));
  }
  step.send.emplace_back("CHAP_I", std::to_string(identifier_));
  step.send.emplace_back("CHAP_C", text::encode_binary_value(challenge_, config_.encoding));
  state_ = State::awaiting_target_response;
  return step;
}

// RFC 7143 §12.1.3: the originator MUST NOT reuse the challenge it received as its own.
Result<void> Originator::draw_challenge(const Bytes& target_challenge) {
  const std::size_t wanted =
      config_.challenge_length == 0 ? digest_length(*hash_) : config_.challenge_length;
  challenge_.assign(std::min(wanted, text::kLargeBinaryMaxBytes), 0);
  for (int draw = 0; draw < kMaxChallengeDraws; ++draw) {
    rng_.fill(MutableByteView(&identifier_, 1));
    rng_.fill(challenge_);
    if (challenge_ != target_challenge) return success();
  }
  return Violation{violations::kChallengeDrawFailed,
                   fmt::format("the random source produced the target's own challenge {} times "
                               "in a row; no mutual challenge sent",
                               kMaxChallengeDraws)};
}

// RFC 7143 §12.1.3 step 4 (mutual): the target's CHAP_N and CHAP_R.
Step Originator::on_target_response(const KeyList& keys) {
  auto received = collect_keys(keys, kLoginResponse);
  if (!received) return fail(std::move(received).error());
  if (const auto early = received->first_present({Key::chap_a, Key::chap_i, Key::chap_c})) {
    return fail(
        key_out_of_order(*early, kLoginResponse, "in the target's answer to our challenge"));
  }
  for (const Key key : {Key::chap_n, Key::chap_r}) {
    if (!received->has(key)) {
      return fail(missing_key(key, kLoginResponse, "the target must answer our mutual challenge"));
    }
  }
  const Credentials& target = *config_.target_credentials;
  const std::string_view name = *received->get(Key::chap_n);
  if (name != target.name) {
    return fail(Violation{violations::kUnexpectedTargetName,
                          fmt::format("{} carries CHAP_N='{}', expected '{}'", kLoginResponse,
                                      quote_value(name), quote_value(target.name))});
  }
  auto response = parse_response(*received->get(Key::chap_r), kLoginResponse);
  if (!response) return fail(std::move(response).error());
  const std::size_t expected = digest_length(*hash_);
  if (response->size() != expected) {
    const bool too_long = response->size() > expected;
    return fail(Violation{
        too_long ? violations::kResponseTooLong : violations::kResponseTooShort,
        fmt::format("{} carries a CHAP_R of {} bytes; CHAP_A={} ({}) needs {}", kLoginResponse,
                    response->size(), *algorithm_, to_string(*hash_), expected)});
  }
  if (auto checked = check_target_response(*response); !checked) return fail(checked.error());
  Step step;
  if (auto warning = short_secret_warning(target, "target")) {
    step.warnings.push_back(std::move(*warning));
  }
  state_ = State::succeeded;
  step.outcome = Outcome::succeeded;
  return step;
}

Result<void> Originator::check_target_response(ByteView response) const {
  // RFC 7143 §9.2.1 (≈), open-iscsi AUTH_DBG_STATUS_PASSWD_IDENTICAL: an answer that our own
  // secret would produce means both directions share one secret, which is refused.
  auto own = compute_response(*hash_, identifier_, config_.credentials.secret, challenge_);
  if (!own) return std::move(own).error();
  if (constant_time_equal(*own, response)) {
    return Violation{violations::kIdenticalSecrets,
                     fmt::format("{} carries the CHAP_R that our own secret produces; the "
                                 "initiator and target secrets are identical",
                                 kLoginResponse)};
  }
  auto expected =
      compute_response(*hash_, identifier_, config_.target_credentials->secret, challenge_);
  if (!expected) return std::move(expected).error();
  // Constant-time comparison, as on the target side.
  if (!constant_time_equal(*expected, response)) {
    return Violation{violations::kWrongTargetResponse,
                     fmt::format("{} carries a CHAP_R that does not match the {} response to "
                                 "our CHAP_I={} and CHAP_C; closing without another PDU",
                                 kLoginResponse, to_string(*hash_), identifier_)};
  }
  return success();
}

Step Originator::on_keys_after_success(const KeyList& keys) {
  if (auto violation = keys_after_completion(keys, kLoginResponse))
    return fail(std::move(*violation));
  return succeeded_step();
}

// Every originator failure is local: send nothing, close, report as open-iscsi would.
Step Originator::fail(Violation violation, Step step) {
  failure_ = Failure{std::move(violation), 0, LocalFailureReport{}};
  state_ = State::failed;
  step.outcome = Outcome::failed;
  step.send.clear();
  step.failure = failure_;
  return step;
}

std::string_view to_string(Originator::State state) {
  switch (state) {
    case Originator::State::initial:
      return "initial";
    case Originator::State::awaiting_challenge:
      return "awaiting_challenge";
    case Originator::State::awaiting_target_response:
      return "awaiting_target_response";
    case Originator::State::succeeded:
      return "succeeded";
    case Originator::State::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace iscsi::chap
