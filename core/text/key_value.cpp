#include "core/text/key_value.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/text/text_violations.hpp"
#include "core/text/utf8.hpp"

namespace iscsi::text {
namespace {

// Values and keys from the peer can be long or binary: quote only a readable prefix.
std::string quote(std::string_view text) {
  constexpr std::size_t kShown = 40;
  std::string out;
  for (const char c : text.substr(0, kShown)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", byte);
    }
  }
  if (text.size() > kShown) out += "...";
  return out;
}

bool has_binary_prefix(std::string_view value) {
  return value.size() > 2 && value[0] == '0' &&
         (value[1] == 'x' || value[1] == 'X' || value[1] == 'b' || value[1] == 'B');
}

// RFC 7143 §6.1: only a large-binary-value (at most 1024 bytes of binary) may be longer than
// 255 bytes.
Result<void> check_value_length(std::string_view key, std::string_view value) {
  if (value.size() <= kMaxValueBytes) return success();
  std::string why = "is not a large-binary-value (0x or 0b prefix)";
  if (has_binary_prefix(value) && value.size() <= kMaxLargeBinaryValueTextBytes) {
    auto decoded = decode_binary_value(value, kLargeBinaryMaxBytes);
    if (decoded) return success();
    why = decoded.error().detail;
  }
  return Violation{kValueTooLong,
                   fmt::format("value of key '{}' is {} bytes, over the limit of {}, and {}",
                               quote(key), value.size(), kMaxValueBytes, why)};
}

Result<void> check_utf8(std::string_view what, std::string_view text, std::size_t base) {
  const auto bad = find_invalid_utf8(text);
  if (!bad) return success();
  return Violation{kBadUtf8, fmt::format("{} '{}' has invalid UTF-8 at text offset {}", what,
                                         quote(text), base + *bad)};
}

Result<KeyValue> parse_pair(std::string_view pair, std::size_t offset) {
  const std::size_t equals = pair.find('=');
  if (pair.empty()) {
    return Violation{kMissingEquals,
                     fmt::format("empty pair (two NULs in a row) at text offset {}", offset)};
  }
  if (equals == std::string_view::npos) {
    return Violation{kMissingEquals, fmt::format("pair '{}' at text offset {} has no '='",
                                                 quote(pair), offset)};
  }
  const std::string_view key = pair.substr(0, equals);
  const std::string_view value = pair.substr(equals + 1);
  if (key.empty()) {
    return Violation{kEmptyKey, fmt::format("pair '{}' at text offset {} has an empty key",
                                            quote(pair), offset)};
  }
  if (key.size() > kMaxKeyNameBytes) {
    return Violation{kKeyTooLong,
                     fmt::format("key '{}' at text offset {} is {} bytes, over the limit of {}",
                                 quote(key), offset, key.size(), kMaxKeyNameBytes)};
  }
  if (auto ok = check_utf8("key", key, offset); !ok) return ok.error();
  if (auto ok = check_utf8("value", value, offset + equals + 1); !ok) return ok.error();
  if (auto ok = check_value_length(key, value); !ok) return ok.error();
  return KeyValue{std::string(key), std::string(value)};
}

bool is_label_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == '+' || c == '@' || c == '_';
}

}  // namespace

Result<KeyValueList> parse_text(ByteView data) {
  const std::string_view text = as_text(data);
  KeyValueList pairs;
  std::size_t offset = 0;
  // Each iteration consumes one NUL-terminated pair, so the loop is bounded by the input size.
  while (offset < text.size()) {
    const std::size_t nul = text.find('\0', offset);
    if (nul == std::string_view::npos) {
      return Violation{kMissingNul,
                       fmt::format("last pair '{}' at text offset {} is not NUL-terminated",
                                   quote(text.substr(offset)), offset)};
    }
    auto pair = parse_pair(text.substr(offset, nul - offset), offset);
    if (!pair) return std::move(pair).error();
    pairs.push_back(std::move(pair).value());
    offset = nul + 1;
  }
  return pairs;
}

void append_pair(Bytes& out, std::string_view key, std::string_view value) {
  out.insert(out.end(), key.begin(), key.end());
  out.push_back('=');
  out.insert(out.end(), value.begin(), value.end());
  out.push_back('\0');
}

Bytes encode_text(const KeyValueList& pairs) {
  Bytes out;
  std::size_t size = 0;
  for (const auto& pair : pairs) size += pair.key.size() + pair.value.size() + 2;
  out.reserve(size);
  for (const auto& pair : pairs) append_pair(out, pair.key, pair.value);
  return out;
}

Result<void> check_key_name(std::string_view key) {
  const auto bad = [&](std::string_view why) {
    return Violation{kBadKeyName, fmt::format("key '{}' is not a standard-label: {}",
                                              quote(key), why)};
  };
  if (key.empty()) return bad("it is empty");
  if (key.size() > kMaxKeyNameBytes) return bad("it is longer than 63 bytes");
  if (key[0] < 'A' || key[0] > 'Z') return bad("it does not start with a capital letter");
  for (std::size_t i = 1; i < key.size(); ++i) {
    const bool extension_hash = i == 1 && key[1] == '#' &&
                                (key[0] == 'X' || key[0] == 'Y' || key[0] == 'Z');
    if (!is_label_char(key[i]) && !extension_hash) {
      return bad(fmt::format("character at offset {} is not allowed", i));
    }
  }
  return success();
}

bool is_extension_key(std::string_view key) {
  if (key.size() < 2) return false;
  if (key[0] == 'X' && (key[1] == '-' || key[1] == '#')) return true;
  return (key[0] == 'Y' || key[0] == 'Z') && key[1] == '#';
}

std::optional<std::string_view> find_value(const KeyValueList& pairs, std::string_view key) {
  const auto it = std::find_if(pairs.begin(), pairs.end(),
                               [&](const KeyValue& pair) { return pair.key == key; });
  if (it == pairs.end()) return std::nullopt;
  return std::string_view(it->value);
}

std::string describe(const KeyValueList& pairs) {
  std::string out;
  for (const auto& pair : pairs) {
    if (!out.empty()) out += ", ";
    out += quote(pair.key) + "=" + quote(pair.value);
  }
  return out;
}

}  // namespace iscsi::text
