// PERSISTENT RESERVE OUT (SPC-4 §6.15, §5.13) with two nexuses: registration, reservation
// types and access, release, clear, preempt, and the unit attentions they raise.
#include "tests/target-impl/scsi/pr_helpers.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

constexpr std::uint64_t kKeyA = 0xa1;
constexpr std::uint64_t kKeyB = 0xb2;
// MODE SENSE reads device state (conflicts under Exclusive Access types), MODE SELECT with an
// empty list changes it (conflicts under every type): stand-ins for READ and WRITE.
const Bytes kReadLike = cdb16({0x1a, 0x08, 0x0a, 0, 0xff, 0});
const Bytes kWriteLike = cdb16({0x15, 0x10, 0, 0, 0, 0});

void expect_conflict(const CommandResult& result) {
  EXPECT_EQ(result.status, kStatusReservationConflict);
  EXPECT_TRUE(result.sense.empty());
}

class PersistentReserveOutTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
  CommandResult out(std::uint8_t action, std::uint8_t type, std::uint64_t key,
                    std::uint64_t action_key, NexusId nexus = kNexusA, std::uint8_t flags = 0) {
    return run(1, pr_out_cdb(action, type), nexus, pr_out_list(key, action_key, flags));
  }
  // Read through PERSISTENT RESERVE IN, from a nexus without pending unit attentions.
  std::string keys(NexusId nexus = kNexusA) {
    return to_hex(run(1, pr_in_cdb(0x00), nexus).data_in);
  }
  std::string reservation(NexusId nexus = kNexusA) {
    return to_hex(run(1, pr_in_cdb(0x01), nexus).data_in);
  }
  void register_both() {
    expect_good(out(kRegister, 0, 0, kKeyA, kNexusA));
    expect_good(out(kRegister, 0, 0, kKeyB, kNexusB));
  }
  bool can(NexusId nexus, const Bytes& cdb) {
    const CommandResult result = run(1, cdb, nexus);
    EXPECT_TRUE(result.status == kStatusGood || result.status == kStatusReservationConflict);
    return result.status == kStatusGood;
  }
};

TEST_F(PersistentReserveOutTest, RegisterNeedsTheCurrentKey) {
  expect_conflict(out(kRegister, 0, 0x99, kKeyA));   // unregistered but names a key
  expect_good(out(kRegister, 0, 0, kKeyA));
  expect_conflict(out(kRegister, 0, 0, 0x77));       // registered, names key 0
  expect_good(out(kRegister, 0, kKeyA, 0x77));       // change the key
  EXPECT_EQ(keys(), "00000002" "00000008" "0000000000000077");
  expect_good(out(kRegister, 0, 0x77, 0));           // unregister
  EXPECT_EQ(keys(), "00000003" "00000000");
  expect_good(out(kRegister, 0, 0, 0));              // unregistered, key 0: nothing happens
  EXPECT_EQ(keys(), "00000003" "00000000");
}

TEST_F(PersistentReserveOutTest, RegisterAndIgnoreExistingKey) {
  expect_good(out(kRegisterAndIgnore, 0, 0x1234, kKeyA));
  expect_good(out(kRegisterAndIgnore, 0, 0x5678, kKeyB));
  EXPECT_EQ(keys(), "00000002" "00000008" "00000000000000b2");
}

TEST_F(PersistentReserveOutTest, ReserveNeedsRegistrationAndRepeatsOnlyTheSameType) {
  expect_conflict(out(kReserve, kWriteExclusive, kKeyA, 0));
  register_both();
  expect_conflict(out(kReserve, kWriteExclusive, 0x99, 0));
  expect_good(out(kReserve, kWriteExclusive, kKeyA, 0));
  expect_good(out(kReserve, kWriteExclusive, kKeyA, 0));
  expect_conflict(out(kReserve, kExclusiveAccess, kKeyA, 0));
  expect_conflict(out(kReserve, kWriteExclusive, kKeyB, 0, kNexusB));
}

struct AccessCase {
  std::uint8_t type;
  bool registered_reads, registered_writes, unregistered_reads, unregistered_writes;
};

