// BHS field layouts of the initiator PDUs (RFC 7143 §11.3, §11.5, §11.7, §11.10, §11.12,
// §11.14, §11.16, §11.18). Offsets are the RFC's byte numbers.
#include "core/pdu/bhs_fields.hpp"

namespace iscsi::pdu::detail {
namespace {

constexpr std::uint8_t kReadBit = 0x40;      // SCSI Command R
constexpr std::uint8_t kWriteBit = 0x20;     // SCSI Command W
constexpr std::uint8_t kAttrMask = 0x07;     // SCSI Command ATTR
constexpr std::uint8_t kTransitBit = 0x80;   // Login T
constexpr std::uint8_t kContinueBit = 0x40;  // Login/Text C
constexpr std::uint8_t kStageMask = 0x03;    // Login CSG (after >> 2) and NSG
constexpr std::uint8_t kCodeMask7 = 0x7f;    // TMF Function, Logout Reason Code
constexpr std::uint8_t kSnackTypeMask = 0x0f;

void write_immediate(std::uint8_t* bhs, bool immediate) {
  bhs[0] = bit_if(immediate, kImmediateBit);
}
bool read_immediate(const std::uint8_t* bhs) { return has_bit(bhs[0], kImmediateBit); }

}  // namespace

void write(const NopOut& h, std::uint8_t* bhs) {
  write_immediate(bhs, h.immediate);
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
}
void read(const std::uint8_t* bhs, NopOut& h) {
  h.immediate = read_immediate(bhs);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
}

void write(const ScsiCommand& h, std::uint8_t* bhs) {
  write_immediate(bhs, h.immediate);
  bhs[1] = static_cast<std::uint8_t>(bit_if(h.final, kFinalBit) | bit_if(h.read, kReadBit) |
                                     bit_if(h.write, kWriteBit) |
                                     (static_cast<std::uint8_t>(h.attr) & kAttrMask));
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.expected_data_transfer_length);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
  std::copy(h.cdb.begin(), h.cdb.end(), bhs + 32);
}
void read(const std::uint8_t* bhs, ScsiCommand& h) {
  h.immediate = read_immediate(bhs);
  h.final = has_bit(bhs[1], kFinalBit);
  h.read = has_bit(bhs[1], kReadBit);
  h.write = has_bit(bhs[1], kWriteBit);
  h.attr = static_cast<TaskAttribute>(bhs[1] & kAttrMask);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.expected_data_transfer_length = load_be32(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
  std::copy_n(bhs + 32, h.cdb.size(), h.cdb.begin());
}

void write(const TaskMgmtRequest& h, std::uint8_t* bhs) {
  write_immediate(bhs, h.immediate);
  bhs[1] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(h.function) & kCodeMask7);
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.referenced_task_tag);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
  store_be32(bhs + 32, h.ref_cmd_sn);
  store_be32(bhs + 36, h.exp_data_sn);
}
void read(const std::uint8_t* bhs, TaskMgmtRequest& h) {
  h.immediate = read_immediate(bhs);
  h.function = static_cast<TmfFunction>(bhs[1] & kCodeMask7);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.referenced_task_tag = load_be32(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
  h.ref_cmd_sn = load_be32(bhs + 32);
  h.exp_data_sn = load_be32(bhs + 36);
}

void write(const LoginRequest& h, std::uint8_t* bhs) {
  // Byte 0's I bit is an always-one bit of the Login Request (bhs_rules.cpp).
  bhs[1] =
      static_cast<std::uint8_t>(bit_if(h.transit, kTransitBit) | bit_if(h.continue_, kContinueBit) |
                                ((static_cast<std::uint8_t>(h.csg) & kStageMask) << 2) |
                                (static_cast<std::uint8_t>(h.nsg) & kStageMask));
  bhs[2] = h.version_max;
  bhs[3] = h.version_min;
  std::copy(h.isid.bytes.begin(), h.isid.bytes.end(), bhs + 8);
  store_be16(bhs + 14, h.tsih);
  store_be32(bhs + 16, h.itt);
  store_be16(bhs + 20, h.cid);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
}
void read(const std::uint8_t* bhs, LoginRequest& h) {
  h.transit = has_bit(bhs[1], kTransitBit);
  h.continue_ = has_bit(bhs[1], kContinueBit);
  h.csg = static_cast<Stage>((bhs[1] >> 2) & kStageMask);
  h.nsg = static_cast<Stage>(bhs[1] & kStageMask);
  h.version_max = bhs[2];
  h.version_min = bhs[3];
  std::copy_n(bhs + 8, h.isid.bytes.size(), h.isid.bytes.begin());
  h.tsih = load_be16(bhs + 14);
  h.itt = load_be32(bhs + 16);
  h.cid = load_be16(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
}

void write(const TextRequest& h, std::uint8_t* bhs) {
  write_immediate(bhs, h.immediate);
  bhs[1] =
      static_cast<std::uint8_t>(bit_if(h.final, kFinalBit) | bit_if(h.continue_, kContinueBit));
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
}
void read(const std::uint8_t* bhs, TextRequest& h) {
  h.immediate = read_immediate(bhs);
  h.final = has_bit(bhs[1], kFinalBit);
  h.continue_ = has_bit(bhs[1], kContinueBit);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
}

void write(const ScsiDataOut& h, std::uint8_t* bhs) {
  bhs[1] = bit_if(h.final, kFinalBit);
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  store_be32(bhs + 28, h.exp_stat_sn);
  store_be32(bhs + 36, h.data_sn);
  store_be32(bhs + 40, h.buffer_offset);
}
void read(const std::uint8_t* bhs, ScsiDataOut& h) {
  h.final = has_bit(bhs[1], kFinalBit);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  h.exp_stat_sn = load_be32(bhs + 28);
  h.data_sn = load_be32(bhs + 36);
  h.buffer_offset = load_be32(bhs + 40);
}

void write(const LogoutRequest& h, std::uint8_t* bhs) {
  write_immediate(bhs, h.immediate);
  bhs[1] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(h.reason_code) & kCodeMask7);
  store_be32(bhs + 16, h.itt);
  store_be16(bhs + 20, h.cid);
  store_be32(bhs + 24, h.cmd_sn);
  store_be32(bhs + 28, h.exp_stat_sn);
}
void read(const std::uint8_t* bhs, LogoutRequest& h) {
  h.immediate = read_immediate(bhs);
  h.reason_code = static_cast<LogoutReason>(bhs[1] & kCodeMask7);
  h.itt = load_be32(bhs + 16);
  h.cid = load_be16(bhs + 20);
  h.cmd_sn = load_be32(bhs + 24);
  h.exp_stat_sn = load_be32(bhs + 28);
}

void write(const SnackRequest& h, std::uint8_t* bhs) {
  bhs[1] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(h.type) & kSnackTypeMask);
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  store_be32(bhs + 28, h.exp_stat_sn);
  store_be32(bhs + 40, h.beg_run);
  store_be32(bhs + 44, h.run_length);
}
void read(const std::uint8_t* bhs, SnackRequest& h) {
  h.type = static_cast<SnackType>(bhs[1] & kSnackTypeMask);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  h.exp_stat_sn = load_be32(bhs + 28);
  h.beg_run = load_be32(bhs + 40);
  h.run_length = load_be32(bhs + 44);
}

}  // namespace iscsi::pdu::detail
