// libFuzzer harness for initiator-impl/login: a stream of target bytes, framed by pdu::Framer
// as the initiator's connection driver frames them, fed into a LoginEngine; invariants that
// must hold for any input are checked after every step.
//
// Input: byte 0 = configuration flags (bit 0: one-way CHAP; bit 1: mutual CHAP (with bit 0);
// bit 2: a Discovery session; bit 3: adding a connection to TSIH 0x0033; bit 4: digests
// offered CRC32C,None; bit 5: no operational offers); the rest is the byte stream the target
// sends. Seeds: make_corpus.py.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "tests/support/fake_runtime.hpp"

namespace {

using namespace iscsi;
using namespace iscsi::initiator::login;

// The engine gives up after 64 responses; a few more PDUs exercise the ended state.
constexpr std::size_t kMaxSteps = 300;
constexpr std::size_t kMaxLoginRequestBytes = 8192;
constexpr std::uint32_t kItt = 0x10;
constexpr std::uint32_t kCmdSn = 1;
constexpr pdu::Isid kIsid = pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001);

[[noreturn]] void fail_invariant(const char* what) {
  std::fprintf(stderr, "initiator_login harness invariant broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail_invariant(what);
}

LoginSetup setup_for(std::uint8_t flags, runtime::Rng& rng) {
  LoginSetup setup;
  setup.initiator_name = "iqn.2024-01.org.example:host1";
  setup.target_name = (flags & 0x04) != 0 ? "" : "iqn.2019-01.com.example:chap1";
  setup.isid = kIsid;
  setup.tsih = (flags & 0x08) != 0 ? 0x0033 : 0;
  setup.itt = kItt;
  setup.cmd_sn = kCmdSn;
  setup.rng = &rng;
  if ((flags & 0x01) != 0) {
    chap::OriginatorConfig config;
    config.credentials = {"labuser", "labsecret123"};
    if ((flags & 0x02) != 0)
      config.target_credentials = chap::Credentials{"outuser", "outs3cret456"};
    config.algorithms = {7, 5};
    setup.chap = std::move(config);
  }
  if ((flags & 0x10) != 0) {
    setup.policy.header_digests = {"CRC32C", "None"};
    setup.policy.data_digests = {"CRC32C", "None"};
  }
  if ((flags & 0x20) != 0) setup.policy.offer_keys.clear();
  return setup;
}

void check_request(const pdu::Pdu& request) {
  const auto* h = std::get_if<pdu::LoginRequest>(&request.header);
  check(h != nullptr, "a request other than a Login Request");
  check(pdu::check_encodable(request).ok(), "request not encodable");
  check(request.data.size() <= kMaxLoginRequestBytes, "request text over 8192 bytes");
  check(!(h->transit && h->continue_), "request with T and C");
  check(h->itt == kItt && h->cmd_sn == kCmdSn && h->isid == kIsid, "request fields changed");
  check(h->csg != pdu::Stage::reserved && h->csg != pdu::Stage::full_feature_phase,
        "request with a CSG that is no login stage");
}

void check_step(const LoginStep& step, const LoginEngine& engine) {
  check(step.requests.size() <= 1, "more than one request for one PDU");
  for (const Violation& v : step.violations) check(!v.id().empty(), "violation without id");
  for (const pdu::Pdu& request : step.requests) check_request(request);
  switch (step.next) {
    case LoginStep::Next::continue_login:
      return;
    case LoginStep::Next::full_feature:
      check(engine.succeeded().has_value() && engine.succeeded()->tsih != 0,
            "full feature without a result");
      break;
    case LoginStep::Next::failed:
      check(engine.failure().has_value() && step.requests.empty(), "failure with requests");
      break;
    case LoginStep::Next::redirected:
      check(engine.redirect().has_value() && step.requests.empty(), "redirect with requests");
      break;
  }
  check(engine.finished(), "an end that is not finished()");
  const int outcomes = int{engine.succeeded().has_value()} + int{engine.failure().has_value()} +
                       int{engine.redirect().has_value()};
  check(outcomes == 1, "not exactly one outcome");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  test::SeededRng rng(size);
  LoginEngine engine(setup_for(data[0], rng));
  check_step(engine.start(), engine);

  pdu::Framer framer;
  framer.feed(ByteView(data + 1, size - 1));
  for (std::size_t steps = 0; steps < kMaxSteps; ++steps) {
    pdu::FrameEvent event = framer.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) break;
    const bool was_finished = engine.finished();
    LoginStep step;
    if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
      step = engine.on_pdu(decoded->pdu);
    } else {
      step = engine.on_frame_error(std::get<pdu::FrameError>(event));
    }
    if (was_finished) {
      check(step.requests.empty() && step.next == LoginStep::Next::continue_login,
            "an ended login acted again");
      continue;
    }
    check_step(step, engine);
    if (std::holds_alternative<pdu::FrameError>(event) &&
        std::get<pdu::FrameError>(event).fatal()) {
      break;
    }
  }
  return 0;
}
