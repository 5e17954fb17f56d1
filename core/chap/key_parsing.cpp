#include "core/chap/key_parsing.hpp"

#include <fmt/format.h>

#include <limits>

#include "core/chap/violations.hpp"

namespace iscsi::chap {
namespace {

constexpr std::string_view kKeyNames[kKeyCount] = {"CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N",
                                                   "CHAP_R"};

std::optional<Key> key_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kKeyCount; ++i) {
    if (kKeyNames[i] == name) return static_cast<Key>(i);
  }
  return std::nullopt;
}

// Decimal 0..255 without sign, spaces or an empty digit string. Leading zeros are allowed,
// but the digit count is bounded so that the loop and the value stay small.
std::optional<std::uint8_t> parse_decimal_octet(std::string_view text) {
  constexpr std::size_t kMaxDigits = 8;
  if (text.empty() || text.size() > kMaxDigits) return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 255) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

std::optional<std::uint8_t> parse_hex_octet(std::string_view digits) {
  constexpr std::size_t kMaxDigits = 8;
  if (digits.empty() || digits.size() > kMaxDigits) return std::nullopt;
  unsigned value = 0;
  for (const char c : digits) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  if (value > 255) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

// Large-binary values are decoded without text's 1024-byte cap so that an over-long CHAP_C gets
// its own id; memory stays bounded by the size of the received value itself.
constexpr std::size_t kNoDecodeCap = std::numeric_limits<std::size_t>::max();

}  // namespace

std::string_view to_string(Key key) { return kKeyNames[static_cast<std::size_t>(key)]; }

std::optional<Key> ReceivedKeys::first_present(std::initializer_list<Key> keys) const {
  for (const Key key : keys) {
    if (has(key)) return key;
  }
  return std::nullopt;
}

bool ReceivedKeys::empty() const {
  for (const auto& value : values_) {
    if (value) return false;
  }
  return true;
}

Result<ReceivedKeys> collect_keys(const KeyList& keys, std::string_view pdu) {
  ReceivedKeys received;
  for (const auto& [name, value] : keys) {
    const std::optional<Key> key = key_from_name(name);
    if (!key) continue;
    auto& slot = received.values_[ReceivedKeys::index(*key)];
    if (slot) {
      return Violation{violations::kDuplicateKey,
                       fmt::format("{} carries {} twice ('{}' and '{}')", pdu, name,
                                   quote_value(*slot), quote_value(value))};
    }
    slot = std::string_view(value);
  }
  return received;
}

Result<std::uint8_t> parse_identifier(std::string_view value, std::string_view pdu) {
  std::optional<std::uint8_t> parsed;
  if (value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
    parsed = parse_hex_octet(value.substr(2));
  } else {
    parsed = parse_decimal_octet(value);
  }
  if (!parsed) {
    return Violation{
        violations::kMalformedIdentifier,
        fmt::format("{} carries CHAP_I='{}', not a number in 0..255", pdu, quote_value(value))};
  }
  return *parsed;
}

Result<Bytes> parse_challenge(std::string_view value, std::string_view pdu) {
  auto decoded = text::decode_binary_value(value, kNoDecodeCap);
  if (!decoded) {
    return Violation{
        violations::kMalformedChallenge,
        fmt::format("{} carries an undecodable CHAP_C: {}", pdu, decoded.error().detail)};
  }
  if (decoded->size() > text::kLargeBinaryMaxBytes) {
    return Violation{violations::kChallengeTooLong,
                     fmt::format("{} carries a CHAP_C of {} bytes, more than the limit of {}", pdu,
                                 decoded->size(), text::kLargeBinaryMaxBytes)};
  }
  return decoded;
}

text::BinaryEncoding encoding_of(std::string_view value) {
  if (value.size() >= 2 && (value[1] == 'b' || value[1] == 'B')) {
    return text::BinaryEncoding::base64;
  }
  return text::BinaryEncoding::hex;
}

Result<Bytes> parse_response(std::string_view value, std::string_view pdu) {
  auto decoded = text::decode_binary_value(value, kNoDecodeCap);
  if (!decoded) {
    return Violation{
        violations::kMalformedResponse,
        fmt::format("{} carries an undecodable CHAP_R: {}", pdu, decoded.error().detail)};
  }
  return decoded;
}

std::vector<std::optional<std::uint8_t>> parse_algorithm_list(std::string_view value) {
  std::vector<std::optional<std::uint8_t>> out;
  std::size_t start = 0;
  while (start <= value.size() && out.size() < kMaxAlgorithmListItems) {
    const std::size_t comma = value.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? value.size() : comma;
    out.push_back(parse_decimal_octet(value.substr(start, end - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<Violation> short_secret_warning(const Credentials& credentials,
                                              std::string_view whose) {
  if (credentials.secret.size() >= kMinRecommendedSecretBytes) return std::nullopt;
  return Violation{violations::kShortSecret,
                   fmt::format("the {} secret of '{}' has {} bytes, fewer than the {} (96 bits) "
                               "recommended without IPsec; accepted",
                               whose, quote_value(credentials.name), credentials.secret.size(),
                               kMinRecommendedSecretBytes)};
}

std::optional<Violation> short_challenge_warning(std::size_t challenge_bytes, Hash hash,
                                                 std::string_view pdu) {
  if (challenge_bytes >= digest_length(hash)) return std::nullopt;
  return Violation{violations::kShortChallenge,
                   fmt::format("{} carries a CHAP_C of {} bytes, shorter than the {}-byte {} "
                               "digest; accepted",
                               pdu, challenge_bytes, digest_length(hash), to_string(hash))};
}

std::string quote_value(std::string_view value) {
  if (value.size() <= kQuotedValueChars) return std::string(value);
  return fmt::format("{}...", value.substr(0, kQuotedValueChars));
}

Violation missing_key(Key key, std::string_view pdu, std::string_view why) {
  return Violation{violations::kMissingKey,
                   fmt::format("{} lacks {}: {}", pdu, to_string(key), why)};
}

Violation key_out_of_order(Key key, std::string_view pdu, std::string_view round) {
  return Violation{violations::kKeyOutOfOrder,
                   fmt::format("{} carries {} {}", pdu, to_string(key), round)};
}

}  // namespace iscsi::chap
