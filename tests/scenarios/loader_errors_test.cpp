// Every class of error in a scenario file, with its exact message and position.
#include <gtest/gtest.h>

#include "scenarios/loader.hpp"

namespace iscsi::scenarios {
namespace {

// Seven lines; the first step is on line 8, its keys at column 5.
constexpr std::string_view kHead = R"(name: t
hosts:
  tgt: {ip: 10.0.0.1}
  c1: {ip: 10.0.0.2}
target: {host: tgt}
initiator: {host: c1, initiatorname: iqn.2020-01.com.example:c1}
steps:
)";

std::string error_of(std::string_view text) {
  Result<Scenario> loaded = load_scenario(text, "s.yaml");
  if (loaded) return "(loaded)";
  EXPECT_EQ(loaded.error().id(), "scenario.invalid");
  return loaded.error().detail;
}

std::string step_error(std::string_view steps) {
  return error_of(std::string(kHead) + std::string(steps));
}

TEST(ScenarioLoaderErrors, TheHeadAloneIsValid) {
  EXPECT_EQ(step_error("  - run: iscsiadm -m session\n"), "(loaded)");
}

TEST(ScenarioLoaderErrors, UnknownKeys) {
  EXPECT_EQ(
      step_error("  - run: iscsiadm -m session\n    expct: {exit: 0}\n"),
      "s.yaml:9:5: unknown key 'expct' in step 1 (expected one of: name, on, run, iscsid.conf, io, "
      "raw_pdu, fault, wait, logout, expect, expect_rfc, expect_tgt)");
  EXPECT_EQ(
      error_of("name: t\nnmae: u\n"),
      "s.yaml:2:1: unknown key 'nmae' in the scenario (expected one of: name, description, seed, "
      "profiles, hosts, links, target, initiator, initiators, steps)");
  EXPECT_EQ(
      step_error("  - run: iscsiadm -m session\n    expect: {exit: 0, stdot: x}\n"),
      "s.yaml:9:23: unknown key 'stdot' in 'expect' of step 1 (expected one of: exit, stdout, "
      "stdout_contains, stderr, stderr_contains, login_status, discovered, violations, session)");
  // Expectations a step cannot produce are unknown keys for that step.
  EXPECT_EQ(step_error("  - wait: 1ms\n    expect: {exit: 0}\n"),
            "s.yaml:9:14: unknown key 'exit' in 'expect' of step 1 (expected one of: login_status, "
            "violations, session)");
  EXPECT_EQ(
      step_error("  - raw_pdu: {opcode: login, fields: {itt: 1, sn: 2}}\n"),
      "s.yaml:8:47: unknown key 'sn' in 'fields' of 'raw_pdu' of step 1 (expected one of: "
      "buffer_offset, cid, cmd_sn, data_segment_length, data_sn, exp_stat_sn, "
      "expected_data_transfer_length, flags, immediate, isid, itt, lun, r2t_sn, total_ahs_length, "
      "tsih, ttt, version_max, version_min)");
}

TEST(ScenarioLoaderErrors, DuplicateKeys) {
  EXPECT_EQ(step_error("  - run: iscsiadm -m session\n    run: iscsiadm -m node\n"),
            "s.yaml:9:5: duplicate key 'run' in step 1");
}

TEST(ScenarioLoaderErrors, MissingKeysAndActions) {
  EXPECT_EQ(error_of("name: t\nhosts: {a: {ip: 10.0.0.1}}\ntarget: {host: a}\n"),
            "s.yaml:1:1: missing key 'steps' in the scenario");
  EXPECT_EQ(step_error("  - name: nothing\n"),
            "s.yaml:8:5: step 1 has no action (expected one of: run, iscsid.conf, io, raw_pdu, "
            "fault, wait, logout)");
  EXPECT_EQ(step_error("  - wait: 1ms\n    logout:\n"),
            "s.yaml:9:5: step 1 has two actions, 'wait' and 'logout' (one per step)");
  EXPECT_EQ(step_error("  - fault: {kind: stall, between: [tgt, c1]}\n"),
            "s.yaml:8:12: missing key 'duration' in 'fault' of step 1 (stall)");
}

TEST(ScenarioLoaderErrors, WrongTypes) {
  EXPECT_EQ(step_error("  - wait: [1ms]\n"),
            "s.yaml:8:11: expected a single value for 'wait' of step 1, got a list");
  EXPECT_EQ(error_of("- name: t\n"), "s.yaml:1:1: expected a mapping for the scenario, got a list");
  EXPECT_EQ(step_error("  - iscsid.conf: [a, b]\n"),
            "s.yaml:8:18: expected a mapping for 'iscsid.conf' of step 1, got a list");
  EXPECT_EQ(error_of(std::string(kHead) + "  run: x\n"),
            "s.yaml:8:3: expected a list for 'steps', got a mapping");
  EXPECT_EQ(
      step_error("  - run: iscsiadm -m session\n    expect: {exit: 300}\n"),
      "s.yaml:9:20: expected a number from 0 to 255 for 'exit' of 'expect' of step 1, got '300'");
  EXPECT_EQ(
      step_error("  - io: {lun: 1, read: {}}\n    expect: {data_verified: yes}\n"),
      "s.yaml:9:29: expected true or false for 'data_verified' of 'expect' of step 1, got 'yes'");
}

TEST(ScenarioLoaderErrors, BadUnits) {
  EXPECT_EQ(
      step_error("  - wait: 5\n"),
      "s.yaml:8:11: expected a duration such as 100us, 2ms or 1s for 'wait' of step 1, got '5'");
  EXPECT_EQ(step_error("  - wait: 10 ms\n"),
            "s.yaml:8:11: expected a duration such as 100us, 2ms or 1s for 'wait' of step 1, got "
            "'10 ms'");
  EXPECT_EQ(error_of("name: t\nhosts: {a: {ip: 10.0.0.1}}\nlinks:\n  default: {bandwidth: 1GB}\n"),
            "s.yaml:4:24: expected a rate such as 100Mbps or 1Gbps for 'bandwidth' of link "
            "'default', got '1GB'");
  EXPECT_EQ(step_error("  - io: {lun: 1, write: {bytes: 1MB}}\n"),
            "s.yaml:8:33: 'bytes' of 'write' of 'io' of step 1 must be a multiple of 512 bytes");
  EXPECT_EQ(
      step_error("  - io: {lun: 1, write: {bytes: 1M}}\n"),
      "s.yaml:8:33: expected a size such as 4096, 64KiB or 16MiB for 'bytes' of 'write' of 'io' of "
      "step 1, got '1M'");
  EXPECT_EQ(
      step_error("  - run: iscsiadm -m session\n    expect: {login_status: 0x201}\n"),
      "s.yaml:9:28: expected a login status class and detail such as 0x0201 for 'login_status' of "
      "'expect' of step 1, got '0x201'");
}

TEST(ScenarioLoaderErrors, BadAddressesAndPortals) {
  EXPECT_EQ(error_of("name: t\nhosts:\n  a: {ip: 10.0.0.256}\n"),
            "s.yaml:3:11: expected an IPv4 address such as 192.168.1.10 for 'ip' of host 'a', got "
            "'10.0.0.256'");
  EXPECT_EQ(error_of("name: t\nhosts:\n  a: {ip: 10.0.0.1}\n  b: {ip: [10.0.0.2, 10.0.0.1]}\n"),
            "s.yaml:4:22: address 10.0.0.1 of host 'b' is already an address of host 'a'");
  EXPECT_EQ(error_of("name: t\nhosts:\n  a: {ip: 10.0.0.1}\n  b: {ip: 10.0.0.2}\ntarget: {host: a, "
                     "portals: 10.0.0.2:3260}\n"),
            "s.yaml:5:28: portal 10.0.0.2:3260 is not an address of the target's host 'a'");
  EXPECT_EQ(step_error("  - fault: {kind: close_listener, portal: 10.0.0.1:3261}\n"),
            "s.yaml:8:43: portal 10.0.0.1:3261 is not a portal of the target");
}

TEST(ScenarioLoaderErrors, BadHex) {
  EXPECT_EQ(step_error("  - raw_pdu: {hex: 0xzz}\n"),
            "s.yaml:8:20: expected hex bytes such as '0x01ff' or '01 ff' for 'hex' of 'raw_pdu' of "
            "step 1, got '0xzz'");
  EXPECT_EQ(step_error("  - raw_pdu: {hex: 0x0102}\n"),
            "s.yaml:8:20: 'hex' of 'raw_pdu' of step 1 is shorter than a 48-byte BHS");
  EXPECT_EQ(step_error("  - raw_pdu: {opcode: 0x40}\n"),
            "s.yaml:8:23: expected an opcode from 0x00 to 0x3f or one of nop_out, scsi_command, "
            "task_management, login, text, data_out, logout, snack for 'opcode' of 'raw_pdu' of "
            "step 1, got '0x40'");
}

TEST(ScenarioLoaderErrors, DuplicateHostNames) {
  EXPECT_EQ(error_of("name: t\nhosts:\n  a: {ip: 10.0.0.1}\n  a: {ip: 10.0.0.2}\n"),
            "s.yaml:4:3: duplicate host name 'a' (first declared at line 3)");
}

TEST(ScenarioLoaderErrors, UnknownReferences) {
  EXPECT_EQ(
      step_error("  - fault: {kind: partition, between: [tgt, nobody]}\n"),
      "s.yaml:8:45: unknown host 'nobody' for 'between' of 'fault' of step 1 (hosts: tgt, c1)");
  EXPECT_EQ(step_error("  - run: iscsiadm -m session\n    on: c9\n"),
            "s.yaml:9:9: unknown initiator 'c9' for 'on' of step 1 (initiators: c1)");
  EXPECT_EQ(error_of("name: t\nhosts: {a: {ip: 10.0.0.1}}\ntarget: {host: b}\n"),
            "s.yaml:3:16: unknown host 'b' for 'host' of the target (hosts: a)");
  EXPECT_EQ(step_error("  - run: tgtadm --mode target --op show\n    on: c1\n"),
            "s.yaml:9:9: step 1 runs tgtadm on the target's host: it takes no 'on'");
  EXPECT_EQ(
      error_of("name: t\nhosts: {a: {ip: 10.0.0.1}}\ntarget: {host: a}\nsteps:\n  - logout:\n"),
      "s.yaml:5:5: step 1 acts on an initiator, but the scenario declares none");
  EXPECT_EQ(
      error_of("name: t\nhosts: {a: {ip: 10.0.0.1}}\n"
               "target: {host: a, lun_sizes: {/srv/x.img: 1MiB}}\nsteps:\n  - wait: 1s\n"),
      "s.yaml:3:31: 'lun_sizes' names '/srv/x.img', which no tgtadm line uses as a backing store");
}

TEST(ScenarioLoaderErrors, AmbiguousInitiator) {
  std::string text(kHead);
  text.replace(text.find("initiator: "), 11, "initiators:\n  - ");
  text.replace(text.find("steps:"), 6,
               "  - {host: c1, name: c2, initiatorname: iqn.2020-01.com.example:c2}\nsteps:");
  EXPECT_EQ(error_of(text + "  - logout: all\n"),
            "s.yaml:10:5: step 1 needs 'on' to say which initiator acts (the scenario has 2)");
  EXPECT_EQ(error_of(text + "  - logout: all\n    on: c2\n"), "(loaded)");
  std::string twice = text;
  twice.replace(twice.find("name: c2"), 8, "name: c1");
  EXPECT_EQ(error_of(twice + "  - wait: 1s\n"),
            "s.yaml:8:22: duplicate initiator name 'c1' (give each initiator a 'name')");
}

TEST(ScenarioLoaderErrors, CommandLines) {
  EXPECT_EQ(
      step_error("  - run: ls -l\n"),
      "s.yaml:8:10: expected an iscsiadm, tgtadm, truncate or dd command line for 'run' of step 1, "
      "got 'ls'");
  EXPECT_EQ(step_error("  - run: iscsiadm -T 'abc\n"),
            "s.yaml:8:22: unterminated single quote in 'run' of step 1");
  // A line of a tgtadm block is placed at its own line and column.
  EXPECT_EQ(
      error_of(
          "name: t\nhosts: {a: {ip: 10.0.0.1}}\ntarget:\n  host: a\n  tgtadm: |\n"
          "    tgtadm --mode target --op show\n\n    # a comment\n      iscsiadm -m session\n"),
      "s.yaml:9:7: expected a tgtadm (or truncate, dd) command line in 'tgtadm' of the target, "
      "got 'iscsiadm'");
}

TEST(ScenarioLoaderErrors, AliasesCannotExpandPastTheBudget) {
  // 300 aliases of one step with a 60,000-byte label: 18 MB of values from a 61 kB file.
  std::string steps = "  - &big {name: " + std::string(60'000, 'x') + ", wait: 1ms}\n";
  for (int i = 0; i < 300; ++i) steps += "  - *big\n";
  std::string error = step_error(steps);
  EXPECT_NE(error.find("the scenario expands to more than 1000000 values or 16777216 bytes"),
            std::string::npos)
      << error.substr(0, 200);
  // The same file with a few aliases loads.
  std::string few = "  - &big {name: " + std::string(60'000, 'x') + ", wait: 1ms}\n  - *big\n";
  EXPECT_EQ(step_error(few), "(loaded)");
}

TEST(ScenarioLoaderErrors, YamlSyntaxAndLimits) {
  EXPECT_EQ(error_of("name: t\nsteps: [\n"),
            "s.yaml:3:1: YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(error_of(""), "s.yaml:1:1: the document is empty (expected a scenario mapping)");
  EXPECT_EQ(error_of(std::string(max_document_bytes + 1, ' ')),
            "s.yaml: the file is larger than 1048576 bytes");
  // Deep nesting is refused by yaml-cpp's depth guard, not by running out of stack.
  std::string deep = "name: t\nx: " + std::string(100'000, '[');
  std::string error = error_of(deep);
  EXPECT_EQ(error.rfind("s.yaml:2:", 0), 0U) << error;
  EXPECT_NE(error.find("YAML syntax error"), std::string::npos) << error;
}

}  // namespace
}  // namespace iscsi::scenarios
