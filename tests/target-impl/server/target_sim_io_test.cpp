// SCSI I/O through the whole target in the simulator: several LUNs on different stores written
// and read back, a malformed PDU in one session while another keeps working, session
// reinstatement, and LUNs added at run time.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "tests/support/pdu_builders.hpp"
#include "tests/target-impl/server/initiator_steps.hpp"
#include "tests/target-impl/server/sim_target.hpp"

namespace iscsi::target::server::testing {
namespace {


SimTarget make_target() {
  return SimTarget({.files = {{"/sim/disk2.img", 8 * 1024 * 1024}}});
}

void configure(SimTarget& target) {
  for (const std::string& line :
       {fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk),
        std::string("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 4M"),
        std::string("--lld iscsi --op new --mode logicalunit --tid 1 --lun 2 -b /sim/disk2.img"),
        std::string("--lld iscsi --op bind --mode target --tid 1 -I ALL")}) {
    const config::Reply reply = target.tgtadm(line);
    ASSERT_EQ(reply.exit_code, 0) << line << ": " << reply.err;
  }
}

// Logs in to kDisk and clears the power-on unit attention of each LUN (SPC-4 §6.9).
SessionState open_session(RawInitiator& initiator, std::vector<std::uint16_t> luns,
                          pdu::Isid isid = kIsid) {
  EXPECT_TRUE(initiator.connect(kPortal));
  LoginResult result = login(initiator, {.target_name = std::string(kDisk), .isid = isid});
  EXPECT_TRUE(result.full_feature) << std::hex << result.status;
  for (std::uint16_t lun : luns) {
    const CommandResult tur = test_unit_ready(initiator, result.session, lun);
    EXPECT_TRUE(tur.completed);
  }
  return result.session;
}

TEST(TargetSimIo, TwoLunsOnDifferentStoresKeepTheirOwnData) {
  SimTarget target = make_target();
  configure(target);
  auto initiator = target.initiator();
  SessionState session = open_session(*initiator, {1, 2});
  // 20 KiB needs immediate data plus R2T-solicited Data-Out (8 KiB segments).
  const Bytes first = test::pattern_bytes(20 * 1024, 3);
  const Bytes second = test::pattern_bytes(20 * 1024, 200);
  const CommandResult w1 = write10(*initiator, session, 1, 64, first);
  const CommandResult w2 = write10(*initiator, session, 2, 64, second);
  ASSERT_TRUE(w1.completed && w2.completed);
  EXPECT_EQ(w1.status, 0);
  EXPECT_EQ(w2.status, 0);
  const CommandResult r1 = read10(*initiator, session, 1, 64, 40);
  const CommandResult r2 = read10(*initiator, session, 2, 64, 40);
  EXPECT_EQ(r1.status, 0);
  EXPECT_EQ(r2.status, 0);
  EXPECT_EQ(r1.data_in, first);
  EXPECT_EQ(r2.data_in, second);
  // Blocks never written read as zeros.
  const CommandResult untouched = read10(*initiator, session, 2, 0, 8);
  EXPECT_EQ(untouched.data_in, Bytes(4096, 0));
}

TEST(TargetSimIo, AMalformedPduEndsOnlyItsOwnConnection) {
  SimTarget target = make_target();
  configure(target);
  auto good = target.initiator();
  auto bad = target.initiator(true);
  SessionState good_session = open_session(*good, {1});
  SessionState bad_session = open_session(
      *bad, {1}, pdu::Isid::make(pdu::IsidType::random, 0, 0x4321, 0x01, 2));
  // A BHS with a reserved opcode (0x07, RFC 7143 §11.2.1.2): the bad connection gets a Reject
  // or is closed, never the good one.
  Bytes garbage(48, 0);
  garbage[0] = 0x07;
  garbage[1] = 0x80;
  bad->send_bytes(garbage);
  auto answer = bad->receive();
  const bool rejected = answer && std::holds_alternative<pdu::Reject>(answer->header);
  EXPECT_TRUE(rejected || bad->closed());
  EXPECT_FALSE(target.violation_ids().empty());
  const Bytes data = test::pattern_bytes(4096, 9);
  ASSERT_EQ(write10(*good, good_session, 1, 8, data).status, 0);
  EXPECT_EQ(read10(*good, good_session, 1, 8, 8).data_in, data);
  EXPECT_FALSE(good->closed());
  static_cast<void>(bad_session);
}

TEST(TargetSimIo, ANewLoginWithTheSameIsidReinstatesTheSession) {
  SimTarget target = make_target();
  configure(target);
  auto first = target.initiator();
  SessionState old_session = open_session(*first, {1});
  const std::uint16_t old_tsih = old_session.tsih;
  // The old session holds a RESERVE(6) reservation (SPC-2 §7.21): it must go with its nexus.
  const std::uint8_t reserve6[6] = {0x16, 0, 0, 0, 0, 0};
  ASSERT_EQ(scsi(*first, old_session, 1, reserve6, 0, false, {}).status, 0);
  auto second = target.initiator();
  SessionState new_session = open_session(*second, {1});
  // RFC 7143 §6.3.5: the old session is closed, the new one serves.
  EXPECT_TRUE(first->wait_closed());
  EXPECT_EQ(target.server().sessions().size(), 1u);
  EXPECT_NE(new_session.tsih, old_tsih);
  // Not RESERVATION CONFLICT (0x18): the old nexus and its reservation are gone.
  const Bytes data = test::pattern_bytes(1024, 1);
  EXPECT_EQ(write10(*second, new_session, 1, 0, data).status, 0);
}

TEST(TargetSimIo, ALunAddedAtRunTimeServesAndTheRamLunKeepsItsData) {
  SimTarget target = make_target();
  configure(target);
  auto initiator = target.initiator();
  SessionState session = open_session(*initiator, {1});
  const Bytes data = test::pattern_bytes(8192, 77);
  ASSERT_EQ(write10(*initiator, session, 1, 100, data).status, 0);
  ASSERT_EQ(target.tgtadm("--lld iscsi --op new --mode logicalunit --tid 1 --lun 3 "
                          "--bstype ram -b 1M")
                .exit_code,
            0);
  // LUN 1 reports the new inventory (REPORTED LUNS DATA HAS CHANGED, SPC-4 §6.33) and the new
  // LUN its power-on unit attention; then LUN 1 still has its data and LUN 3 serves.
  const CommandResult changed = test_unit_ready(*initiator, session, 1);
  ASSERT_EQ(changed.status, 0x02);
  ASSERT_GE(changed.sense.size(), 14u);
  EXPECT_EQ(changed.sense[12], 0x3f);
  EXPECT_EQ(changed.sense[13], 0x0e);
  test_unit_ready(*initiator, session, 3);
  EXPECT_EQ(read10(*initiator, session, 1, 100, 16).data_in, data);
  EXPECT_EQ(test_unit_ready(*initiator, session, 3).status, 0);
}

// tgtadm changes one LUN at a time: adding and deleting others leaves LUN 1's device state
// alone, here a RESERVE(6) that keeps refusing the other session (SPC-2 §5.5.1).
TEST(TargetSimIo, LunChangesLeaveTheOtherUnitsStateAlone) {
  SimTarget target = make_target();
  configure(target);
  auto holder = target.initiator();
  SessionState held = open_session(*holder, {1});
  const Bytes reserve6 = {0x16, 0, 0, 0, 0, 0};
  ASSERT_EQ(scsi(*holder, held, 1, reserve6, 0, false, {}).status, 0);
  for (const char* line :
       {"--lld iscsi --op new --mode logicalunit --tid 1 --lun 3 --bstype ram -b 1M",
        "--lld iscsi --op delete --mode logicalunit --tid 1 --lun 2"}) {
    ASSERT_EQ(target.tgtadm(line).exit_code, 0) << line;
  }
  auto other = target.initiator();
  SessionState second =
      open_session(*other, {}, pdu::Isid::make(pdu::IsidType::random, 0, 7, 7, 7));
  test_unit_ready(*other, second, 1);  // its power-on unit attention
  EXPECT_EQ(read10(*other, second, 1, 0, 1).status, 0x18);  // RESERVATION CONFLICT
  test_unit_ready(*holder, held, 1);  // REPORTED LUNS DATA HAS CHANGED
  EXPECT_EQ(test_unit_ready(*holder, held, 1).status, 0);
}

}  // namespace
}  // namespace iscsi::target::server::testing

