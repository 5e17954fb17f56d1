#pragma once
// Binary values in text keys (RFC 7143 §6.1): hex-constant "0x1a2b" / "0X1A2B" and
// base64-constant "0b..." / "0B...". Used by large-binary-value keys (CHAP_C, CHAP_R) and by
// numeric keys written in hex.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::text {

enum class BinaryEncoding { hex, base64 };

// RFC 7143 §6.1: a large-binary-value holds at most 1024 bytes of binary data.
inline constexpr std::size_t kLargeBinaryMaxBytes = 1024;

// Decodes "0x..." or "0b..." (prefix in either case). Fails with text.bad-binary-value when
// the prefix is missing, a digit is invalid, base64 is malformed,
// or the result is empty or longer than `max_bytes`.
Result<Bytes> decode_binary_value(std::string_view value,
                                  std::size_t max_bytes = kLargeBinaryMaxBytes);

// Encodes as "0x" + lower-case hex (what LIO and open-iscsi send) or "0b" + padded base64.
std::string encode_binary_value(ByteView bytes, BinaryEncoding encoding = BinaryEncoding::hex);

}  // namespace iscsi::text
