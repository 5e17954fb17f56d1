#pragma once
// UTF-8 validation for text keys and values (RFC 7143 §6.1: "the data segment ... consists of
// UTF-8 characters"). Strict RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
#include <cstddef>
#include <optional>
#include <string_view>

namespace iscsi::text {

// The offset of the first byte that does not start a valid UTF-8 sequence, or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !find_invalid_utf8(text).has_value(); }

}  // namespace iscsi::text
