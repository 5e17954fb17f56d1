#pragma once
// The 6-byte Initiator Session ID of Login Request/Response bytes 8-13 (RFC 7143 §11.12.5):
// byte 0 = T (2 bits, format) + A (6 bits); bytes 1-2 = B; byte 3 = C; bytes 4-5 = D.
#include <array>
#include <cstdint>

namespace iscsi::pdu {

// RFC 7143 §11.12.5: the T field says how A/B/C/D are used.
enum class IsidType : std::uint8_t {
  oui = 0,     // A+B = IEEE OUI, C+D = qualifier
  en = 1,      // B+C = IANA enterprise number, D = qualifier
  random = 2,  // B+C random, D = qualifier
  reserved = 3,
};

struct Isid {
  std::array<std::uint8_t, 6> bytes{};

  static constexpr Isid make(IsidType t, std::uint8_t a, std::uint16_t b, std::uint8_t c,
                             std::uint16_t d) {
    Isid isid;
    isid.bytes[0] = static_cast<std::uint8_t>((static_cast<std::uint8_t>(t) << 6) | (a & 0x3f));
    isid.bytes[1] = static_cast<std::uint8_t>(b >> 8);
    isid.bytes[2] = static_cast<std::uint8_t>(b);
    isid.bytes[3] = c;
    isid.bytes[4] = static_cast<std::uint8_t>(d >> 8);
    isid.bytes[5] = static_cast<std::uint8_t>(d);
    return isid;
  }

  constexpr IsidType t() const { return static_cast<IsidType>(bytes[0] >> 6); }
  constexpr std::uint8_t a() const { return static_cast<std::uint8_t>(bytes[0] & 0x3f); }
  constexpr std::uint16_t b() const {
    return static_cast<std::uint16_t>((bytes[1] << 8) | bytes[2]);
  }
  constexpr std::uint8_t c() const { return bytes[3]; }
  constexpr std::uint16_t d() const {
    return static_cast<std::uint16_t>((bytes[4] << 8) | bytes[5]);
  }
  // The 48-bit value as one integer (how open-iscsi and tshark print it).
  constexpr std::uint64_t value() const {
    std::uint64_t v = 0;
    for (std::uint8_t byte : bytes) v = (v << 8) | byte;
    return v;
  }

  bool operator==(const Isid&) const = default;
};

}  // namespace iscsi::pdu
