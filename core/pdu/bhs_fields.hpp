#pragma once
// Internal: per-opcode BHS field layouts (RFC 7143 §11.3-§11.19). write_fields() stores the
// fields a header struct holds; read_fields_into() reads the same ones back. Bytes 4-7
// (lengths), reserved bits and always-one bits are handled generically by the codec
// (bhs_rules.hpp), so every BHS bit is either a field here or a rule there.
#include <algorithm>
#include <cstdint>

#include "core/common/bytes.hpp"
#include "core/pdu/pdu.hpp"

namespace iscsi::pdu::detail {

inline constexpr std::uint8_t kImmediateBit = 0x40;  // byte 0
inline constexpr std::uint8_t kFinalBit = 0x80;      // byte 1
inline constexpr std::size_t kLunOffset = 8;
inline constexpr std::size_t kIttOffset = 16;

inline bool has_bit(std::uint8_t byte, std::uint8_t mask) { return (byte & mask) != 0; }
inline std::uint8_t bit_if(bool value, std::uint8_t mask) { return value ? mask : std::uint8_t{0}; }

inline Lun read_lun(const std::uint8_t* bhs) {
  Lun lun;
  std::copy_n(bhs + kLunOffset, lun.bytes.size(), lun.bytes.begin());
  return lun;
}
inline void write_lun(std::uint8_t* bhs, const Lun& lun) {
  std::copy(lun.bytes.begin(), lun.bytes.end(), bhs + kLunOffset);
}

// Stores the header's fields into a zero-filled 48-byte BHS; byte 0 gets the I bit only.
void write_fields(const Header& header, std::uint8_t* bhs);
// Reads the fields of `opcode` (one of the 18) from a 48-byte BHS into `header`, which then
// holds that opcode's header with nothing left of what it held before.
void read_fields_into(Opcode opcode, const std::uint8_t* bhs, Header& header);

// One writer/reader pair per opcode: initiator PDUs in fields_initiator.cpp, target PDUs in
// fields_target.cpp.
void write(const NopOut& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, NopOut& h);
void write(const ScsiCommand& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, ScsiCommand& h);
void write(const TaskMgmtRequest& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, TaskMgmtRequest& h);
void write(const LoginRequest& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, LoginRequest& h);
void write(const TextRequest& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, TextRequest& h);
void write(const ScsiDataOut& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, ScsiDataOut& h);
void write(const LogoutRequest& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, LogoutRequest& h);
void write(const SnackRequest& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, SnackRequest& h);
void write(const NopIn& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, NopIn& h);
void write(const ScsiResponse& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, ScsiResponse& h);
void write(const TaskMgmtResponse& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, TaskMgmtResponse& h);
void write(const LoginResponse& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, LoginResponse& h);
void write(const TextResponse& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, TextResponse& h);
void write(const ScsiDataIn& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, ScsiDataIn& h);
void write(const LogoutResponse& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, LogoutResponse& h);
void write(const R2t& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, R2t& h);
void write(const AsyncMessage& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, AsyncMessage& h);
void write(const Reject& h, std::uint8_t* bhs);
void read(const std::uint8_t* bhs, Reject& h);

}  // namespace iscsi::pdu::detail
