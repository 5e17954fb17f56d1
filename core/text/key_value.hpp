#pragma once
// The text data segment of Login and Text PDUs (RFC 7143 §6.1): an ordered list of UTF-8
// key=value pairs, each terminated by one NUL, the last one included.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/text/binary_value.hpp"

namespace iscsi::text {

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// In the order received or to be sent; the order matters (answers follow offers, and
// SendTargets output is a TargetName followed by its TargetAddress records).
using KeyValueList = std::vector<KeyValue>;

// RFC 7143 §6.1: a key name (standard-label) is at most 63 bytes.
inline constexpr std::size_t kMaxKeyNameBytes = 63;
// RFC 7143 §6.1: a value is at most 255 bytes unless the key says otherwise.
inline constexpr std::size_t kMaxValueBytes = 255;
// The longest text form of a large-binary-value (at most 1024 bytes of binary data,
// RFC 7143 §6.1): "0x" and two hex digits per byte. Base64 is always shorter.
inline constexpr std::size_t kMaxLargeBinaryValueTextBytes = 2 + 2 * kLargeBinaryMaxBytes;

// Parses one complete logical text data segment (the data of a whole C=1...C=0 run).
// Fails on the first problem: a pair without its NUL (text.missing-nul), a pair without '='
// or an empty pair (text.missing-equals), an empty key (text.empty-key), a key over 63 bytes
// (text.key-too-long), a value over 255 bytes that is not a large-binary-value of at most 1024
// bytes (text.value-too-long), invalid UTF-8 (text.bad-utf8). Key names that are not
// standard-labels pass (see check_key_name): the negotiator answers them NotUnderstood.
// An empty segment is an empty list.
Result<KeyValueList> parse_text(ByteView data);

// Encodes pairs as "key=value\0" each (RFC 7143 §6.1, C079). The pairs must be well formed:
// a non-empty key without '=' or NUL, a value without NUL (all negotiator output is).
Bytes encode_text(const KeyValueList& pairs);
void append_pair(Bytes& out, std::string_view key, std::string_view value);

// RFC 7143 §6.1 standard-label: a capital letter, then letters, digits, '.', '-', '+', '@',
// '_'; at most 63 bytes. RFC 7143 §13.22 extension keys "X#...", "Y#...", "Z#..." are allowed
// too (their '#'). Fails with text.bad-key-name (a warning). Note that RFC 7143 §13.24's own
// iSCSIProtocolLevel breaks the capital-letter rule: check known keys against the key table
// first (the negotiator only checks names it does not know).
Result<void> check_key_name(std::string_view key);

// RFC 7143 §13.22: private ("X-") and public extension ("X#", "Y#", "Z#") key names.
bool is_extension_key(std::string_view key);

// The value of the first pair with this key, if any.
std::optional<std::string_view> find_value(const KeyValueList& pairs, std::string_view key);

// "k1=v1, k2=v2" for log lines and violation details (values cut at 40 bytes).
std::string describe(const KeyValueList& pairs);

}  // namespace iscsi::text
