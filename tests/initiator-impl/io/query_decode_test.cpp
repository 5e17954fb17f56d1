#include "initiator-impl/io/query_decode.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace iscsi::initiator::io {
namespace {

Bytes standard_inquiry() {
  Bytes data(36, ' ');
  data[0] = 0x00;  // connected, direct access block device
  data[2] = 0x06;  // SPC-4
  std::memcpy(data.data() + 8, "IET", 3);
  std::memcpy(data.data() + 16, "VIRTUAL-DISK", 12);
  std::memcpy(data.data() + 32, "0001", 4);
  return data;
}

TEST(QueryDecode, InquiryFieldsWithoutTrailingBlanks) {
  const DecodedAnswer answer = decode_inquiry(standard_inquiry());
  EXPECT_EQ(answer.error, "");
  EXPECT_EQ(answer.lines,
            (std::vector<std::string>{"vendor: IET", "product: VIRTUAL-DISK", "revision: 0001",
                                      "peripheral type: 0x00 (direct access block device)",
                                      "peripheral qualifier: 0 (connected)", "version: 0x06"}));
}

TEST(QueryDecode, ShortInquiryAndOddBytes) {
  Bytes data = standard_inquiry();
  data[0] = 0x7f;
  data[9] = 0x01;
  const DecodedAnswer answer = decode_inquiry(data);
  EXPECT_EQ(answer.lines[0], "vendor: I?T");
  EXPECT_EQ(answer.lines[3], "peripheral type: 0x1f (unknown or no device type)");
  EXPECT_EQ(answer.lines[4],
            "peripheral qualifier: 3 (not capable of supporting a device on "
            "this logical unit)");
  for (std::size_t size = 0; size < 36; ++size) {
    const DecodedAnswer short_answer = decode_inquiry(ByteView(data).first(size));
    EXPECT_EQ(short_answer.error, "INQUIRY returned " + std::to_string(size) +
                                      " bytes, fewer than the 36 of standard data");
    EXPECT_TRUE(short_answer.lines.empty());
  }
}

TEST(QueryDecode, ReadCapacityWithThinProvisioningBits) {
  Bytes data(32, 0);
  store_be64(data.data(), 0x1fff);  // last LBA
  store_be32(data.data() + 8, 4096);
  data[14] = 0xc0;  // LBPME and LBPRZ
  const DecodedAnswer answer = decode_read_capacity16(data);
  EXPECT_EQ(answer.lines,
            (std::vector<std::string>{"blocks: 8192", "block size: 4096 bytes", "bytes: 33554432",
                                      "thin provisioning: lbpme=1 lbprz=1"}));
  EXPECT_EQ(decode_read_capacity16(ByteView(data).first(12)).lines.size(), 3U);
  EXPECT_EQ(decode_read_capacity16(ByteView(data).first(11)).error,
            "READ CAPACITY(16) returned 11 bytes, fewer than 12");
}

TEST(QueryDecode, ReportLunsListAndTruncation) {
  Bytes data(8 + 3 * 8, 0);
  store_be32(data.data(), 4 * 8);  // four listed, three returned
  data[8 + 8 + 1] = 1;
  data[8 + 16] = 0x40;  // flat space addressing: LUN 0x0123 = 291
  data[8 + 16 + 1] = 0x23;
  data[8 + 16] = static_cast<std::uint8_t>(data[8 + 16] | 0x01);
  const DecodedAnswer answer = decode_report_luns(data);
  EXPECT_EQ(answer.lines, (std::vector<std::string>{"LUN 0", "LUN 1", "LUN 291",
                                                    "(1 more LUNs listed than returned)"}));
  EXPECT_EQ(decode_report_luns(ByteView(data).first(7)).error,
            "REPORT LUNS returned 7 bytes, fewer than the 8-byte header");
}

}  // namespace
}  // namespace iscsi::initiator::io
