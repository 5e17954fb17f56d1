// libFuzzer harness for target-impl/login: a stream of initiator bytes, framed by pdu::Framer
// as the server's connection driver frames them, fed into a LoginEngine with a small lab
// configuration; invariants that must hold for any input are checked after every step.
//
// Input: byte 0 = configuration flags (bit 0: tgt profile instead of rfc; bit 1: the
// initiator connects from 127.0.0.2 instead of 127.0.0.1; bit 2: discovery sessions need CHAP;
// bit 3: the TSIH registry is exhausted; bit 4: TSIH 0x22 is a live session); the rest is the
// byte stream the initiator sends. Targets: iqn.2019-01.com.example:lab1 (ACL ALL),
// iqn.2019-01.com.example:chap1 (CHAP labuser/labsecret123, mutual outuser/outsecret456),
// iqn.2019-01.com.example:priv (ACL 127.0.0.2; redirected Permanent when bit 1 is set).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "target-impl/login/login_engine.hpp"
#include "tests/support/fake_runtime.hpp"

namespace {

using namespace iscsi;
using namespace iscsi::target;

// The engine cuts a login off after 256 requests; a few more exercise the ended state.
constexpr std::size_t kMaxSteps = 300;
constexpr std::size_t kMaxLoginResponseBytes = 8192;

[[noreturn]] void fail_invariant(const char* what) {
  std::fprintf(stderr, "target_login harness invariant broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail_invariant(what);
}

config::SystemConfig lab(std::uint8_t flags) {
  config::SystemConfig system;
  config::TargetConfig& lab1 = system.targets[1];
  lab1.tid = 1;
  lab1.name = "iqn.2019-01.com.example:lab1";
  lab1.initiator_addresses.push_back({.all = true, .text = "ALL"});
  config::TargetConfig& chap = system.targets[2];
  chap.tid = 2;
  chap.name = "iqn.2019-01.com.example:chap1";
  chap.initiator_addresses.push_back({.all = true, .text = "ALL"});
  chap.incoming_users = {"labuser"};
  chap.outgoing_user = "outuser";
  config::TargetConfig& priv = system.targets[3];
  priv.tid = 3;
  priv.name = "iqn.2019-01.com.example:priv";
  priv.initiator_addresses.push_back({.network = 0x7f000002, .prefix_length = 32, .text = "x"});
  priv.params["RedirectAddress"] = "10.0.0.9";
  priv.params["RedirectReason"] = (flags & 0x02) != 0 ? "Permanent" : "Unset";
  system.accounts["labuser"] = {"labuser", "labsecret123"};
  system.accounts["outuser"] = {"outuser", "outsecret456"};
  if ((flags & 0x04) != 0) system.discovery_incoming_users = {"labuser"};
  return system;
}

struct Checker {
  bool saw_final = false;
  std::optional<std::uint32_t> last_stat_sn;
  bool rfc = true;

  void step(const login::LoginStep& step, const login::LoginEngine& engine) {
    check(step.responses.size() <= 1, "more than one response to one PDU");
    for (const Violation& v : step.violations) check(!v.id().empty(), "violation without id");
    for (const pdu::Pdu& response : step.responses) {
      const auto* h = std::get_if<pdu::LoginResponse>(&response.header);
      check(h != nullptr, "a response other than a Login Response");
      check(response.data.size() <= kMaxLoginResponseBytes, "response text over 8192 bytes");
      check(pdu::check_encodable(response).ok(), "response not encodable");
      check(!(h->transit && h->continue_), "response with T and C");
      check(h->version_active == 0 && h->version_max == 0, "version not 0");
      const bool success = h->status_class == 0;
      if (success && rfc) {
        if (last_stat_sn) check(h->stat_sn == *last_stat_sn + 1, "StatSN not counting by one");
        last_stat_sn = h->stat_sn;
      }
      if (!success) {
        check(step.next == login::LoginStep::Next::close, "failure without close");
        check(step.status.has_value() && *step.status == static_cast<std::uint16_t>(h->status()),
              "failure status not reported");
      }
      const bool final = success && h->transit && h->nsg == pdu::Stage::full_feature_phase;
      if (final) {
        check(h->tsih != 0, "Final-Response without TSIH");
        check(step.next == login::LoginStep::Next::full_feature, "Final-Response without FFP");
      }
    }
    if (step.next == login::LoginStep::Next::full_feature) {
      check(engine.succeeded().has_value(), "full feature without succeeded()");
      check(!saw_final, "two Final-Responses");
      saw_final = true;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  const config::SystemConfig system = lab(flags);
  test::SeededRng rng(size);
  login::LoginSetup setup;
  setup.system = &system;
  setup.profile = (flags & 0x01) != 0 ? config::Profile::tgt : config::Profile::rfc;
  setup.initiator = {(flags & 0x02) != 0 ? 0x7f000002U : 0x7f000001U, 40000};
  setup.portal = {0x7f000001, 3260};
  setup.portals = {setup.portal};
  setup.rng = &rng;
  setup.lookup_tsih = [flags](std::uint16_t tsih) {
    return (flags & 0x10) != 0 && tsih == 0x22 ? login::TsihLookup::exists
                                                : login::TsihLookup::unknown;
  };
  setup.allocate_tsih = [flags]() -> std::uint16_t { return (flags & 0x08) != 0 ? 0 : 0x22; };
  login::LoginEngine engine(std::move(setup));
  Checker checker;
  checker.rfc = (flags & 0x01) == 0;

  pdu::Framer framer;
  framer.feed(ByteView(data + 1, size - 1));
  for (std::size_t steps = 0; steps < kMaxSteps; ++steps) {
    pdu::FrameEvent event = framer.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) break;
    login::LoginStep step;
    if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
      step = engine.on_pdu(decoded->pdu);
    } else {
      const auto& error = std::get<pdu::FrameError>(event);
      step = engine.on_frame_error(error);
      if (error.fatal()) {
        checker.step(step, engine);
        break;
      }
    }
    checker.step(step, engine);
    if (step.next != login::LoginStep::Next::continue_login) break;
  }
  return 0;
}
