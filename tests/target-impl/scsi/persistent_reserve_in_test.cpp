// PERSISTENT RESERVE IN (SPC-4 §6.14), byte for byte.
#include "tests/target-impl/scsi/pr_helpers.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class PersistentReserveInTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
  Bytes pr_in(std::uint8_t action, std::uint16_t allocation = 0x1000) {
    const CommandResult result = run(1, pr_in_cdb(action, allocation));
    expect_good(result);
    return result.data_in;
  }
  void out(std::uint8_t action, std::uint8_t type, std::uint64_t key, std::uint64_t action_key,
           NexusId nexus = kNexusA) {
    expect_good(run(1, pr_out_cdb(action, type), nexus, pr_out_list(key, action_key)));
  }
};

TEST_F(PersistentReserveInTest, EmptyState) {
  EXPECT_EQ(to_hex(pr_in(0x00)), "0000000000000000");
  EXPECT_EQ(to_hex(pr_in(0x01)), "0000000000000000");
  EXPECT_EQ(to_hex(pr_in(0x03)), "0000000000000000");
}

TEST_F(PersistentReserveInTest, ReadKeysAndGeneration) {
  out(kRegister, 0, 0, 0xaa);
  out(kRegisterAndIgnore, 0, 0, 0xbb, kNexusB);
  EXPECT_EQ(to_hex(pr_in(0x00)), "00000002" "00000010" "00000000000000aa" "00000000000000bb");
  EXPECT_EQ(to_hex(pr_in(0x00, 12)), "00000002" "00000010" "00000000");
}

TEST_F(PersistentReserveInTest, ReadReservation) {
  out(kRegister, 0, 0, 0xaa);
  out(kReserve, kWriteExclusiveRegistrantsOnly, 0xaa, 0);
  EXPECT_EQ(to_hex(pr_in(0x01)),
            "00000001" "00000010" "00000000000000aa" "00000000" "00" "05" "0000");
}

TEST_F(PersistentReserveInTest, AllRegistrantsReservationReportsKeyZero) {
  out(kRegister, 0, 0, 0xaa);
  out(kReserve, kExclusiveAccessAllRegistrants, 0xaa, 0);
  EXPECT_EQ(to_hex(pr_in(0x01)),
            "00000001" "00000010" "0000000000000000" "00000000" "00" "08" "0000");
}

TEST_F(PersistentReserveInTest, ReportCapabilities) {
  EXPECT_EQ(to_hex(pr_in(0x02)), "0008" "10" "80" "ea01" "0000");
}

TEST_F(PersistentReserveInTest, ReadFullStatus) {
  out(kRegister, 0, 0, 0xaa);
  out(kReserve, kExclusiveAccess, 0xaa, 0);
  const Bytes data = pr_in(0x03);
  // iSCSI TransportID: format 01b, name ",i,0x" ISID, NUL, padded to four.
  const std::string name = make_nexus(kNexusA).initiator_port_name;
  Bytes id(name.begin(), name.end());
  id.push_back(0);
  while (id.size() % 4 != 0) id.push_back(0);
  Bytes expected(8, 0);
  store_be32(&expected[0], 1);
  Bytes descriptor(24, 0);
  store_be64(&descriptor[0], 0xaa);
  descriptor[12] = 0x01;
  descriptor[13] = kExclusiveAccess;
  store_be16(&descriptor[18], 1);
  store_be32(&descriptor[20], static_cast<std::uint32_t>(4 + id.size()));
  expected.insert(expected.end(), descriptor.begin(), descriptor.end());
  expected.insert(expected.end(), {0x45, 0x00, 0x00, static_cast<std::uint8_t>(id.size())});
  expected.insert(expected.end(), id.begin(), id.end());
  store_be32(&expected[4], static_cast<std::uint32_t>(expected.size() - 8));
  EXPECT_EQ(to_hex(data), to_hex(expected));
}

TEST_F(PersistentReserveInTest, ServiceActionsBeyondThreeAreInvalid) {
  for (std::uint8_t action = 4; action < 0x20; ++action) {
    expect_check_condition(run(1, pr_in_cdb(action)), SenseKey::illegal_request,
                           asc::kInvalidFieldInCdb, cdb_field(1, 4));
  }
}

}  // namespace
}  // namespace iscsi::target::scsi::test
