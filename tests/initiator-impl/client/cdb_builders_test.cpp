#include "initiator-impl/client/cdb_builders.hpp"

#include <gtest/gtest.h>

#include "core/scsi/cdb.hpp"

namespace iscsi::initiator::client::cdb {
namespace {

const pdu::Lun kLun = *pdu::Lun::from_number(2);

TEST(CdbBuilders, ReadAndWriteDecodeToTheirFields) {
  const auto read = scsi::decode_rw(read10(0x01020304, 9));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().kind, scsi::RwKind::read);
  EXPECT_EQ(read.value().cdb_length, 10u);
  EXPECT_EQ(read.value().lba, 0x01020304u);
  EXPECT_EQ(read.value().transfer_length, 9u);
  const auto write = scsi::decode_rw(write16(0x1'0000'0002, 70000));
  ASSERT_TRUE(write.ok());
  EXPECT_EQ(write.value().kind, scsi::RwKind::write);
  EXPECT_EQ(write.value().cdb_length, 16u);
  EXPECT_EQ(write.value().lba, 0x1'0000'0002u);
  EXPECT_EQ(write.value().transfer_length, 70000u);
}

TEST(CdbBuilders, RequestsChooseTheSixteenByteFormOnlyWhenNeeded) {
  const session::ScsiRequest small = read_request(kLun, 100, 8, 512);
  EXPECT_EQ(small.cdb.size(), 10u);
  EXPECT_EQ(small.expected_data_in_length, 4096u);
  EXPECT_EQ(small.lun, kLun);
  const session::ScsiRequest far = read_request(kLun, 0x1'0000'0000, 1, 512);
  EXPECT_EQ(far.cdb.size(), 16u);
  const session::ScsiRequest write = write_request(kLun, 3, Bytes(1024, 0xab), 512);
  ASSERT_TRUE(scsi::decode_rw(write.cdb).ok());
  EXPECT_EQ(scsi::decode_rw(write.cdb).value().transfer_length, 2u);
  EXPECT_EQ(write.data_out.size(), 1024u);
  EXPECT_EQ(write_request(kLun, 0, Bytes(512u * 70000u, 0), 512).cdb.size(), 16u);
}

TEST(CdbBuilders, AllocationLengthsAreWhereTheTargetReadsThem) {
  EXPECT_EQ(scsi::allocation_length(inquiry(255)), 255u);
  EXPECT_EQ(scsi::allocation_length(report_luns(4096)), 4096u);
  EXPECT_EQ(scsi::allocation_length(read_capacity16(32)), 32u);
  EXPECT_EQ(inquiry(96, true, 0x83)[1], 0x01);
  EXPECT_EQ(inquiry(96, true, 0x83)[2], 0x83);
  EXPECT_EQ(test_unit_ready(), Bytes(6, 0));
  EXPECT_EQ(synchronize_cache10()[0], 0x35);
  EXPECT_EQ(synchronize_cache10().size(), 10u);
}

TEST(CdbBuilders, ParsersReadCapacityAndLunListsWithinTheData) {
  Bytes capacity(32, 0);
  store_be64(capacity.data(), 0x7ff);
  store_be32(capacity.data() + 8, 4096);
  const auto parsed = parse_read_capacity16(capacity);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->last_lba, 0x7ffu);
  EXPECT_EQ(parsed->block_size, 4096u);
  EXPECT_FALSE(parse_read_capacity16(ByteView(capacity.data(), 11)).has_value());

  Bytes luns(8 + 3 * 8, 0);
  store_be32(luns.data(), 4 * 8);  // claims four, carries three
  for (std::uint32_t i = 0; i < 3; ++i) {
    store_be64(luns.data() + 8 + i * 8, pdu::Lun::from_number(i + 1)->raw());
  }
  const std::vector<pdu::Lun> listed = parse_report_luns(luns);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[2].to_number(), 3);
  EXPECT_TRUE(parse_report_luns(ByteView(luns.data(), 7)).empty());
}

}  // namespace
}  // namespace iscsi::initiator::client::cdb
