#pragma once
// Reading CHAP keys and values (RFC 7143 §12.1.3, §6.1), shared by both engines. Every problem
// becomes a Violation naming the PDU kind, the key and (the start of) the value.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chap/algorithm.hpp"
#include "core/chap/exchange.hpp"
#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/text/binary_value.hpp"

namespace iscsi::chap {

enum class Key : std::uint8_t { chap_a, chap_i, chap_c, chap_n, chap_r };
inline constexpr std::size_t kKeyCount = 5;

std::string_view to_string(Key key);  // "CHAP_A" ...

// The CHAP keys of one received key list, each present at most once. The views point into the
// KeyList given to collect_keys(), which must outlive this object.
class ReceivedKeys {
 public:
  std::optional<std::string_view> get(Key key) const { return values_[index(key)]; }
  bool has(Key key) const { return values_[index(key)].has_value(); }
  // The first present key among `keys`, in the order given (for out-of-order reports).
  std::optional<Key> first_present(std::initializer_list<Key> keys) const;
  bool empty() const;

 private:
  friend Result<ReceivedKeys> collect_keys(const KeyList& keys, std::string_view pdu);
  static std::size_t index(Key key) { return static_cast<std::size_t>(key); }
  std::array<std::optional<std::string_view>, kKeyCount> values_{};
};

// Picks the CHAP keys out of `keys`; a CHAP key sent twice is a protocol error (RFC 7143 §6.2).
// `pdu` names the carrier in violation details ("Login Request", "Login Response").
Result<ReceivedKeys> collect_keys(const KeyList& keys, std::string_view pdu);

// chap.missing-key: "<pdu> lacks <key>: <why>".
Violation missing_key(Key key, std::string_view pdu, std::string_view why);
// chap.key-out-of-order: "<pdu> carries <key> <round>".
Violation key_out_of_order(Key key, std::string_view pdu, std::string_view round);

// CHAP_I: 0..255, decimal (what everyone sends) or 0x hex (LIO accepts it; RFC 7143 §6.1
// numbers may be hex constants).
Result<std::uint8_t> parse_identifier(std::string_view value, std::string_view pdu);

// CHAP_C: a large-binary-value of 1..1024 bytes (RFC 7143 §12.1.3, §6.1). An over-long value
// is chap.challenge-too-long, anything undecodable chap.malformed-challenge.
Result<Bytes> parse_challenge(std::string_view value, std::string_view pdu);

// Which encoding a binary value uses ("0x"/"0X" hex, "0b"/"0B" base64); hex when unclear.
text::BinaryEncoding encoding_of(std::string_view value);

// CHAP_R decoded (hex or base64, either prefix case); chap.malformed-response when undecodable.
// The caller checks the length, because the two roles report a wrong length differently.
Result<Bytes> parse_response(std::string_view value, std::string_view pdu);

// CHAP_A values in the order written ("7,5" -> {7, 5}). Values that are not decimal numbers in
// 0..255 are kept as nullopt: they are simply not selectable (RFC 7143 §6.2.1 list rules).
// Items after the first kMaxAlgorithmListItems are ignored.
inline constexpr std::size_t kMaxAlgorithmListItems = 64;
std::vector<std::optional<std::uint8_t>> parse_algorithm_list(std::string_view value);

// "the secret of 'user'" is shorter than 12 bytes: one chap.short-secret warning.
std::optional<Violation> short_secret_warning(const Credentials& credentials,
                                              std::string_view whose);

// A challenge shorter than the digest is legal but weak (RFC 1994 §2.3 practice; LIO and
// open-iscsi send digest-sized challenges): one chap.short-challenge warning.
std::optional<Violation> short_challenge_warning(std::size_t challenge_bytes, Hash hash,
                                                 std::string_view pdu);

// Values quoted in details are cut to this many characters (challenges can be 2 KiB of hex).
inline constexpr std::size_t kQuotedValueChars = 40;
std::string quote_value(std::string_view value);

}  // namespace iscsi::chap
