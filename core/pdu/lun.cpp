#include "core/pdu/lun.hpp"

#include <fmt/format.h>

#include "core/common/bytes.hpp"

namespace iscsi::pdu {
namespace {

// SAM-2 §4.9.3: the address method is the top two bits of the first byte.
constexpr std::uint8_t kAddressMethodMask = 0xc0;
constexpr std::uint8_t kPeripheralMethod = 0x00;
constexpr std::uint8_t kFlatSpaceMethod = 0x40;

}  // namespace

std::optional<Lun> Lun::from_number(std::uint32_t number) {
  Lun lun;
  if (number < kPeripheralLimit) {
    lun.bytes[1] = static_cast<std::uint8_t>(number);
    return lun;
  }
  if (number > kMaxFlatNumber) return std::nullopt;
  lun.bytes[0] = static_cast<std::uint8_t>(kFlatSpaceMethod | (number >> 8));
  lun.bytes[1] = static_cast<std::uint8_t>(number);
  return lun;
}

Lun Lun::from_raw(std::uint64_t raw) {
  Lun lun;
  store_be64(lun.bytes.data(), raw);
  return lun;
}

std::uint64_t Lun::raw() const { return load_be64(bytes.data()); }

std::optional<std::uint16_t> Lun::to_number() const {
  // Only the first level (bytes 0-1) may be used; the other levels must be empty.
  for (std::size_t i = 2; i < bytes.size(); ++i) {
    if (bytes[i] != 0) return std::nullopt;
  }
  const auto method = static_cast<std::uint8_t>(bytes[0] & kAddressMethodMask);
  if (method == kPeripheralMethod) {
    // A non-zero bus identifier addresses another bus, not a LUN of this target.
    if (bytes[0] != 0) return std::nullopt;
    return bytes[1];
  }
  if (method == kFlatSpaceMethod) {
    return static_cast<std::uint16_t>(((bytes[0] & 0x3f) << 8) | bytes[1]);
  }
  return std::nullopt;
}

std::string Lun::to_string() const {
  if (const auto number = to_number()) return fmt::format("{}", *number);
  return fmt::format("0x{:016x}", raw());
}

}  // namespace iscsi::pdu
