#pragma once
// CHAP algorithms and the response function (RFC 1994 §4.1, RFC 7143 §12.1.3). Hashes come from
// OpenSSL EVP; nothing here is a hand-written hash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::chap {

// The hash functions CHAP_A values can name. Kept apart from the CHAP_A numbers because a quirk
// profile may bind a number to a different hash (tgt 1.0.85 computes algorithm 7 with SHA-1).
enum class Hash : std::uint8_t { md5, sha1, sha256, sha3_256 };

// One CHAP_A number and the hash that an implementation computes for it.
struct AlgorithmBinding {
  std::uint8_t number;
  Hash hash;
};

// CHAP_A numbers shared by LIO, open-iscsi and libiscsi: 5 = MD5 (RFC 7143 §12.1.3, mandatory),
// 6 = SHA-1, 7 = SHA-256, 8 = SHA3-256.
inline constexpr std::uint8_t kAlgorithmMd5 = 5;
inline constexpr std::uint8_t kAlgorithmSha1 = 6;
inline constexpr std::uint8_t kAlgorithmSha256 = 7;
inline constexpr std::uint8_t kAlgorithmSha3_256 = 8;

inline constexpr AlgorithmBinding kStandardAlgorithms[] = {
    {kAlgorithmMd5, Hash::md5},
    {kAlgorithmSha1, Hash::sha1},
    {kAlgorithmSha256, Hash::sha256},
    {kAlgorithmSha3_256, Hash::sha3_256},
};

// The longest digest of any supported hash, in bytes (SHA-256 and SHA3-256).
inline constexpr std::size_t kMaxDigestBytes = 32;

// Digest (= CHAP_R) length in bytes: 16, 20, 32, 32.
std::size_t digest_length(Hash hash);

// "MD5", "SHA1", "SHA256", "SHA3-256": the OpenSSL digest name.
std::string_view to_string(Hash hash);

// The hash bound to CHAP_A `number` in `bindings`, if any.
std::optional<Hash> find_hash(std::span<const AlgorithmBinding> bindings, std::uint8_t number);

// R = H(I as one octet || secret || challenge) (RFC 1994 §4.1). Fails with
// chap.digest-unavailable only when OpenSSL cannot provide the hash (e.g. MD5 in FIPS mode).
Result<Bytes> compute_response(Hash hash, std::uint8_t identifier, ByteView secret,
                               ByteView challenge);

// The same, for secrets held as text (tgtadm and iscsid.conf passwords are text).
Result<Bytes> compute_response(Hash hash, std::uint8_t identifier, std::string_view secret,
                               ByteView challenge);

}  // namespace iscsi::chap
