#include "core/chap/algorithm.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "core/chap/violations.hpp"

namespace iscsi::chap {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

Violation unavailable(Hash hash, std::string_view why) {
  return Violation{
      violations::kDigestUnavailable,
      fmt::format("OpenSSL {} for the {} digest of a CHAP response", why, to_string(hash))};
}

}  // namespace

std::size_t digest_length(Hash hash) {
  switch (hash) {
    case Hash::md5:
      return 16;
    case Hash::sha1:
      return 20;
    case Hash::sha256:
      return 32;
    case Hash::sha3_256:
      return 32;
  }
  return 0;
}

std::string_view to_string(Hash hash) {
  switch (hash) {
    case Hash::md5:
      return "MD5";
    case Hash::sha1:
      return "SHA1";
    case Hash::sha256:
      return "SHA256";
    case Hash::sha3_256:
      return "SHA3-256";
  }
  return "unknown";
}

std::optional<Hash> find_hash(std::span<const AlgorithmBinding> bindings, std::uint8_t number) {
  for (const AlgorithmBinding& binding : bindings) {
    if (binding.number == number) return binding.hash;
  }
  return std::nullopt;
}

Result<Bytes> compute_response(Hash hash, std::uint8_t identifier, ByteView secret,
                               ByteView challenge) {
  // EVP_get_digestbyname returns a static method table, so nothing is fetched or freed per call.
  const std::string name(to_string(hash));
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  if (md == nullptr) return unavailable(hash, "has no method");
  const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    return unavailable(hash, "failed to initialise");
  }
  // RFC 1994 §4.1: the identifier octet, then the secret, then the challenge.
  const bool updated = EVP_DigestUpdate(ctx.get(), &identifier, 1) == 1 &&
                       EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) == 1 &&
                       EVP_DigestUpdate(ctx.get(), challenge.data(), challenge.size()) == 1;
  Bytes digest(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (!updated || EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
    return unavailable(hash, "failed to compute");
  }
  if (length != digest_length(hash)) return unavailable(hash, "returned the wrong length");
  digest.resize(length);
  return digest;
}

Result<Bytes> compute_response(Hash hash, std::uint8_t identifier, std::string_view secret,
                               ByteView challenge) {
  const ByteView secret_bytes(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size());
  return compute_response(hash, identifier, secret_bytes, challenge);
}

}  // namespace iscsi::chap