TEST_F(PersistentReserveOutTest, AccessPerReservationType) {
  // libiscsi ProutReserve.Access*: what the second nexus may do, registered and not.
  const AccessCase cases[] = {
      {kExclusiveAccess, false, false, false, false},
      {kWriteExclusive, true, false, true, false},
      {kExclusiveAccessRegistrantsOnly, true, true, false, false},
      {kWriteExclusiveRegistrantsOnly, true, true, true, false},
      {kExclusiveAccessAllRegistrants, true, true, false, false},
      {kWriteExclusiveAllRegistrants, true, true, true, false},
  };
  for (const AccessCase& c : cases) {
    SCOPED_TRACE(int{c.type});
    register_both();
    expect_good(out(kReserve, c.type, kKeyA, 0));
    EXPECT_TRUE(can(kNexusA, kReadLike));
    EXPECT_TRUE(can(kNexusA, kWriteLike));
    EXPECT_EQ(can(kNexusB, kReadLike), c.registered_reads);
    EXPECT_EQ(can(kNexusB, kWriteLike), c.registered_writes);
    expect_good(out(kRegister, 0, kKeyB, 0, kNexusB));
    EXPECT_EQ(can(kNexusB, kReadLike), c.unregistered_reads);
    EXPECT_EQ(can(kNexusB, kWriteLike), c.unregistered_writes);
    // INQUIRY, REPORT LUNS and PERSISTENT RESERVE IN are never in conflict.
    expect_good(run(1, cdb16({0x12, 0, 0, 0, 0x24, 0}), kNexusB));
    expect_good(run(1, pr_in_cdb(0x00), kNexusB));
    expect_good(out(kRelease, c.type, kKeyA, 0));
    expect_good(out(kRegister, 0, kKeyA, 0));
    clear_unit_attentions(kNexusA);
    clear_unit_attentions(kNexusB);
  }
}

TEST_F(PersistentReserveOutTest, HolderUnregisteringReleasesRegistrantsOnlyReservation) {
  register_both();
  expect_good(out(kReserve, kExclusiveAccessRegistrantsOnly, kKeyA, 0));
  expect_good(out(kRegister, 0, kKeyA, 0));
  EXPECT_EQ(reservation(), "00000003" "00000000");
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kReservationsReleased);
}

TEST_F(PersistentReserveOutTest, HolderUnregisteringReleasesPlainReservationQuietly) {
  register_both();
  expect_good(out(kReserve, kExclusiveAccess, kKeyA, 0));
  expect_good(out(kRegister, 0, kKeyA, 0));
  EXPECT_EQ(reservation(), "00000003" "00000000");
  expect_good(run(1, cdb16({0x00}), kNexusB));
}

TEST_F(PersistentReserveOutTest, AllRegistrantsReservationOutlivesItsCreator) {
  register_both();
  expect_good(out(kReserve, kWriteExclusiveAllRegistrants, kKeyA, 0));
  expect_good(out(kRegister, 0, kKeyA, 0));
  EXPECT_EQ(reservation(), "00000003" "00000010" "0000000000000000" "00000000" "0007" "0000");
  expect_good(out(kRelease, kWriteExclusiveAllRegistrants, kKeyB, 0, kNexusB));
  EXPECT_EQ(reservation(), "00000003" "00000000");
}

TEST_F(PersistentReserveOutTest, Release) {
  register_both();
  expect_good(out(kRelease, kWriteExclusive, kKeyA, 0));  // nothing reserved: GOOD
  expect_good(out(kReserve, kWriteExclusiveRegistrantsOnly, kKeyA, 0));
  expect_conflict(out(kRelease, kWriteExclusive, 0x99, 0));
  expect_good(out(kRelease, kWriteExclusiveRegistrantsOnly, kKeyB, 0, kNexusB));  // not holder
  expect_check_condition(out(kRelease, kWriteExclusive, kKeyA, 0), SenseKey::illegal_request,
                         asc::kInvalidReleaseOfPersistentReservation);
  expect_good(out(kRelease, kWriteExclusiveRegistrantsOnly, kKeyA, 0));
  EXPECT_EQ(reservation(), "00000002" "00000000");  // RELEASE leaves PRgeneration alone
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kReservationsReleased);
  expect_good(run(1, cdb16({0x00}), kNexusA));
}

TEST_F(PersistentReserveOutTest, ClearRemovesEverythingAndTellsTheOthers) {
  register_both();
  expect_good(out(kReserve, kExclusiveAccess, kKeyA, 0));
  expect_conflict(out(kClear, 0, 0x99, 0, kNexusB));
  expect_good(out(kClear, 0, kKeyB, 0, kNexusB));
  EXPECT_EQ(keys(kNexusB), "00000003" "00000000");
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kReservationsPreempted);
  expect_good(run(1, cdb16({0x00}), kNexusB));
}

