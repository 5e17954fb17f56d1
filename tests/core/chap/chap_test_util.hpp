#pragma once
// Helpers shared by the CHAP tests: key lookup, value rewriting, and an independent digest
// computed by the `openssl dgst` command (a different program from the library under test).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chap/exchange.hpp"
#include "core/common/bytes.hpp"

namespace iscsi::chap::testing {

// The tutorial's accounts: the initiator's (incoming on the target) and the target's own.
inline const Credentials kUser{"labuser", "labsecret123"};
inline const Credentials kTarget{"outuser", "outsecret456"};

// A binary value as the wire carries it ("0x..."), for CHAP_C and CHAP_R.
std::string hex(ByteView bytes);

// The value of `name` in `keys`, if present exactly once.
std::optional<std::string> find_key(const KeyList& keys, std::string_view name);

// The names of `keys`, in order, for "sends exactly these keys" checks.
std::vector<std::string> key_names(const KeyList& keys);

// Decodes a CHAP_C/CHAP_R value or fails the current test.
Bytes decode_or_fail(std::string_view value);

// Rewrites every 0x/0b value in `keys` with an upper-case prefix ("0X", "0B") and, for hex,
// upper-case digits: what some initiators send (libiscsi sends upper-case digits).
KeyList upper_case_values(KeyList keys);

// H(identifier || secret || challenge) computed by running `openssl dgst -<name> -r` on a
// temporary file. `name` is "md5", "sha1", "sha256" or "sha3-256". Returns lower-case hex, or
// nullopt (after recording a test failure) when the command cannot run.
std::optional<std::string> openssl_dgst_hex(std::string_view name, std::uint8_t identifier,
                                            std::string_view secret, ByteView challenge);

// Bytes 0, 1, 2, ... n-1: a recognisable challenge.
Bytes counting_bytes(std::size_t n, std::uint8_t first = 0);

}  // namespace iscsi::chap::testing
