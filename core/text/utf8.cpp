#include "core/text/utf8.hpp"

#include <cstdint>

namespace iscsi::text {
namespace {

// Length of the sequence a lead byte announces, or 0 for a byte that cannot lead one.
std::size_t sequence_length(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;  // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF
}

// RFC 3629 §4: the second byte's range depends on the lead byte (this excludes overlong
// forms, UTF-16 surrogates and code points above U+10FFFF).
bool second_byte_ok(std::uint8_t lead, std::uint8_t second) {
  if (lead == 0xE0) return second >= 0xA0 && second <= 0xBF;
  if (lead == 0xED) return second >= 0x80 && second <= 0x9F;
  if (lead == 0xF0) return second >= 0x90 && second <= 0xBF;
  if (lead == 0xF4) return second >= 0x80 && second <= 0x8F;
  return second >= 0x80 && second <= 0xBF;
}

bool is_continuation(std::uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    const std::size_t length = sequence_length(lead);
    if (length == 0 || i + length > text.size()) return i;
    if (length > 1) {
      if (!second_byte_ok(lead, static_cast<std::uint8_t>(text[i + 1]))) return i;
      for (std::size_t k = 2; k < length; ++k) {
        if (!is_continuation(static_cast<std::uint8_t>(text[i + k]))) return i;
      }
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace iscsi::text