TEST_F(PersistentReserveOutTest, PreemptTakesTheReservation) {
  register_both();
  expect_good(out(kReserve, kWriteExclusive, kKeyA, 0));
  expect_good(out(kPreempt, kExclusiveAccess, kKeyB, kKeyA, kNexusB));
  EXPECT_EQ(keys(kNexusB), "00000003" "00000008" "00000000000000b2");
  EXPECT_EQ(reservation(kNexusB),
            "00000003" "00000010" "00000000000000b2" "00000000" "0003" "0000");
  expect_check_condition(run(1, pr_in_cdb(0x00), kNexusA), SenseKey::unit_attention,
                         asc::kRegistrationsPreempted);
  expect_conflict(run(1, kReadLike, kNexusA));
}

TEST_F(PersistentReserveOutTest, PreemptRegistrationOnly) {
  register_both();
  expect_good(out(kPreemptAndAbort, kWriteExclusive, kKeyA, kKeyB));
  EXPECT_EQ(keys(), "00000003" "00000008" "00000000000000a1");
  EXPECT_EQ(reservation(), "00000003" "00000000");  // no reservation was made
  expect_conflict(out(kPreempt, kWriteExclusive, kKeyA, 0x4444));  // nobody has that key
  expect_check_condition(out(kPreempt, kWriteExclusive, kKeyA, 0), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(8));
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kRegistrationsPreempted);
  expect_conflict(out(kPreempt, kWriteExclusive, kKeyB, kKeyA, kNexusB));  // B is gone
}

TEST_F(PersistentReserveOutTest, PreemptAllRegistrantsWithKeyZero) {
  register_both();
  expect_good(out(kReserve, kExclusiveAccessAllRegistrants, kKeyA, 0));
  expect_good(out(kPreempt, kWriteExclusive, kKeyB, 0, kNexusB));
  EXPECT_EQ(keys(kNexusB), "00000003" "00000008" "00000000000000b2");
  EXPECT_EQ(reservation(kNexusB),
            "00000003" "00000010" "00000000000000b2" "00000000" "0001" "0000");
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kRegistrationsPreempted);
}

TEST_F(PersistentReserveOutTest, ParameterListChecks) {
  expect_check_condition(run(1, pr_out_cdb(kRegister, 0, 23), kNexusA, pr_out_list(0, kKeyA)),
                         SenseKey::illegal_request, asc::kParameterListLengthError);
  expect_check_condition(run(1, pr_out_cdb(kRegister, 0, 24), kNexusA, Bytes(10, 0)),
                         SenseKey::illegal_request, asc::kParameterListLengthError);
  expect_check_condition(out(kRegister, 0, 0, kKeyA, kNexusA, 0x01), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(20, 0));
  expect_check_condition(out(kRegister, 0, 0, kKeyA, kNexusA, 0x04), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(20, 2));
  expect_check_condition(out(kRegister, 0, 0, kKeyA, kNexusA, 0x08), SenseKey::illegal_request,
                         asc::kInvalidFieldInParameterList, parameter_field(20, 3));
  const CommandResult registered = out(kRegister, 0, 0, kKeyA);
  expect_good(registered);
  EXPECT_EQ(registered.data_out_wanted, 24u);
}

TEST_F(PersistentReserveOutTest, TypeAndScopeChecks) {
  register_both();
  expect_check_condition(out(kReserve, 0x02, kKeyA, 0), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(2, 3));
  expect_check_condition(out(kReserve, 0x11, kKeyA, 0), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(2, 7));
  // REGISTER ignores TYPE.
  expect_good(out(kRegister, 0x02, kKeyA, kKeyA));
}

TEST_F(PersistentReserveOutTest, RegistrationsSurviveTheSession) {
  expect_good(out(kRegister, 0, 0, kKeyA));
  port_->nexus_removed(kNexusA);
  add_nexus(kNexusA);
  clear_unit_attentions(kNexusA);
  EXPECT_EQ(keys(), "00000001" "00000008" "00000000000000a1");
  expect_good(out(kRegister, 0, kKeyA, 0));  // still registered under the same port name
}

}  // namespace
}  // namespace iscsi::target::scsi::test
