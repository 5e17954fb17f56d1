#pragma once
// Shared pieces of the tgtadm executor (one file per mode).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "target-impl/config/tgtadm.hpp"

namespace iscsi::target::config::detail {

// tgt's enum tgtadm_errno values that the daemon answers with (usr/tgtadm_error.h) and the
// strings tgtadm prints for them (usr/tgtadm.c tgtadm_strerror).
enum class AdmError : std::uint8_t {
  nomem,
  no_driver,
  no_target,
  no_lun,
  target_exist,
  lun_exist,
  acl_exist,
  acl_noexist,
  user_exist,
  no_user,
  too_many_user,
  invalid_request,
  outaccount_exist,
  target_active,
  unsupported_operation,
  prevent_removal,
};

std::string_view message(AdmError error);

// The target with this --tid, or nullptr (tgtadm's tids are positive; a negative one names none).
inline TargetConfig* target_by_tid(SystemConfig& config, std::int32_t tid) {
  if (tid < 0) return nullptr;
  auto it = config.targets.find(static_cast<std::uint32_t>(tid));
  return it == config.targets.end() ? nullptr : &it->second;
}

inline Execution refused(AdmError error) {
  return Execution{Reply{"", "tgtadm: " + std::string(message(error)) + "\n", exit_einval}, {}};
}

inline Execution succeeded(std::string out = {}, std::vector<Effect> effects = {}) {
  return Execution{Reply{std::move(out), "", 0}, std::move(effects)};
}

// "sync", "direct", "sync:direct" (either order) as tgt's --bsoflags; printed sync first.
std::optional<std::string> canonical_oflags(std::string_view text);

// Applies `--params k=v,k=v` to a copy of a LUN as tgt's lu_config does, all or nothing.
std::optional<AdmError> apply_lun_params(LunConfig& lun, std::string_view params,
                                         ExecutionHost& host, const LunRuntimeState& state);

Execution execute_target(const Request& request, SystemConfig& config, ExecutionHost& host);
Execution execute_lun(const Request& request, SystemConfig& config, ExecutionHost& host);
Execution execute_account(const Request& request, SystemConfig& config);

}  // namespace iscsi::target::config::detail
