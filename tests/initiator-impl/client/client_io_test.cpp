// I/O through the Client against the reference target in the simulator: three LUNs written
// and read back concurrently (with and without CRC32C digests), and a connection reset in the
// middle of a write burst recovered by session reinstatement.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>

#include "initiator-impl/client/cdb_builders.hpp"
#include "tests/initiator-impl/client/client_lab.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::client::testing {
namespace {

constexpr std::string_view kDisks = "iqn.2026-01.test.lab:disks";
constexpr std::uint32_t kBlock = 512;
constexpr std::uint32_t kChunkBlocks = 128;  // 64 KiB per command
constexpr std::uint32_t kChunksPerLun = 8;

void configure_disks(ClientLab& lab) {
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisks));
  for (int lun = 1; lun <= 3; ++lun) {
    lab.configure(fmt::format(
        "--lld iscsi --op new --mode logicalunit --tid 1 --lun {} --bstype ram -b 4M", lun));
  }
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
}

pdu::Lun lun_number(std::uint32_t number) { return *pdu::Lun::from_number(number); }

Bytes chunk_data(std::uint32_t lun, std::uint32_t chunk) {
  return test::pattern_bytes(std::size_t{kChunkBlocks} * kBlock,
                             static_cast<std::uint8_t>(lun * 16 + chunk));
}

// Clears the power-on unit attention of each LUN (SPC-4 §5.14) so that later commands succeed.
void clear_unit_attentions(ClientLab& lab, Session& session) {
  for (std::uint32_t lun = 1; lun <= 3; ++lun) {
    lab.command(session, cdb::no_data_request(lun_number(lun), cdb::test_unit_ready()));
  }
}

struct Burst {
  std::map<std::pair<std::uint32_t, std::uint32_t>, session::CommandCompleted> done;
  std::size_t expected = 0;
};

void write_all(Session& session, Burst& burst) {
  for (std::uint32_t chunk = 0; chunk < kChunksPerLun; ++chunk) {
    for (std::uint32_t lun = 1; lun <= 3; ++lun) {
      ++burst.expected;
      session.submit(cdb::write_request(lun_number(lun), std::uint64_t{chunk} * kChunkBlocks,
                                        chunk_data(lun, chunk), kBlock),
                     [&burst, lun, chunk](const session::CommandCompleted& completed) {
                       burst.done[{lun, chunk}] = completed;
                     });
    }
  }
}

void read_all(Session& session, Burst& burst) {
  for (std::uint32_t chunk = 0; chunk < kChunksPerLun; ++chunk) {
    for (std::uint32_t lun = 1; lun <= 3; ++lun) {
      ++burst.expected;
      session.submit(cdb::read_request(lun_number(lun), std::uint64_t{chunk} * kChunkBlocks,
                                       kChunkBlocks, kBlock),
                     [&burst, lun, chunk](const session::CommandCompleted& completed) {
                       burst.done[{lun, chunk}] = completed;
                     });
    }
  }
}

void expect_all_good(const Burst& burst, bool check_data) {
  ASSERT_EQ(burst.done.size(), burst.expected);
  for (const auto& [where, completed] : burst.done) {
    ASSERT_FALSE(completed.failure.has_value())
        << "LUN " << where.first << " chunk " << where.second << ": " << completed.failure->detail;
    EXPECT_EQ(completed.status, 0) << "LUN " << where.first << " chunk " << where.second;
    if (check_data) {
      EXPECT_EQ(completed.data_in, chunk_data(where.first, where.second))
          << "LUN " << where.first << " chunk " << where.second;
    }
  }
}

void write_then_verify(ClientLab& lab, Session& session) {
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  expect_all_good(writes, false);
  Burst reads;
  read_all(session, reads);
  ASSERT_TRUE(lab.run_until([&] { return reads.done.size() == reads.expected; }));
  expect_all_good(reads, true);
}

TEST(ClientSimIo, ThreeLunsAreWrittenAndReadBackConcurrently) {
  ClientLab lab;
  configure_disks(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisks));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  const session::CommandCompleted luns =
      lab.command(session, cdb::data_in_request(lun_number(0), cdb::report_luns(4096), 4096));
  ASSERT_FALSE(luns.failure.has_value());
  // LUN 0 (the target's controller, as tgt has) and the three disks.
  std::vector<std::optional<std::uint16_t>> numbers;
  for (const pdu::Lun& lun : cdb::parse_report_luns(luns.data_in)) {
    numbers.push_back(lun.to_number());
  }
  EXPECT_EQ(numbers, (std::vector<std::optional<std::uint16_t>>{0, 1, 2, 3}));
  const session::CommandCompleted capacity =
      lab.command(session, cdb::data_in_request(lun_number(2), cdb::read_capacity16(32), 32));
  const auto parsed = cdb::parse_read_capacity16(capacity.data_in);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->block_size, kBlock);
  EXPECT_EQ(parsed->last_lba, 4u * 1024 * 1024 / kBlock - 1);
  write_then_verify(lab, session);
  EXPECT_TRUE(session.violations().empty());
  EXPECT_TRUE(lab.client_trace().violations.empty());
  EXPECT_EQ(lab.logout(session).failure, std::nullopt);
}

