#pragma once
// The target parameters `tgtadm --mode target --op update --name K --value V` sets and
// `--op show --tid N` prints, as tgt 1.0.85 defines them (usr/iscsi/param.c session_keys[],
// usr/iscsi/target.c iscsi_target_create() defaults and iscsi_target_update()).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "target-impl/config/model.hpp"

namespace iscsi::target::config {

enum class ParamKind : std::uint8_t {
  range,        // a number within [min, max] (tgt: strtol base 0, garbage after digits ignored)
  range_or_zero,  // 0, or a number within [min, max] (MaxOutstandingUnexpectedPDUs)
  boolean,      // exactly "Yes" or "No"
  digest,       // a list of "None"/"CRC32C" items; CRC32C anywhere enables it (stored as the
                // preference list "CRC32C,None", shown as "CRC32C")
  marker,       // OFMarkInt/IFMarkInt: "Reject" until updated, then any value shows "Irrelevant"
};

struct ParamSpec {
  std::string_view name;
  ParamKind kind;
  std::uint64_t min;
  std::uint64_t max;
  std::string_view default_value;  // what `--op show --tid` prints for a new target
};

// tgt's table, in the order `--op show --tid N` prints it (after nop_interval and nop_count).
const std::vector<ParamSpec>& target_param_specs();

// Looks a key up the way tgt does: case-insensitively.
const ParamSpec* find_param_spec(std::string_view name);

// Validates `value` for `spec` as tgt does and returns the canonical value stored in
// TargetConfig::params ("4096", "Yes", "CRC32C,None"), or nullopt when tgt answers "invalid
// request". Digests are stored as the offer list the target negotiates with: tgt always
// allows None and prefers CRC32C once it is configured.
std::optional<std::string> canonical_param_value(const ParamSpec& spec, std::string_view value);

// What `--op show --tid N` prints for a stored value (a digest list shows its choice: "CRC32C").
std::string display_param_value(const ParamSpec& spec, std::string_view value);

// Every parameter with its effective stored value (the update if any, else tgt's default), in
// tgt's order. The login engine reads negotiation limits from here.
std::vector<std::pair<std::string, std::string>> effective_params(const TargetConfig& target);
std::string effective_param(const TargetConfig& target, std::string_view name);

// Login redirection (RedirectAddress/RedirectPort/RedirectReason); present only when an
// address and a reason of Temporary or Permanent are configured, which is when tgt redirects.
struct Redirect {
  std::string address;
  std::string port;  // may be empty: the initiator then uses the default port
  bool permanent = false;  // false: "Temporary" (status 0x0101), true: 0x0102
};
std::optional<Redirect> redirect_of(const TargetConfig& target);

}  // namespace iscsi::target::config
