#pragma once
// PERSISTENT RESERVE IN/OUT command builders for the tests.
#include <cstdint>

#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {

// SPC-4 §6.15.3: the 24-byte basic parameter list.
inline Bytes pr_out_list(std::uint64_t key, std::uint64_t action_key, std::uint8_t flags = 0) {
  Bytes list(24, 0);
  store_be64(&list[0], key);
  store_be64(&list[8], action_key);
  list[20] = flags;
  return list;
}

inline Bytes pr_out_cdb(std::uint8_t action, std::uint8_t type = 0, std::uint32_t length = 24) {
  Bytes cdb = cdb16({0x5f, action, type});
  store_be32(&cdb[5], length);
  return cdb;
}

inline Bytes pr_in_cdb(std::uint8_t action, std::uint16_t allocation = 0x1000) {
  Bytes cdb = cdb16({0x5e, action});
  store_be16(&cdb[7], allocation);
  return cdb;
}

inline constexpr std::uint8_t kRegister = 0x00;
inline constexpr std::uint8_t kReserve = 0x01;
inline constexpr std::uint8_t kRelease = 0x02;
inline constexpr std::uint8_t kClear = 0x03;
inline constexpr std::uint8_t kPreempt = 0x04;
inline constexpr std::uint8_t kPreemptAndAbort = 0x05;
inline constexpr std::uint8_t kRegisterAndIgnore = 0x06;
inline constexpr std::uint8_t kWriteExclusive = 0x1;
inline constexpr std::uint8_t kExclusiveAccess = 0x3;
inline constexpr std::uint8_t kWriteExclusiveRegistrantsOnly = 0x5;
inline constexpr std::uint8_t kExclusiveAccessRegistrantsOnly = 0x6;
inline constexpr std::uint8_t kWriteExclusiveAllRegistrants = 0x7;
inline constexpr std::uint8_t kExclusiveAccessAllRegistrants = 0x8;

}  // namespace iscsi::target::scsi::test
