#pragma once
// Quirk knobs of the responder (target role), kept as plain data so that scenarios and the
// target's quirk profiles can build, print and compare them (DESIGN.md "Quirk profiles").
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include "core/chap/algorithm.hpp"
#include "core/chap/exchange.hpp"
#include "core/text/binary_value.hpp"

namespace iscsi::chap {

// "Answer this violation with that Login status" (RFC 7143 §11.13.5 leaves the choice among
// class-2 codes to the target; real targets differ).
struct StatusOverride {
  std::string_view violation_id;
  std::uint16_t login_status;
};

struct ResponderProfile {
  // CHAP_A numbers this target accepts and the hash it computes for each. The initiator's order
  // decides among them (RFC 7143 §6.2.1): the first offered number that appears here wins.
  std::vector<AlgorithmBinding> algorithms{std::begin(kStandardAlgorithms),
                                           std::end(kStandardAlgorithms)};
  // Challenge length in bytes; 0 means the digest length of the chosen hash (what LIO does).
  // Values are raised to the digest length unless allow_short_challenge, and capped at 1024.
  std::size_t challenge_length = 0;
  bool allow_short_challenge = false;
  // Encoding of our CHAP_C and of the mutual CHAP_R.
  text::BinaryEncoding encoding = text::BinaryEncoding::hex;
  // Answer the mutual CHAP_R in the encoding of the initiator's CHAP_C instead (tgt does).
  bool mirror_challenge_encoding = false;
  // RFC 7143 §12.1.3: with no acceptable algorithm the target answers CHAP_A=Reject.
  bool send_reject_for_no_common_algorithm = true;
  // Login status for every failure not listed in status_overrides.
  std::uint16_t default_failure_status = kStatusAuthenticationFailure;
  std::vector<StatusOverride> status_overrides;

  // The RFC reading: every CHAP failure is 0x0201, except CHAP keys after a completed exchange,
  // which are a protocol error, 0x0200 (RFC 7143 §6.3.2, checklist C102; LIO does the same).
  static ResponderProfile rfc();
  // tgt 1.0.85 (usr/iscsi/chap.c): knows 5 (MD5) and binds 7 to SHA-1; 50-byte challenges; a
  // counting CHAP_I (give it through ResponderConfig::identifier); no CHAP_A=Reject key;
  // 0x0200 for a CHAP_A list without 5 or 7 and for an over-long CHAP_R (both checked live),
  // and, from its source, for missing or undecodable keys, a reflected or over-long CHAP_C.
  static ResponderProfile tgt_1_0_85();

  // The status to send for a violation with this id.
  std::uint16_t status_for(std::string_view violation_id) const;
};

}  // namespace iscsi::chap
