#pragma once
// Shared by the runner tests: loading an inline YAML text, and a readable dump of a step's
// failures for assertion messages.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "scenarios/loader.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios::testing {

inline Scenario load_inline(std::string_view text) {
  Result<Scenario> loaded = load_scenario(text, "inline.yaml");
  if (!loaded) {
    ADD_FAILURE() << loaded.error().detail;
    return Scenario{};
  }
  return std::move(loaded).value();
}

// Every step's verdict and failures, one line each, for assertion messages.
inline std::string describe(const RunResult& result) {
  std::string text = result.setup_error.empty() ? "" : "setup: " + result.setup_error + "\n";
  for (const StepResult& step : result.steps) {
    text += std::to_string(step.index) + " " + step.label + (step.passed ? ": ok\n" : ": FAILED\n");
    for (const std::string& failure : step.failures) text += "    " + failure + "\n";
    if (!step.passed) text += "    out: " + step.output.out + "    err: " + step.output.err + "\n";
  }
  return text;
}

// The tutorial's one-way CHAP target (RAM LUN of 64 MiB), open to 10.0.0.0/24.
inline constexpr std::string_view kChapWorld = R"yaml(
hosts:
  target: {ip: 10.0.0.2}
  client: {ip: 10.0.0.1}
links:
  default: {latency: 100us, jitter: 20us, bandwidth: 1Gbps}
target:
  host: target
  tgtadm: |
    tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2019-01.com.example:disk
    tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --backing-store ram:64M
    tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address 10.0.0.0/24
    tgtadm --lld iscsi --mode account --op new --user alice --password secret123456
    tgtadm -L iscsi -m account -o bind -t 1 --user alice
initiator:
  host: client
  initiatorname: iqn.2012-01.com.example:client
)yaml";

// kChapWorld with alice's CHAP credentials in iscsid.conf from the start, so the first login
// succeeds; `steps` is a `steps:` block.
inline Scenario load_chap_world(std::string_view name, std::string_view steps) {
  std::string text = "name: " + std::string(name) + "\n" + std::string(steps);
  text += kChapWorld;
  text += R"yaml(  iscsid.conf:
    node.session.auth.authmethod: CHAP
    node.session.auth.username: alice
    node.session.auth.password: secret123456
)yaml";
  return load_inline(text);
}

}  // namespace iscsi::scenarios::testing
