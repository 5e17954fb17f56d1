// libFuzzer harness for core/chap: drives the responder (RFC and tgt profiles), the originator,
// and an originator/responder pair with fuzzer-chosen keys, and checks invariants that must hold
// for any input (never success with a wrong response, outcome/state/failure consistency).
//
// Input: byte 0 = mode (bits 0-1: 0 responder, 1 responder with the tgt profile, 2 originator,
// 3 engine pair) and flags (bit 2: target credentials configured, bit 3: base64 encoding,
// bits 4-7: which of CHAP_A 5..8 the originator offers, none = {5}); byte 1 = flags (bit 0: one
// secret both ways, bit 1: short secrets, bit 2: initiator uses a wrong secret, bit 3: initiator
// expects a wrong target secret); the rest is rounds separated by '\n', each round key=value
// pairs separated by NUL. Values "@R"/"@B" become the correct response (hex/base64) for the
// current state, "@S" a response made with the other side's secret, "@C" the responder's own
// challenge (a reflection).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/chap/originator.hpp"
#include "core/chap/responder.hpp"
#include "tests/support/fake_runtime.hpp"

namespace {

using namespace iscsi;
using namespace iscsi::chap;

constexpr std::size_t kMaxRounds = 8;
constexpr std::size_t kMaxPairsPerRound = 64;

[[noreturn]] void fail_invariant(const char* what) {
  std::fprintf(stderr, "chap harness invariant broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail_invariant(what);
}

struct Input {
  std::uint8_t mode = 0;
  std::uint8_t flags = 0;
  std::vector<KeyList> rounds;
};

KeyList parse_round(std::string_view text) {
  KeyList keys;
  std::size_t start = 0;
  while (start <= text.size() && keys.size() < kMaxPairsPerRound) {
    const std::size_t nul = text.find('\0', start);
    const std::size_t end = nul == std::string_view::npos ? text.size() : nul;
    const std::string_view pair = text.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        keys.emplace_back(std::string(pair), "");
      } else {
        keys.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
      }
    }
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  return keys;
}

Input parse_input(const std::uint8_t* data, std::size_t size) {
  Input input;
  if (size > 0) input.mode = data[0];
  if (size > 1) input.flags = data[1];
  const std::string_view rest =
      size > 2 ? std::string_view(reinterpret_cast<const char*>(data + 2), size - 2)
               : std::string_view();
  std::size_t start = 0;
  while (start <= rest.size() && input.rounds.size() < kMaxRounds) {
    const std::size_t nl = rest.find('\n', start);
    const std::size_t end = nl == std::string_view::npos ? rest.size() : nl;
    input.rounds.push_back(parse_round(rest.substr(start, end - start)));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return input;
}

struct Secrets {
  Credentials user;
  Credentials target;
};

Secrets secrets_for(const Input& input) {
  const bool short_secrets = (input.flags & 2) != 0;
  Secrets s{{"labuser", short_secrets ? "123456" : "labsecret123"},
            {"outuser", short_secrets ? "654321" : "outsecret456"}};
  if ((input.flags & 1) != 0) s.target.secret = s.user.secret;
  return s;
}

text::BinaryEncoding encoding_for(const Input& input) {
  return (input.mode & 8) != 0 ? text::BinaryEncoding::base64 : text::BinaryEncoding::hex;
}

Bytes must_compute(Hash hash, std::uint8_t id, std::string_view secret, ByteView challenge) {
  auto r = compute_response(hash, id, secret, challenge);
  check(r.ok(), "compute_response failed for a supported hash");
  return *r;
}

std::optional<Bytes> decode(std::string_view value) {
  auto d = text::decode_binary_value(value, 1u << 20);
  if (!d) return std::nullopt;
  return *d;
}

std::optional<std::string> find(const KeyList& keys, std::string_view name) {
  for (const auto& [k, v] : keys) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// Outcome, failure and warnings agree with each other.
void check_step_shape(const Step& step) {
  check((step.outcome == Outcome::failed) == step.failure.has_value(),
        "failure set exactly when failed");
  for (const Violation& w : step.warnings) {
    check(w.severity() == Severity::warning, "warnings have warning severity");
  }
  if (step.failure) {
    check(step.failure->violation.severity() == Severity::fatal, "failures are fatal");
    check(!step.failure->violation.id().empty(), "failure has an id");
  }
}

// ---- responder -------------------------------------------------------------------------------

ResponderConfig responder_config(const Input& input, const Secrets& s, bool tgt) {
  ResponderConfig config;
  config.accounts = {{"other", "other-secret-1"}, s.user};
  if ((input.mode & 4) != 0) config.target_credentials = s.target;
  if (tgt) config.profile = ResponderProfile::tgt_1_0_85();
  if (!tgt) config.profile.encoding = encoding_for(input);
  return config;
}

void substitute_for_responder(KeyList& keys, const Responder& responder, const Secrets& s) {
  if (!responder.hash()) return;
  const Hash hash = *responder.hash();
  for (auto& [name, value] : keys) {
    if (value == "@R" || value == "@B") {
      const auto encoding =
          value == "@B" ? text::BinaryEncoding::base64 : text::BinaryEncoding::hex;
      value = text::encode_binary_value(
          must_compute(hash, responder.identifier(), s.user.secret, responder.challenge()),
          encoding);
    } else if (value == "@S") {
      value = text::encode_binary_value(
          must_compute(hash, responder.identifier(), s.target.secret, responder.challenge()));
    } else if (value == "@C") {
      value = text::encode_binary_value(responder.challenge());
    }
  }
}

bool has_chap_key(const KeyList& keys) {
  for (const auto& [name, value] : keys) {
    if (name.rfind("CHAP_", 0) == 0 && name.size() == 6 &&
        std::string_view("AICNR").find(name[5]) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

void check_responder_challenge(const KeyList& keys, const Step& step, const Responder& r) {
  check(step.send.size() == 3, "challenge sends CHAP_A, CHAP_I, CHAP_C");
  const auto offer = parse_algorithm_list(find(keys, "CHAP_A").value_or(""));
  const auto chosen = find(step.send, "CHAP_A");
  check(chosen && std::to_string(*r.algorithm()) == *chosen, "CHAP_A sent is the one chosen");
  bool offered = false;
  for (const auto& n : offer) offered = offered || (n && *n == *r.algorithm());
  check(offered, "chosen algorithm was offered");
  const auto c = decode(find(step.send, "CHAP_C").value_or(""));
  check(c && *c == Bytes(r.challenge().begin(), r.challenge().end()), "CHAP_C is the challenge");
  check(c->size() <= 1024 && c->size() >= 1, "challenge length in 1..1024");
}

void check_responder_verdict(const KeyList& keys, const Step& step, const Responder& r,
                             const ResponderConfig& config) {
  const auto name = find(keys, "CHAP_N");
  check(name.has_value(), "success needs CHAP_N");
  const Credentials* account = nullptr;
  for (const auto& a : config.accounts) {
    if (a.name == *name) {
      account = &a;
      break;
    }
  }
  check(account != nullptr, "success needs a configured account");
  const auto response = decode(find(keys, "CHAP_R").value_or(""));
  check(response &&
            *response == must_compute(*r.hash(), r.identifier(), account->secret, r.challenge()),
        "success needs the correct CHAP_R");
  const auto id_text = find(keys, "CHAP_I");
  if (!id_text) {
    check(step.send.empty() && !r.mutual(), "one-way success sends nothing");
    return;
  }
  check(config.target_credentials.has_value(), "mutual success needs target credentials");
  const auto challenge = decode(find(keys, "CHAP_C").value_or(""));
  check(challenge && *challenge != Bytes(r.challenge().begin(), r.challenge().end()),
        "mutual success needs a challenge that is not ours");
  check(account->secret != config.target_credentials->secret, "identical secrets refused");
  auto id = parse_identifier(*id_text, "x");
  check(id.ok(), "mutual success needs a valid CHAP_I");
  const auto answer = decode(find(step.send, "CHAP_R").value_or(""));
  check(find(step.send, "CHAP_N") == config.target_credentials->name, "answers target CHAP_N");
  check(answer &&
            *answer == must_compute(*r.hash(), *id, config.target_credentials->secret, *challenge),
        "mutual answer is correct");
}

void check_responder_step(Responder::State before, const KeyList& keys, const Step& step,
                          const Responder& r, const ResponderConfig& config) {
  check_step_shape(step);
  switch (step.outcome) {
    case Outcome::failed: {
      check(r.state() == Responder::State::failed, "failed step leaves failed state");
      const auto status = step.failure->login_status;
      check(status == 0x0200 || status == 0x0201, "responder fails with 0x0200/0x0201");
      check(step.send.empty() || step.send == KeyList{{"CHAP_A", "Reject"}},
            "failure sends nothing but CHAP_A=Reject");
      return;
    }
    case Outcome::continue_exchange:
      check(before == Responder::State::awaiting_algorithms &&
                r.state() == Responder::State::awaiting_response,
            "continue only after the challenge");
      check_responder_challenge(keys, step, r);
      return;
    case Outcome::succeeded:
      check(r.state() == Responder::State::succeeded, "success leaves succeeded state");
      if (before == Responder::State::succeeded) {
        check(step.send.empty() && !has_chap_key(keys), "repeat success only without CHAP keys");
        return;
      }
      check(before == Responder::State::awaiting_response, "success only after the challenge");
      check_responder_verdict(keys, step, r, config);
      return;
  }
}

void run_responder(const Input& input, bool tgt) {
  const Secrets s = secrets_for(input);
  const ResponderConfig config = responder_config(input, s, tgt);
  test::SeededRng rng(input.flags);
  Responder responder(config, rng);
  for (KeyList keys : input.rounds) {
    const auto before = responder.state();
    substitute_for_responder(keys, responder, s);
    const Step step = responder.receive(keys);
    check_responder_step(before, keys, step, responder, config);
  }
}

// ---- originator ------------------------------------------------------------------------------

OriginatorConfig originator_config(const Input& input, const Secrets& s) {
  OriginatorConfig config;
  config.credentials = s.user;
  if ((input.flags & 4) != 0) config.credentials.secret += "-wrong";
  if ((input.mode & 4) != 0) {
    config.target_credentials = s.target;
    if ((input.flags & 8) != 0) config.target_credentials->secret += "-wrong";
  }
  config.algorithms.clear();
  for (std::uint8_t bit = 0; bit < 4; ++bit) {
    if ((input.mode >> (4 + bit) & 1) != 0) {
      config.algorithms.push_back(static_cast<std::uint8_t>(kAlgorithmMd5 + bit));
    }
  }
  if (config.algorithms.empty()) config.algorithms = {kAlgorithmMd5};
  config.encoding = encoding_for(input);
  return config;
}

void substitute_for_originator(KeyList& keys, const Originator& o, const OriginatorConfig& c) {
  if (o.state() != Originator::State::awaiting_target_response) return;
  for (auto& [name, value] : keys) {
    if (value == "@R" || value == "@B") {
      const auto encoding =
          value == "@B" ? text::BinaryEncoding::base64 : text::BinaryEncoding::hex;
      value = text::encode_binary_value(
          must_compute(*o.hash(), o.identifier(), c.target_credentials->secret, o.challenge()),
          encoding);
    } else if (value == "@S") {
      value = text::encode_binary_value(
          must_compute(*o.hash(), o.identifier(), c.credentials.secret, o.challenge()));
    }
  }
}

void check_originator_answer(const KeyList& keys, const Step& step, const Originator& o,
                             const OriginatorConfig& c) {
  const auto chosen = parse_algorithm_list(find(keys, "CHAP_A").value_or(""));
  check(chosen.size() == 1 && chosen[0] == o.algorithm(), "answer follows the chosen CHAP_A");
  bool offered = false;
  for (const auto n : c.algorithms) offered = offered || n == *o.algorithm();
  check(offered, "chosen algorithm was offered");
  check(find_hash(kStandardAlgorithms, *o.algorithm()) == o.hash(), "standard hash binding");
  auto id = parse_identifier(find(keys, "CHAP_I").value_or(""), "x");
  const auto challenge = decode(find(keys, "CHAP_C").value_or(""));
  check(id.ok() && challenge && challenge->size() <= 1024, "answer needs a valid challenge");
  check(find(step.send, "CHAP_N") == c.credentials.name, "answer carries our CHAP_N");
  const auto r = decode(find(step.send, "CHAP_R").value_or(""));
  check(r && *r == must_compute(*o.hash(), *id, c.credentials.secret, *challenge),
        "our CHAP_R is correct");
  if (!o.mutual()) {
    check(step.outcome == Outcome::succeeded && step.send.size() == 2, "one-way answer is final");
    return;
  }
  check(step.outcome == Outcome::continue_exchange && step.send.size() == 4, "mutual continues");
  const auto mine = decode(find(step.send, "CHAP_C").value_or(""));
  check(mine && *mine != *challenge, "our challenge is never the target's");
  check(*mine == Bytes(o.challenge().begin(), o.challenge().end()), "CHAP_C is our challenge");
}

void check_originator_step(Originator::State before, const KeyList& keys, const Step& step,
                           const Originator& o, const OriginatorConfig& c) {
  check_step_shape(step);
  if (step.outcome == Outcome::failed) {
    check(o.state() == Originator::State::failed, "failed step leaves failed state");
    check(step.failure->login_status == 0 && step.failure->local_report.has_value() &&
              step.failure->local_report->iscsiadm_exit_code == 19,
          "originator failures are local (exit 19)");
    check(step.send.empty(), "a failing initiator sends nothing");
    return;
  }
  switch (before) {
    case Originator::State::awaiting_challenge:
      check_originator_answer(keys, step, o, c);
      return;
    case Originator::State::awaiting_target_response: {
      check(step.outcome == Outcome::succeeded && step.send.empty(), "mutual check is final");
      check(find(keys, "CHAP_N") == c.target_credentials->name, "target CHAP_N matches");
      const auto r = decode(find(keys, "CHAP_R").value_or(""));
      check(r && *r == must_compute(*o.hash(), o.identifier(), c.target_credentials->secret,
                                    o.challenge()),
            "target CHAP_R is correct");
      check(*r != must_compute(*o.hash(), o.identifier(), c.credentials.secret, o.challenge()),
            "identical secrets refused");
      return;
    }
    case Originator::State::succeeded:
      check(step.outcome == Outcome::succeeded && !has_chap_key(keys) && step.send.empty(),
            "repeat success only without CHAP keys");
      return;
    case Originator::State::initial:
    case Originator::State::failed:
      fail_invariant("a non-failing step from initial or failed state");
  }
}

void run_originator(const Input& input) {
  const Secrets s = secrets_for(input);
  const OriginatorConfig config = originator_config(input, s);
  test::SeededRng rng(input.flags);
  Originator originator(config, rng);
  const Step start = originator.start();
  check_step_shape(start);
  check(start.outcome == Outcome::continue_exchange && start.send.size() == 1, "offer sent");
  for (KeyList keys : input.rounds) {
    const auto before = originator.state();
    substitute_for_originator(keys, originator, config);
    const Step step = originator.receive(keys);
    check_originator_step(before, keys, step, originator, config);
  }
}

// ---- engine pair -----------------------------------------------------------------------------

// Each message on the wire gets the keys of the matching fuzzer round appended (tampering).
KeyList relay(KeyList keys, const Input& input, std::size_t& message) {
  if (message < input.rounds.size()) {
    const KeyList& extra = input.rounds[message];
    keys.insert(keys.end(), extra.begin(), extra.end());
  }
  ++message;
  return keys;
}

bool pair_should_succeed(const Input& input, const OriginatorConfig& oc,
                         const ResponderConfig& rc) {
  for (const KeyList& round : input.rounds) {
    if (!round.empty()) return false;
  }
  if (oc.credentials.secret != rc.accounts[1].secret) return false;
  const bool mutual = oc.target_credentials.has_value();
  if (mutual &&
      (!rc.target_credentials || oc.target_credentials->secret != rc.target_credentials->secret ||
       rc.target_credentials->secret == rc.accounts[1].secret)) {
    return false;
  }
  for (const auto n : oc.algorithms) {
    const auto theirs = find_hash(rc.profile.algorithms, n);
    if (theirs) return theirs == find_hash(kStandardAlgorithms, n);
  }
  return false;
}

void run_pair(const Input& input) {
  const Secrets s = secrets_for(input);
  const bool tgt = (input.flags & 16) != 0;
  ResponderConfig rc = responder_config(input, s, tgt);
  rc.target_credentials = s.target;
  const OriginatorConfig oc = originator_config(input, s);
  test::SeededRng rng(input.flags);
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  std::size_t message = 0;
  Step o = originator.start();
  Step r;
  bool responder_ok = false;
  bool originator_ok = false;
  for (int turn = 0; turn < 3 && o.outcome != Outcome::failed; ++turn) {
    const KeyList to_target = relay(o.send, input, message);
    const auto r_before = responder.state();
    r = responder.receive(to_target);
    check_responder_step(r_before, to_target, r, responder, rc);
    responder_ok = r.outcome == Outcome::succeeded;
    if (r.outcome == Outcome::failed) break;
    if (o.outcome == Outcome::succeeded && r.outcome == Outcome::succeeded && r.send.empty()) {
      originator_ok = true;
      break;
    }
    const KeyList to_initiator = relay(r.send, input, message);
    const auto o_before = originator.state();
    o = originator.receive(to_initiator);
    check_originator_step(o_before, to_initiator, o, originator, oc);
    originator_ok = o.outcome == Outcome::succeeded;
    if (originator_ok && responder_ok) break;
  }
  if (pair_should_succeed(input, oc, rc)) {
    check(responder_ok && originator_ok, "a compatible, untampered pair succeeds");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Input input = parse_input(data, size);
  switch (input.mode & 3) {
    case 0:
      run_responder(input, false);
      break;
    case 1:
      run_responder(input, true);
      break;
    case 2:
      run_originator(input);
      break;
    default:
      run_pair(input);
      break;
  }
  return 0;
}
