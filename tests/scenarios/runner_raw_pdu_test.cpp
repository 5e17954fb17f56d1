// raw_pdu steps: the PDU a step builds (fields where RFC 7143 §11 puts them, lengths, padding,
// the connection's digests), and what the reference target does with it in a run: a Reject
// for a reserved opcode, a NOP-In for a ping, and a session that goes on afterwards.
#include <gtest/gtest.h>

#include "core/common/bytes.hpp"
#include "core/crc32c/crc32c.hpp"
#include "core/pdu/codec.hpp"
#include "scenarios/run_step.hpp"
#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::load_chap_world;

RawPduStep nop_ping() {
  RawPduStep step;
  step.opcode = 0x00;
  step.fields = {{"itt", 0x11223344}, {"lun", 1}};
  step.data = {0xaa, 0xbb, 0xcc};
  return step;
}

TEST(RawPduBuilder, FieldsLengthsAndPadding) {
  const Bytes wire = build_raw_pdu(nop_ping(), {.cmd_sn = 5, .exp_stat_sn = 7, .digests = {}});
  ASSERT_EQ(wire.size(), 48U + 4U);  // BHS, 3 data bytes padded to 4
  EXPECT_EQ(wire[0], 0x40);          // NOP-Out, immediate
  EXPECT_EQ(wire[1], 0x80);          // F bit
  EXPECT_EQ(load_be24(wire.data() + 5), 3U);
  EXPECT_EQ(load_be64(wire.data() + 8), 1U);
  EXPECT_EQ(load_be32(wire.data() + 16), 0x11223344U);
  EXPECT_EQ(load_be32(wire.data() + 20), 0xffffffffU);  // TTT: not an answer to a NOP-In
  EXPECT_EQ(load_be32(wire.data() + 24), 5U);
  EXPECT_EQ(load_be32(wire.data() + 28), 7U);
  EXPECT_EQ(wire[48], 0xaa);
  EXPECT_EQ(wire[51], 0x00);  // pad
  // Another decoder agrees with the layout.
  auto decoded = pdu::decode(wire);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(pdu::itt(decoded->pdu), 0x11223344U);
  EXPECT_EQ(pdu::cmd_sn(decoded->pdu.header), 5U);
}

TEST(RawPduBuilder, DigestsAsTheConnectionNegotiatedThem) {
  const pdu::DigestOptions both{.header = true, .data = true};
  const Bytes wire = build_raw_pdu(nop_ping(), {.cmd_sn = 1, .exp_stat_sn = 1, .digests = both});
  ASSERT_EQ(wire.size(), 48U + 4U + 4U + 4U);
  EXPECT_EQ(crc32c::load_digest(wire.data() + 48), crc32c::compute(ByteView(wire).first(48)));
  EXPECT_EQ(crc32c::load_digest(wire.data() + 56), crc32c::compute(ByteView(wire).subspan(52, 4)));
  EXPECT_TRUE(pdu::decode(wire, both).ok());
  Bytes broken = wire;
  broken[50] ^= 1;
  EXPECT_FALSE(pdu::decode(broken, both).ok());
}

TEST(RawPduBuilder, FieldsOverrideDefaultsAndHexGoesAsIs) {
  RawPduStep step;
  step.opcode = 0x0a;
  step.fields = {{"immediate", 0}, {"flags", 0x01}, {"cmd_sn", 99}, {"data_segment_length", 8}};
  const Bytes wire = build_raw_pdu(step, {.cmd_sn = 5, .exp_stat_sn = 7, .digests = {}});
  ASSERT_EQ(wire.size(), 48U);
  EXPECT_EQ(wire[0], 0x0a);
  EXPECT_EQ(wire[1], 0x01);
  EXPECT_EQ(load_be24(wire.data() + 5), 8U);  // as given, though no data follows
  EXPECT_EQ(load_be32(wire.data() + 24), 99U);
  RawPduStep hex;
  hex.hex = Bytes(48, 0x5a);
  EXPECT_EQ(build_raw_pdu(
                hex, {.cmd_sn = 5, .exp_stat_sn = 7, .digests = {.header = true, .data = true}}),
            Bytes(48, 0x5a));
}

constexpr std::string_view kLoggedInSteps = R"yaml(steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0, session: logged_in}
)yaml";

TEST(ScenarioRunnerRawPdu, ReservedOpcodeIsRejected) {
  const RunResult result = run_scenario(load_chap_world("raw", std::string(kLoggedInSteps) + R"yaml(
  - raw_pdu: {opcode: 0x0a}
    expect:
      reject: 0x04
      stdout_contains: Reject
      violations: {required: [pdu.reserved-opcode]}
      session: logged_in
  - io: {lun: 1, write: {bytes: 64KiB}, verify: {bytes: 64KiB}}
    expect: {data_verified: true}
)yaml"));
  EXPECT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 4U);
  const StepResult& raw = result.steps[2];
  EXPECT_EQ(raw.kind, "raw_pdu");
  // The step sent one PDU and got the Reject back, well within the reaction limit.
  ASSERT_GE(raw.end_pdu - raw.first_pdu, 2U);
  EXPECT_EQ(result.pdus[raw.first_pdu].wire[0] & 0x3f, 0x0a);
  EXPECT_EQ(result.pdus[raw.first_pdu + 1].wire[0] & 0x3f, 0x3f);
  EXPECT_LT(raw.end - raw.start, kRawPduReactionLimit);
}

TEST(ScenarioRunnerRawPdu, WrongRejectReasonFails) {
  const RunResult result = run_scenario(load_chap_world("raw", std::string(kLoggedInSteps) + R"yaml(
  - raw_pdu: {opcode: 0x0a}
    expect: {reject: 0x09}
)yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[2].failures,
            std::vector<std::string>{"expected a Reject with reason 0x09, got reason 0x04"});
}

TEST(ScenarioRunnerRawPdu, PingIsAnsweredWithNopIn) {
  const RunResult result = run_scenario(load_chap_world("raw", std::string(kLoggedInSteps) + R"yaml(
  - raw_pdu: {opcode: nop_out, fields: {itt: 0x1234, lun: 0}, data: "01 02 03 04 05"}
    # The initiator's engine never sent this ping: the answer's ITT is unknown to it.
    expect:
      stdout_contains: "NOP-In ITT=0x00001234"
      violations: {required: [initiator-session.unknown-itt], forbidden: [pdu.reserved-opcode]}
      session: logged_in
  - raw_pdu: {opcode: nop_out, fields: {itt: 0x1234}}
    expect: {reject: 0x04}
)yaml"));
  ASSERT_EQ(result.steps.size(), 4U);
  EXPECT_TRUE(result.steps[2].passed) << describe(result);
  EXPECT_EQ(result.steps[2].output.out.find("Reject"), std::string::npos);
  // A second ping answered too: no Reject to find.
  EXPECT_EQ(result.steps[3].failures,
            std::vector<std::string>{"expected a Reject with reason 0x04, got no Reject"});
}

// A NOP-Out that wants no answer (ITT 0xffffffff, RFC 7143 §11.18) gets none: the step
// waits out the reaction limit and says so.
TEST(ScenarioRunnerRawPdu, SilenceLastsTheReactionLimit) {
  const RunResult result = run_scenario(load_chap_world("raw", std::string(kLoggedInSteps) + R"yaml(
  - raw_pdu: {opcode: nop_out, fields: {itt: 0xffffffff}}
    expect: {stdout: "no answer within 2s", violations: none, session: logged_in}
)yaml"));
  EXPECT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[2].end - result.steps[2].start, kRawPduReactionLimit);
}

}  // namespace
}  // namespace iscsi::scenarios