namespace iscsi::target::server::testing {
namespace {

// Decodes a traced PDU with the given digests; true when it is exactly one whole PDU.
bool decodes(const test::RecordingTraceSink::PduRecord& record, pdu::DigestOptions digests) {
  return pdu::decode(record.bytes, digests).ok();
}

TEST(TargetSimIo, NegotiatedDigestsApplyFromThePduAfterTheLoginFinalResponse) {
  SimTarget target = make_target();
  configure(target);
  auto initiator = target.initiator();
  ASSERT_TRUE(initiator->connect(kPortal));
  LoginResult result =
      login(*initiator, {.target_name = std::string(kDisk),
                         .operational = {{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}}});
  ASSERT_TRUE(result.full_feature) << std::hex << result.status;
  ASSERT_EQ(value_or_empty(result.keys, "HeaderDigest"), "CRC32C");
  ASSERT_EQ(value_or_empty(result.keys, "DataDigest"), "CRC32C");
  const std::size_t login_pdus = target.trace().pdus.size();
  // RFC 7143 §13.1: the Final-Response went out without digests; everything after carries them.
  initiator->set_digests({.header = true, .data = true});
  SessionState session = result.session;
  test_unit_ready(*initiator, session, 1);
  const Bytes data = test::pattern_bytes(12 * 1024, 41);
  ASSERT_EQ(write10(*initiator, session, 1, 16, data).status, 0);
  EXPECT_EQ(read10(*initiator, session, 1, 16, 24).data_in, data);
  EXPECT_TRUE(initiator->errors().empty());
  // The trace holds each PDU exactly as it crossed the wire, both ways.
  const auto& pdus = target.trace().pdus;
  ASSERT_GT(pdus.size(), login_pdus + 4);
  for (std::size_t i = 0; i < pdus.size(); ++i) {
    const bool with_digests = i >= login_pdus;
    EXPECT_TRUE(decodes(pdus[i], {.header = with_digests, .data = with_digests})) << "PDU " << i;
  }
}

// Without a trace sink, Data-In leaves as gathered writes (header, the data segment in place in
// the read buffer, pad and digest): the initiator must read the same bytes with both digests
// verified, across several PDUs per command (8 KiB MaxRecvDataSegmentLength) and bursts.
TEST(TargetSimIo, DataInWithoutATraceSinkCarriesTheSameBytesAndDigests) {
  for (const bool digests : {false, true}) {
    SCOPED_TRACE(digests ? "with digests" : "without digests");
    SimTarget target({.files = {{"/sim/disk2.img", 8 * 1024 * 1024}}, .with_trace = false});
    configure(target);
    auto initiator = target.initiator();
    ASSERT_TRUE(initiator->connect(kPortal));
    const std::string digest = digests ? "CRC32C" : "None";
    LoginResult result =
        login(*initiator, {.target_name = std::string(kDisk),
                           .operational = {{"HeaderDigest", digest}, {"DataDigest", digest}}});
    ASSERT_TRUE(result.full_feature) << std::hex << result.status;
    initiator->set_digests({.header = digests, .data = digests});
    SessionState session = result.session;
    for (const std::uint16_t lun : {std::uint16_t{1}, std::uint16_t{2}}) {
      test_unit_ready(*initiator, session, lun);
      const Bytes data = test::pattern_bytes(300 * 1024, static_cast<std::uint8_t>(lun + 60));
      ASSERT_EQ(write10(*initiator, session, lun, 8, data).status, 0);
      const CommandResult back = read10(*initiator, session, lun, 8, 600);
      EXPECT_EQ(back.status, 0);
      EXPECT_EQ(back.data_in, data);
      // A short read of a range never written: zeros, in one PDU.
      EXPECT_EQ(read10(*initiator, session, lun, 4000, 3).data_in, Bytes(3 * 512, 0));
    }
    EXPECT_TRUE(initiator->errors().empty());
  }
}

// The engine hands out at most kMaxDataInBytesPerTake of Data-In per take_outputs(). A stream
// that never pushes back (core/asio sends at once, while the kernel has room) must still get
// the rest of a larger read: the driver takes again until the engine has nothing left.
TEST(TargetSimIo, AReadLargerThanOneTakeCompletesWhenTheStreamNeverPushesBack) {
  SimTarget target({.files = {{"/sim/disk2.img", 8 * 1024 * 1024}},
                    .with_trace = false,
                    .send_buffer_limit = 64 * 1024 * 1024});
  configure(target);
  auto initiator = target.initiator();
  SessionState session = open_session(*initiator, {1});
  const Bytes data = test::pattern_bytes(3 * 1024 * 1024, 77);
  ASSERT_EQ(write10(*initiator, session, 1, 0, data).status, 0);
  const CommandResult back = read10(*initiator, session, 1, 0, 3 * 2048);
  EXPECT_TRUE(back.completed);
  EXPECT_EQ(back.status, 0);
  EXPECT_EQ(back.data_in, data);
  EXPECT_TRUE(initiator->errors().empty());
}

}  // namespace
}  // namespace iscsi::target::server::testing
