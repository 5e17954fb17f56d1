// BHS field layouts of the target PDUs (RFC 7143 §11.4, §11.6, §11.7, §11.8, §11.9, §11.11,
// §11.13, §11.15, §11.17, §11.19). Offsets are the RFC's byte numbers. Every target PDU
// carries StatSN/ExpCmdSN/MaxCmdSN at bytes 24/28/32.
#include "core/pdu/bhs_fields.hpp"

namespace iscsi::pdu::detail {
namespace {

constexpr std::uint8_t kBidiOverflowBit = 0x10;   // SCSI Response o
constexpr std::uint8_t kBidiUnderflowBit = 0x08;  // SCSI Response u
constexpr std::uint8_t kOverflowBit = 0x04;       // O (SCSI Response, Data-In)
constexpr std::uint8_t kUnderflowBit = 0x02;      // U (SCSI Response, Data-In)
constexpr std::uint8_t kAcknowledgeBit = 0x40;    // Data-In A
constexpr std::uint8_t kStatusBit = 0x01;         // Data-In S
constexpr std::uint8_t kTransitBit = 0x80;        // Login T
constexpr std::uint8_t kContinueBit = 0x40;       // Login/Text C
constexpr std::uint8_t kStageMask = 0x03;

template <class H>
void write_sn_triple(const H& h, std::uint8_t* bhs) {
  store_be32(bhs + 24, h.stat_sn);
  store_be32(bhs + 28, h.exp_cmd_sn);
  store_be32(bhs + 32, h.max_cmd_sn);
}
template <class H>
void read_sn_triple(const std::uint8_t* bhs, H& h) {
  h.stat_sn = load_be32(bhs + 24);
  h.exp_cmd_sn = load_be32(bhs + 28);
  h.max_cmd_sn = load_be32(bhs + 32);
}

}  // namespace

void write(const NopIn& h, std::uint8_t* bhs) {
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  write_sn_triple(h, bhs);
}
void read(const std::uint8_t* bhs, NopIn& h) {
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  read_sn_triple(bhs, h);
}

void write(const ScsiResponse& h, std::uint8_t* bhs) {
  bhs[1] = static_cast<std::uint8_t>(bit_if(h.bidi_read_residual_overflow, kBidiOverflowBit) |
                                     bit_if(h.bidi_read_residual_underflow, kBidiUnderflowBit) |
                                     bit_if(h.residual_overflow, kOverflowBit) |
                                     bit_if(h.residual_underflow, kUnderflowBit));
  bhs[2] = static_cast<std::uint8_t>(h.response);
  bhs[3] = h.status;
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.snack_tag);
  write_sn_triple(h, bhs);
  store_be32(bhs + 36, h.exp_data_sn);
  store_be32(bhs + 40, h.bidi_read_residual_count);
  store_be32(bhs + 44, h.residual_count);
}
void read(const std::uint8_t* bhs, ScsiResponse& h) {
  h.bidi_read_residual_overflow = has_bit(bhs[1], kBidiOverflowBit);
  h.bidi_read_residual_underflow = has_bit(bhs[1], kBidiUnderflowBit);
  h.residual_overflow = has_bit(bhs[1], kOverflowBit);
  h.residual_underflow = has_bit(bhs[1], kUnderflowBit);
  h.response = static_cast<ScsiResponseCode>(bhs[2]);
  h.status = bhs[3];
  h.itt = load_be32(bhs + 16);
  h.snack_tag = load_be32(bhs + 20);
  read_sn_triple(bhs, h);
  h.exp_data_sn = load_be32(bhs + 36);
  h.bidi_read_residual_count = load_be32(bhs + 40);
  h.residual_count = load_be32(bhs + 44);
}

void write(const TaskMgmtResponse& h, std::uint8_t* bhs) {
  bhs[2] = static_cast<std::uint8_t>(h.response);
  store_be32(bhs + 16, h.itt);
  write_sn_triple(h, bhs);
}
void read(const std::uint8_t* bhs, TaskMgmtResponse& h) {
  h.response = static_cast<TmfResponse>(bhs[2]);
  h.itt = load_be32(bhs + 16);
  read_sn_triple(bhs, h);
}

void write(const LoginResponse& h, std::uint8_t* bhs) {
  bhs[1] =
      static_cast<std::uint8_t>(bit_if(h.transit, kTransitBit) | bit_if(h.continue_, kContinueBit) |
                                ((static_cast<std::uint8_t>(h.csg) & kStageMask) << 2) |
                                (static_cast<std::uint8_t>(h.nsg) & kStageMask));
  bhs[2] = h.version_max;
  bhs[3] = h.version_active;
  std::copy(h.isid.bytes.begin(), h.isid.bytes.end(), bhs + 8);
  store_be16(bhs + 14, h.tsih);
  store_be32(bhs + 16, h.itt);
  write_sn_triple(h, bhs);
  bhs[36] = h.status_class;
  bhs[37] = h.status_detail;
}
void read(const std::uint8_t* bhs, LoginResponse& h) {
  h.transit = has_bit(bhs[1], kTransitBit);
  h.continue_ = has_bit(bhs[1], kContinueBit);
  h.csg = static_cast<Stage>((bhs[1] >> 2) & kStageMask);
  h.nsg = static_cast<Stage>(bhs[1] & kStageMask);
  h.version_max = bhs[2];
  h.version_active = bhs[3];
  std::copy_n(bhs + 8, h.isid.bytes.size(), h.isid.bytes.begin());
  h.tsih = load_be16(bhs + 14);
  h.itt = load_be32(bhs + 16);
  read_sn_triple(bhs, h);
  h.status_class = bhs[36];
  h.status_detail = bhs[37];
}

