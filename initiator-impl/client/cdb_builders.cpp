#include "initiator-impl/client/cdb_builders.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace iscsi::initiator::client::cdb {
namespace {

constexpr std::uint8_t kInquiry = 0x12;
constexpr std::uint8_t kReportLuns = 0xa0;
constexpr std::uint8_t kServiceActionIn16 = 0x9e;
constexpr std::uint8_t kReadCapacity16Action = 0x10;
constexpr std::uint8_t kTestUnitReady = 0x00;
constexpr std::uint8_t kRead10 = 0x28;
constexpr std::uint8_t kRead16 = 0x88;
constexpr std::uint8_t kWrite10 = 0x2a;
constexpr std::uint8_t kWrite16 = 0x8a;
constexpr std::uint8_t kSynchronizeCache10 = 0x35;

CdbBytes rw10(std::uint8_t opcode, std::uint32_t lba, std::uint16_t blocks) {
  CdbBytes cdb(10, 0);
  cdb[0] = opcode;
  store_be32(cdb.data() + 2, lba);
  store_be16(cdb.data() + 7, blocks);
  return cdb;
}

CdbBytes rw16(std::uint8_t opcode, std::uint64_t lba, std::uint32_t blocks) {
  CdbBytes cdb(16, 0);
  cdb[0] = opcode;
  store_be64(cdb.data() + 2, lba);
  store_be32(cdb.data() + 10, blocks);
  return cdb;
}

bool fits10(std::uint64_t lba, std::uint64_t blocks) {
  return lba <= std::numeric_limits<std::uint32_t>::max() &&
         blocks <= std::numeric_limits<std::uint16_t>::max();
}

}  // namespace

CdbBytes inquiry(std::uint16_t allocation_length, bool evpd, std::uint8_t page_code) {
  CdbBytes cdb(6, 0);
  cdb[0] = kInquiry;
  cdb[1] = evpd ? 0x01 : 0x00;
  cdb[2] = page_code;
  store_be16(cdb.data() + 3, allocation_length);
  return cdb;
}

CdbBytes report_luns(std::uint32_t allocation_length) {
  CdbBytes cdb(12, 0);
  cdb[0] = kReportLuns;
  store_be32(cdb.data() + 6, allocation_length);
  return cdb;
}

CdbBytes read_capacity16(std::uint32_t allocation_length) {
  CdbBytes cdb(16, 0);
  cdb[0] = kServiceActionIn16;
  cdb[1] = kReadCapacity16Action;
  store_be32(cdb.data() + 10, allocation_length);
  return cdb;
}

CdbBytes test_unit_ready() { return CdbBytes(6, kTestUnitReady); }
CdbBytes read10(std::uint32_t lba, std::uint16_t blocks) { return rw10(kRead10, lba, blocks); }
CdbBytes read16(std::uint64_t lba, std::uint32_t blocks) { return rw16(kRead16, lba, blocks); }
CdbBytes write10(std::uint32_t lba, std::uint16_t blocks) { return rw10(kWrite10, lba, blocks); }
CdbBytes write16(std::uint64_t lba, std::uint32_t blocks) { return rw16(kWrite16, lba, blocks); }

CdbBytes synchronize_cache10() {
  CdbBytes cdb(10, 0);
  cdb[0] = kSynchronizeCache10;
  return cdb;
}

session::ScsiRequest data_in_request(pdu::Lun lun, CdbBytes cdb, std::uint32_t length) {
  session::ScsiRequest request;
  request.lun = lun;
  request.cdb = std::move(cdb);
  request.expected_data_in_length = length;
  return request;
}

session::ScsiRequest read_request(pdu::Lun lun, std::uint64_t lba, std::uint32_t blocks,
                                  std::uint32_t block_size) {
  CdbBytes command = fits10(lba, blocks) ? read10(static_cast<std::uint32_t>(lba),
                                                  static_cast<std::uint16_t>(blocks))
                                         : read16(lba, blocks);
  return data_in_request(lun, std::move(command), blocks * block_size);
}

session::ScsiRequest write_request(pdu::Lun lun, std::uint64_t lba, Bytes data,
                                   std::uint32_t block_size) {
  const std::uint64_t blocks = block_size == 0 ? 0 : data.size() / block_size;
  session::ScsiRequest request;
  request.lun = lun;
  request.cdb = fits10(lba, blocks)
                    ? write10(static_cast<std::uint32_t>(lba), static_cast<std::uint16_t>(blocks))
                    : write16(lba, static_cast<std::uint32_t>(blocks));
  request.data_out = std::move(data);
  return request;
}

session::ScsiRequest no_data_request(pdu::Lun lun, CdbBytes cdb) {
  session::ScsiRequest request;
  request.lun = lun;
  request.cdb = std::move(cdb);
  return request;
}

std::optional<Capacity> parse_read_capacity16(ByteView data) {
  if (data.size() < 12) return std::nullopt;
  return Capacity{.last_lba = load_be64(data.data()), .block_size = load_be32(data.data() + 8)};
}

std::vector<pdu::Lun> parse_report_luns(ByteView data) {
  std::vector<pdu::Lun> luns;
  if (data.size() < 8) return luns;
  const std::size_t listed = load_be32(data.data()) / 8;
  const std::size_t present = (data.size() - 8) / 8;
  for (std::size_t i = 0; i < std::min(listed, present); ++i) {
    luns.push_back(pdu::Lun::from_raw(load_be64(data.data() + 8 + i * 8)));
  }
  return luns;
}

}  // namespace iscsi::initiator::client::cdb
