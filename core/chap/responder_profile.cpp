#include "core/chap/responder_profile.hpp"

#include "core/chap/violations.hpp"

namespace iscsi::chap {

ResponderProfile ResponderProfile::rfc() {
  ResponderProfile profile;
  profile.status_overrides = {{violations::kKeysAfterCompletion.id, kStatusInitiatorError}};
  return profile;
}

ResponderProfile ResponderProfile::tgt_1_0_85() {
  ResponderProfile profile;
  profile.algorithms = {{kAlgorithmMd5, Hash::md5}, {kAlgorithmSha256, Hash::sha1}};
  // The capture in shared/testdata shows tgt 1.0.85 sending a 50-byte MD5 challenge.
  profile.challenge_length = 50;
  profile.mirror_challenge_encoding = true;
  profile.send_reject_for_no_common_algorithm = false;
  // tgt's CHAP_INITIATOR_ERROR becomes Login status 0x0200.
  profile.status_overrides = {
      {violations::kKeysAfterCompletion.id, kStatusInitiatorError},
      {violations::kNoCommonAlgorithm.id, kStatusInitiatorError},
      {violations::kResponseTooLong.id, kStatusInitiatorError},
      {violations::kMissingKey.id, kStatusInitiatorError},
      {violations::kMalformedResponse.id, kStatusInitiatorError},
      {violations::kMalformedChallenge.id, kStatusInitiatorError},
      {violations::kChallengeTooLong.id, kStatusInitiatorError},
      {violations::kReflectedChallenge.id, kStatusInitiatorError},
  };
  return profile;
}

std::uint16_t ResponderProfile::status_for(std::string_view violation_id) const {
  for (const StatusOverride& entry : status_overrides) {
    if (entry.violation_id == violation_id) return entry.login_status;
  }
  return default_failure_status;
}

}  // namespace iscsi::chap
