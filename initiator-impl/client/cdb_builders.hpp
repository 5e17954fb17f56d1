#pragma once
// CDBs the client builds for the application (core/scsi/cdb.hpp only decodes them): the
// commands an iSCSI initiator needs to find, size, read and write a logical unit (SPC-4,
// SBC-3), and ScsiRequests around them.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/pdu/lun.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::initiator::client::cdb {

using session::CdbBytes;

// SPC-4 §6.6: standard data, or the VPD page `page_code` when `evpd`.
CdbBytes inquiry(std::uint16_t allocation_length, bool evpd = false, std::uint8_t page_code = 0);
// SPC-4 §6.33, SELECT REPORT 0 (every logical unit).
CdbBytes report_luns(std::uint32_t allocation_length);
// SBC-3 §5.16: SERVICE ACTION IN(16) with service action 10h.
CdbBytes read_capacity16(std::uint32_t allocation_length = 32);
// SPC-4 §6.37.
CdbBytes test_unit_ready();
// SBC-3 §5.11, §5.12, §5.32, §5.33. The block count is TRANSFER LENGTH.
CdbBytes read10(std::uint32_t lba, std::uint16_t blocks);
CdbBytes read16(std::uint64_t lba, std::uint32_t blocks);
CdbBytes write10(std::uint32_t lba, std::uint16_t blocks);
CdbBytes write16(std::uint64_t lba, std::uint32_t blocks);
// SBC-3 §5.22: the whole medium (LBA 0, 0 blocks).
CdbBytes synchronize_cache10();

// Requests for the data-in and data-out commands above.
session::ScsiRequest data_in_request(pdu::Lun lun, CdbBytes cdb, std::uint32_t length);
session::ScsiRequest read_request(pdu::Lun lun, std::uint64_t lba, std::uint32_t blocks,
                                  std::uint32_t block_size);
// WRITE(16) when the LBA or the block count does not fit WRITE(10). `data` must be a whole
// number of blocks.
session::ScsiRequest write_request(pdu::Lun lun, std::uint64_t lba, Bytes data,
                                   std::uint32_t block_size);
session::ScsiRequest no_data_request(pdu::Lun lun, CdbBytes cdb);

// READ CAPACITY(16) parameter data (SBC-3 §5.16.2), nullopt when shorter than 12 bytes.
struct Capacity {
  std::uint64_t last_lba = 0;
  std::uint32_t block_size = 0;
};
std::optional<Capacity> parse_read_capacity16(ByteView data);
// REPORT LUNS parameter data (SPC-4 §6.33.2): the LUNs listed, bounded by the data received.
std::vector<pdu::Lun> parse_report_luns(ByteView data);

}  // namespace iscsi::initiator::client::cdb
