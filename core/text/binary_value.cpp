#include "core/text/binary_value.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

namespace iscsi::text {
namespace {

constexpr ViolationKind kBadBinaryValue{"text.bad-binary-value", "RFC 7143 §6.1",
                                        Severity::recoverable};

Violation bad_value(std::string_view value, std::string_view why) {
  // Values can be 2 KiB of hex: quote only the start so messages stay readable.
  const std::string_view shown = value.substr(0, 40);
  return Violation{kBadBinaryValue,
                   fmt::format("binary value '{}{}' {}", shown,
                               value.size() > shown.size() ? "..." : "", why)};
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

// Strict RFC 4648 check before handing the text to OpenSSL, whose decoder tolerates
// whitespace and does not report how many padding bytes it added.
Result<std::size_t> base64_padding(std::string_view digits, std::string_view value) {
  if (digits.empty() || digits.size() % 4 != 0) {
    return bad_value(value, "is not base64: length is not a multiple of 4");
  }
  std::size_t pad = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    if (c == '=' && i + 2 >= digits.size()) {
      ++pad;
    } else if (pad > 0 || !is_base64_char(c)) {
      return bad_value(value, fmt::format("is not base64: bad character at offset {}", i + 2));
    }
  }
  return pad;
}

Result<Bytes> decode_base64(std::string_view digits, std::string_view value) {
  auto pad = base64_padding(digits, value);
  if (!pad) return std::move(pad).error();
  Bytes out(digits.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(digits.data()),
                                static_cast<int>(digits.size()));
  if (n < 0) return bad_value(value, "is not base64");
  out.resize(static_cast<std::size_t>(n) - *pad);
  return out;
}

// RFC 7143 §6.1: a hex-constant of n digits has a byte length of (n+1)/2, so an odd digit
// count is legal and means an implicit leading zero nibble ("0x123" is 01 23).
Result<Bytes> decode_hex(std::string_view digits, std::string_view value) {
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return bad_value(value, fmt::format("has a non-hex digit at offset {}", i + 2));
  }
  Bytes out;
  if (digits.size() % 2 != 0) {
    parse_hex(std::string("0") + std::string(digits), out);
  } else {
    parse_hex(digits, out);
  }
  return out;
}

}  // namespace

Result<Bytes> decode_binary_value(std::string_view value, std::size_t max_bytes) {
  if (value.size() < 3 || value[0] != '0') {
    return bad_value(value, "needs a 0x (hex) or 0b (base64) prefix and at least one digit");
  }
  const std::string_view digits = value.substr(2);
  Result<Bytes> decoded = bad_value(value, "has an unknown prefix");
  if (value[1] == 'x' || value[1] == 'X') {
    decoded = decode_hex(digits, value);
  } else if (value[1] == 'b' || value[1] == 'B') {
    decoded = decode_base64(digits, value);
  }
  if (decoded && decoded->empty()) return bad_value(value, "is empty");
  if (decoded && decoded->size() > max_bytes) {
    return bad_value(value, fmt::format("holds {} bytes, more than the limit of {}",
                                        decoded->size(), max_bytes));
  }
  return decoded;
}

std::string encode_binary_value(ByteView bytes, BinaryEncoding encoding) {
  if (encoding == BinaryEncoding::hex) return "0x" + to_hex(bytes);
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return "0b" + out;
}

}  // namespace iscsi::text