// A read's buffer goes back to the session's BufferPool after its completion: with one Data-In
// per read (MaxRecvDataSegmentLength 256 KiB), the next read is received into the same memory,
// and its data is its own.
TEST(ClientSimIo, ReadBuffersAreReusedAfterTheirCompletion) {
  ClientLab lab;
  configure_disks(lab);
  LoginRequest request = lab.request(kDisks);
  request.setup.policy.max_recv_data_segment_length = 262144;
  const LoginOutcome outcome = lab.login(std::move(request));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  for (std::uint32_t chunk = 0; chunk < 2; ++chunk) {
    const session::CommandCompleted written =
        lab.command(session, cdb::write_request(lun_number(1), std::uint64_t{chunk} * kChunkBlocks,
                                                chunk_data(1, chunk), kBlock));
    ASSERT_FALSE(written.failure.has_value()) << written.failure->detail;
  }
  std::vector<const std::uint8_t*> memory;
  std::vector<Bytes> data;
  for (std::uint32_t chunk = 0; chunk < 2; ++chunk) {
    bool done = false;
    session.submit(
        cdb::read_request(lun_number(1), std::uint64_t{chunk} * kChunkBlocks, kChunkBlocks, kBlock),
        [&](const session::CommandCompleted& completed) {
          memory.push_back(completed.data_in.data());
          data.push_back(completed.data_in);
          done = true;
        });
    ASSERT_TRUE(lab.run_until([&] { return done; }));
  }
  ASSERT_EQ(memory.size(), 2u);
  EXPECT_EQ(memory[0], memory[1]);
  // The second read took the first one's buffer from the pool (the framer's only pooled take
  // while the pool held one), and its own went back after it.
  EXPECT_EQ(session.read_buffers().reused(), 1u);
  EXPECT_EQ(session.read_buffers().size(), 1u);
  EXPECT_EQ(data[0], chunk_data(1, 0));
  EXPECT_EQ(data[1], chunk_data(1, 1));
  EXPECT_TRUE(session.violations().empty());
}

// With a send buffer smaller than one write, nearly every PDU meets back-pressure: the
// connection waits for on_writable() and nothing is lost or reordered.
TEST(ClientSimIo, TinySendBuffersOnlySlowTheBurstDown) {
  ClientLab lab({.send_buffer_limit = 2048});
  configure_disks(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisks));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  clear_unit_attentions(lab, *outcome.session);
  write_then_verify(lab, *outcome.session);
  EXPECT_TRUE(lab.client_trace().violations.empty());
  EXPECT_TRUE(lab.target_trace().violations.empty());
}

TEST(ClientSimIo, HeaderAndDataDigestsAreNegotiatedAndUsed) {
  ClientLab lab;
  configure_disks(lab);
  LoginRequest request = lab.request(kDisks);
  request.setup.policy.header_digests = {"CRC32C"};
  request.setup.policy.data_digests = {"CRC32C"};
  const LoginOutcome outcome = lab.login(request);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  EXPECT_EQ(session.login_result().connection.header_digest, negotiation::Digest::crc32c);
  EXPECT_EQ(session.login_result().connection.data_digest, negotiation::Digest::crc32c);
  clear_unit_attentions(lab, session);
  write_then_verify(lab, session);
  // The Data-In PDUs went on the wire with both digests: BHS, header digest, data, data digest.
  std::size_t data_in_pdus = 0;
  for (const auto& record : lab.client_trace().pdus) {
    if (record.direction != runtime::Direction::target_to_initiator) continue;
    if ((record.bytes[0] & 0x3f) != 0x25) continue;
    ++data_in_pdus;
    const std::size_t length = load_be24(record.bytes.data() + 5);
    EXPECT_EQ(record.bytes.size(), 48 + 4 + ((length + 3) & ~std::size_t{3}) + 4);
  }
  EXPECT_GE(data_in_pdus, std::size_t{3} * kChunksPerLun);
  // Both sides checked every digest: neither saw a mismatch.
  EXPECT_TRUE(lab.client_trace().violations.empty());
  EXPECT_TRUE(lab.target_trace().violations.empty());
  EXPECT_EQ(lab.logout(session).failure, std::nullopt);
}

