#pragma once
// The 8-byte SAM logical unit number carried in BHS bytes 8-15 (RFC 7143 §11.2.1.6, SAM-2
// §4.9). The wire form is kept verbatim; helpers convert to and from a flat LUN number the way
// Linux and tgt do: peripheral device addressing (method 00b) below 256, flat space addressing
// (method 01b, first byte 0x40 | high bits) for 256..16383.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace iscsi::pdu {

struct Lun {
  std::array<std::uint8_t, 8> bytes{};

  // Largest number from_number() can represent: 14 bits of flat space addressing.
  static constexpr std::uint16_t kMaxFlatNumber = 0x3fff;
  // Numbers below this use peripheral device addressing with bus 0.
  static constexpr std::uint16_t kPeripheralLimit = 256;

  // Encodes a single-level LUN; numbers above kMaxFlatNumber are not representable and give
  // std::nullopt.
  static std::optional<Lun> from_number(std::uint32_t number);
  // The whole 64-bit field as a big-endian integer, and back.
  static Lun from_raw(std::uint64_t raw);
  std::uint64_t raw() const;

  // The flat number of a single-level LUN in peripheral (bus 0) or flat space addressing;
  // std::nullopt for other addressing methods, a non-zero bus, or a multi-level LUN.
  std::optional<std::uint16_t> to_number() const;

  // "1" for a single-level LUN, otherwise the 16 hex digits "0x0001000000000000".
  std::string to_string() const;

  bool operator==(const Lun&) const = default;
};

}  // namespace iscsi::pdu
