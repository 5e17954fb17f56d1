#include "core/chap/exchange.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "core/chap/key_parsing.hpp"
#include "core/chap/violations.hpp"

namespace iscsi::chap {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::continue_exchange:
      return "continue";
    case Outcome::succeeded:
      return "succeeded";
    case Outcome::failed:
      return "failed";
  }
  return "unknown";
}

bool constant_time_equal(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Violation> keys_after_completion(const KeyList& keys, std::string_view pdu) {
  auto received = collect_keys(keys, pdu);
  if (received && received->empty()) return std::nullopt;
  return Violation{violations::kKeysAfterCompletion,
                   fmt::format("{} carries CHAP keys after authentication completed", pdu)};
}

Step succeeded_step() {
  Step step;
  step.outcome = Outcome::succeeded;
  return step;
}

Step repeated_failure_step(const std::optional<Failure>& failure) {
  Step step;
  step.outcome = Outcome::failed;
  step.failure = failure;
  return step;
}

}  // namespace iscsi::chap