// The reset lands at a different point of the burst for each seed (segment sizes and jitter).
void reset_in_write_burst(std::uint64_t seed, std::size_t completed_before_reset) {
  ClientLab lab({.seed = seed});
  configure_disks(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisks));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  std::vector<SessionEvent::Kind> events;
  session.set_event_handler([&events](const SessionEvent& event) { events.push_back(event.kind); });
  const runtime::ConnectionKey first = session.key();
  const pdu::Isid isid = session.login_result().isid;
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() >= completed_before_reset; }));
  ASSERT_LT(writes.done.size(), writes.expected);
  ASSERT_TRUE(lab.fabric().reset(first));
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  expect_all_good(writes, false);
  EXPECT_EQ(session.reinstatements(), 1u);
  EXPECT_NE(session.key(), first);
  EXPECT_EQ(session.login_result().isid, isid);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0], SessionEvent::Kind::connection_lost);
  EXPECT_EQ(events[1], SessionEvent::Kind::reinstated);
  // The new session starts with its own unit attentions; then every write is there.
  clear_unit_attentions(lab, session);
  Burst reads;
  read_all(session, reads);
  ASSERT_TRUE(lab.run_until([&] { return reads.done.size() == reads.expected; }));
  expect_all_good(reads, true);
}

TEST(ClientSimIo, AResetInAWriteBurstIsRecoveredByReinstatement) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    for (std::size_t completed : {std::size_t{0}, std::size_t{5}, std::size_t{17}}) {
      SCOPED_TRACE(fmt::format("seed {}, reset after {} writes", seed, completed));
      reset_in_write_burst(seed, completed);
    }
  }
}

// A session to the disks with recovery off (no reinstatement), unit attentions cleared.
LoginOutcome login_without_recovery(ClientLab& lab) {
  configure_disks(lab);
  LoginRequest request = lab.request(kDisks);
  request.recovery.max_attempts = 0;
  LoginOutcome outcome = lab.login(request);
  if (outcome.ok()) clear_unit_attentions(lab, *outcome.session);
  return outcome;
}

TEST(ClientSimIo, WithoutRecoveryOpenCommandsFailWithConnectionLost) {
  ClientLab lab;
  const LoginOutcome outcome = login_without_recovery(lab);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return !writes.done.empty(); }));
  ASSERT_TRUE(lab.fabric().reset(session.key()));
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  std::size_t lost = 0;
  for (const auto& [where, completed] : writes.done) {
    if (completed.failure) {
      EXPECT_EQ(completed.failure->reason, session::FailureReason::connection_lost);
      ++lost;
    }
  }
  EXPECT_GT(lost, 0u);
  EXPECT_EQ(session.state(), Session::State::closed);
}

}  // namespace
}  // namespace iscsi::initiator::client::testing

namespace iscsi::initiator::client::testing {
namespace {

// With NOP-Out pings on, the ping's deadline moves with every PDU received; the connection
// keeps the timer it armed instead of arming one per PDU. (The simulator keeps a cancelled
// timer in its queue until its time, so each re-arm would leave one more event there.)
TEST(ClientSimIo, ABurstDoesNotReArmTheNopTimerForEveryPdu) {
  ClientLab lab;
  configure_disks(lab);
  LoginRequest request = lab.request(kDisks);
  request.connection.nop.interval = std::chrono::seconds(5);
  const LoginOutcome outcome = lab.login(request);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  const std::size_t events_before = lab.simulator().pending_events();
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  expect_all_good(writes, false);
  EXPECT_LE(lab.simulator().pending_events(), events_before + 2);
  // The pings still go out when the connection falls quiet.
  const std::size_t traced = lab.client_trace().pdus.size();
  ASSERT_TRUE(lab.simulator().run_for(std::chrono::seconds(6)).ok());
  const auto& pdus = lab.client_trace().pdus;
  EXPECT_TRUE(std::any_of(pdus.begin() + static_cast<std::ptrdiff_t>(traced), pdus.end(),
                          [](const auto& record) {
                            return record.direction == runtime::Direction::initiator_to_target &&
                                   (record.bytes[0] & 0x3f) == 0x00;  // NOP-Out
                          }));
}

// The submission index (write_all()'s order: chunk by chunk, LUN 1 to 3) of a WRITE(10) on the
// wire (write_request() uses it for these small LBAs), or nothing for any other PDU.
std::optional<std::uint32_t> write_index(const test::RecordingTraceSink::PduRecord& record) {
  const Bytes& wire = record.bytes;
  if (record.direction != runtime::Direction::initiator_to_target || wire.size() < 48 ||
      (wire[0] & 0x3f) != 0x01 || wire[32] != 0x2a) {
    return std::nullopt;
  }
  const std::uint32_t chunk = load_be32(wire.data() + 34) / kChunkBlocks;  // CDB bytes 2-5
  return chunk * 3 + wire[9] - 1;                                          // LUN in byte 9
}

// The session keeps its open commands hashed; after a reinstatement it still sends them again in
// the order they were submitted.
TEST(ClientSimIo, AfterAReinstatementOpenCommandsGoAgainInSubmissionOrder) {
  ClientLab lab({.seed = 1});
  configure_disks(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisks));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() >= 5; }));
  const std::size_t open = writes.expected - writes.done.size();
  const std::size_t traced_before_reset = lab.client_trace().pdus.size();
  ASSERT_TRUE(lab.fabric().reset(session.key()));
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  ASSERT_EQ(session.reinstatements(), 1u);
  std::vector<std::uint32_t> resent;
  const auto& pdus = lab.client_trace().pdus;
  for (std::size_t i = traced_before_reset; i < pdus.size(); ++i) {
    if (const auto index = write_index(pdus[i])) resent.push_back(*index);
  }
  // Retries after the new session's unit attentions come after these.
  ASSERT_GE(resent.size(), open);
  resent.resize(open);
  EXPECT_TRUE(std::is_sorted(resent.begin(), resent.end())) << ::testing::PrintToString(resent);
}