void write(const TextResponse& h, std::uint8_t* bhs) {
  bhs[1] =
      static_cast<std::uint8_t>(bit_if(h.final, kFinalBit) | bit_if(h.continue_, kContinueBit));
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  write_sn_triple(h, bhs);
}
void read(const std::uint8_t* bhs, TextResponse& h) {
  h.final = has_bit(bhs[1], kFinalBit);
  h.continue_ = has_bit(bhs[1], kContinueBit);
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  read_sn_triple(bhs, h);
}

void write(const ScsiDataIn& h, std::uint8_t* bhs) {
  bhs[1] = static_cast<std::uint8_t>(
      bit_if(h.final, kFinalBit) | bit_if(h.acknowledge, kAcknowledgeBit) |
      bit_if(h.residual_overflow, kOverflowBit) | bit_if(h.residual_underflow, kUnderflowBit) |
      bit_if(h.status_present, kStatusBit));
  bhs[3] = h.status;
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  write_sn_triple(h, bhs);
  store_be32(bhs + 36, h.data_sn);
  store_be32(bhs + 40, h.buffer_offset);
  store_be32(bhs + 44, h.residual_count);
}
void read(const std::uint8_t* bhs, ScsiDataIn& h) {
  h.final = has_bit(bhs[1], kFinalBit);
  h.acknowledge = has_bit(bhs[1], kAcknowledgeBit);
  h.residual_overflow = has_bit(bhs[1], kOverflowBit);
  h.residual_underflow = has_bit(bhs[1], kUnderflowBit);
  h.status_present = has_bit(bhs[1], kStatusBit);
  h.status = bhs[3];
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  read_sn_triple(bhs, h);
  h.data_sn = load_be32(bhs + 36);
  h.buffer_offset = load_be32(bhs + 40);
  h.residual_count = load_be32(bhs + 44);
}

void write(const LogoutResponse& h, std::uint8_t* bhs) {
  bhs[2] = static_cast<std::uint8_t>(h.response);
  store_be32(bhs + 16, h.itt);
  write_sn_triple(h, bhs);
  store_be16(bhs + 40, h.time2wait);
  store_be16(bhs + 42, h.time2retain);
}
void read(const std::uint8_t* bhs, LogoutResponse& h) {
  h.response = static_cast<LogoutResponseCode>(bhs[2]);
  h.itt = load_be32(bhs + 16);
  read_sn_triple(bhs, h);
  h.time2wait = load_be16(bhs + 40);
  h.time2retain = load_be16(bhs + 42);
}

void write(const R2t& h, std::uint8_t* bhs) {
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  store_be32(bhs + 20, h.ttt);
  write_sn_triple(h, bhs);
  store_be32(bhs + 36, h.r2t_sn);
  store_be32(bhs + 40, h.buffer_offset);
  store_be32(bhs + 44, h.desired_data_transfer_length);
}
void read(const std::uint8_t* bhs, R2t& h) {
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  h.ttt = load_be32(bhs + 20);
  read_sn_triple(bhs, h);
  h.r2t_sn = load_be32(bhs + 36);
  h.buffer_offset = load_be32(bhs + 40);
  h.desired_data_transfer_length = load_be32(bhs + 44);
}

void write(const AsyncMessage& h, std::uint8_t* bhs) {
  write_lun(bhs, h.lun);
  store_be32(bhs + 16, h.itt);
  write_sn_triple(h, bhs);
  bhs[36] = static_cast<std::uint8_t>(h.async_event);
  bhs[37] = h.async_vcode;
  store_be16(bhs + 38, h.parameter1);
  store_be16(bhs + 40, h.parameter2);
  store_be16(bhs + 42, h.parameter3);
}
void read(const std::uint8_t* bhs, AsyncMessage& h) {
  h.lun = read_lun(bhs);
  h.itt = load_be32(bhs + 16);
  read_sn_triple(bhs, h);
  h.async_event = static_cast<AsyncEvent>(bhs[36]);
  h.async_vcode = bhs[37];
  h.parameter1 = load_be16(bhs + 38);
  h.parameter2 = load_be16(bhs + 40);
  h.parameter3 = load_be16(bhs + 42);
}

void write(const Reject& h, std::uint8_t* bhs) {
  bhs[2] = static_cast<std::uint8_t>(h.reason);
  store_be32(bhs + 16, h.itt);
  write_sn_triple(h, bhs);
  store_be32(bhs + 36, h.data_sn_r2t_sn);
}
void read(const std::uint8_t* bhs, Reject& h) {
  h.reason = static_cast<RejectReason>(bhs[2]);
  h.itt = load_be32(bhs + 16);
  read_sn_triple(bhs, h);
  h.data_sn_r2t_sn = load_be32(bhs + 36);
}

}  // namespace iscsi::pdu::detail
