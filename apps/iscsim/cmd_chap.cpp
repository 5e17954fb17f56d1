// `iscsim chap`: computes a CHAP response by hand, as a student checking a login trace would:
// CHAP_R = H(CHAP_I || secret || CHAP_C) (RFC 1994 §4.1, RFC 7143 §12.1.3).
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "apps/iscsim/commands.hpp"
#include "core/chap/algorithm.hpp"
#include "core/text/binary_value.hpp"

namespace iscsim {
namespace {

struct ChapOptions {
  int algorithm = 5;
  int identifier = 0;
  std::string secret;
  std::string challenge;
  bool base64 = false;
};

int run_chap(const ChapOptions& options) {
  const auto hash = iscsi::chap::find_hash(iscsi::chap::kStandardAlgorithms,
                                           static_cast<std::uint8_t>(options.algorithm));
  if (!hash) {
    std::fprintf(stderr, "iscsim chap: CHAP_A=%d is not 5 (MD5), 6 (SHA-1), 7 (SHA-256) or 8 "
                 "(SHA3-256)\n", options.algorithm);
    return 2;
  }
  const auto challenge = iscsi::text::decode_binary_value(options.challenge);
  if (!challenge) {
    std::fprintf(stderr, "iscsim chap: --challenge: %s\n", challenge.error().to_string().c_str());
    return 2;
  }
  const auto response = iscsi::chap::compute_response(
      *hash, static_cast<std::uint8_t>(options.identifier), options.secret, *challenge);
  if (!response) {
    std::fprintf(stderr, "iscsim chap: %s\n", response.error().to_string().c_str());
    return 1;
  }
  const auto encoding =
      options.base64 ? iscsi::text::BinaryEncoding::base64 : iscsi::text::BinaryEncoding::hex;
  std::printf("CHAP_R=%s\n", iscsi::text::encode_binary_value(*response, encoding).c_str());
  if (options.secret.size() < 12) {
    std::fprintf(stderr, "iscsim chap: warning: the secret is %zu bytes; RFC 7143 §9.2.1 asks for "
                 "at least 12 (96 bits) without IPsec\n", options.secret.size());
  }
  return 0;
}

}  // namespace

void register_chap_command(CLI::App& app) {
  auto options = std::make_shared<ChapOptions>();
  auto* cmd = app.add_subcommand(
      "chap",
      "Compute a CHAP response: CHAP_R = H(CHAP_I || secret || CHAP_C), as a target verifies it "
      "(RFC 1994 §4.1, RFC 7143 §12.1.3)");
  cmd->add_option("-a,--algorithm", options->algorithm,
                  "CHAP_A: 5 = MD5, 6 = SHA-1, 7 = SHA-256, 8 = SHA3-256")
      ->capture_default_str()->check(CLI::Range(0, 255));
  cmd->add_option("-i,--identifier", options->identifier, "CHAP_I, 0-255")
      ->required()->check(CLI::Range(0, 255));
  cmd->add_option("-s,--secret", options->secret, "The CHAP secret (password), as text")
      ->required();
  cmd->add_option("-c,--challenge", options->challenge,
                  "CHAP_C as sent on the wire: 0x<hex> or 0b<base64>")->required();
  cmd->add_flag("--base64", options->base64, "Print CHAP_R as 0b<base64> instead of 0x<hex>");
  cmd->callback([options] { set_exit_code(run_chap(*options)); });
}

}  // namespace iscsim