// Without recovery, the commands the lost connection took down fail in submission order.
TEST(ClientSimIo, WithoutRecoveryOpenCommandsFailInSubmissionOrder) {
  ClientLab lab;
  const LoginOutcome outcome = login_without_recovery(lab);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  std::size_t completed = 0;
  std::vector<std::uint32_t> failed;
  for (std::uint32_t index = 0; index < 3 * kChunksPerLun; ++index) {
    const std::uint32_t lun = index % 3 + 1;
    const std::uint32_t chunk = index / 3;
    session.submit(cdb::write_request(lun_number(lun), std::uint64_t{chunk} * kChunkBlocks,
                                      chunk_data(lun, chunk), kBlock),
                   [&, index](const session::CommandCompleted& done) {
                     ++completed;
                     if (done.failure) failed.push_back(index);
                   });
  }
  ASSERT_TRUE(lab.run_until([&] { return completed > 0; }));
  ASSERT_TRUE(lab.fabric().reset(session.key()));
  ASSERT_TRUE(lab.run_until([&] { return completed == 3 * kChunksPerLun; }));
  EXPECT_GT(failed.size(), 2u);
  EXPECT_TRUE(std::is_sorted(failed.begin(), failed.end())) << ::testing::PrintToString(failed);
}

TEST(ClientSimIo, WhenTheTargetStaysAwayTheRecoveryGivesUpAfterItsAttempts) {
  ClientLab lab;
  configure_disks(lab);
  LoginRequest request = lab.request(kDisks);
  request.recovery.max_attempts = 3;
  request.recovery.retry_delay = std::chrono::seconds(1);
  const LoginOutcome outcome = lab.login(request);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  Session& session = *outcome.session;
  clear_unit_attentions(lab, session);
  std::vector<SessionEvent> events;
  session.set_event_handler([&events](const SessionEvent& event) { events.push_back(event); });
  Burst writes;
  write_all(session, writes);
  ASSERT_TRUE(lab.run_until([&] { return !writes.done.empty(); }));
  ASSERT_TRUE(lab.fabric().close_listener(kPortal));
  const runtime::TimePoint lost_at = lab.simulator().now();
  ASSERT_TRUE(lab.fabric().reset(session.key()));
  ASSERT_TRUE(lab.run_until([&] { return writes.done.size() == writes.expected; }));
  // Three attempts, each after its delay, each refused.
  EXPECT_GE(lab.simulator().now() - lost_at, std::chrono::seconds(3));
  std::size_t lost = 0;
  for (const auto& [where, completed] : writes.done) {
    if (!completed.failure) continue;
    EXPECT_EQ(completed.failure->reason, session::FailureReason::connection_lost);
    ++lost;
  }
  EXPECT_GT(lost, 0u);
  EXPECT_EQ(session.state(), Session::State::closed);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, SessionEvent::Kind::connection_lost);
  EXPECT_EQ(events[1].kind, SessionEvent::Kind::recovery_failed);
  ASSERT_TRUE(events[1].recovery.has_value());
  EXPECT_EQ(events[1].recovery->error, LoginError::connect_failed);
  EXPECT_EQ(events[1].recovery->transport, runtime::CloseReason::refused);
}

}  // namespace
}  // namespace iscsi::initiator::client::testing
