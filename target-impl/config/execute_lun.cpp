// `tgtadm --mode logicalunit`: tgt's tgt_device_create/destroy/update (usr/target.c) and the
// --params keys of lu_config (usr/spc.c).
#include <algorithm>

#include "core/cli/c_numbers.hpp"
#include "target-impl/config/acl.hpp"
#include "target-impl/config/execute_detail.hpp"

namespace iscsi::target::config::detail {
namespace {

// tgt's bs_null reports a fixed 1 TiB when it is given a path (and nothing without one).
constexpr std::uint64_t null_store_bytes = std::uint64_t{1} << 40;
constexpr std::uint32_t max_block_size = 1U << 20;

std::optional<BackingType> backing_type(const Request& request) {
  if (!request.bstype) {
    bool ram = request.backing_store && request.backing_store->rfind("ram:", 0) == 0;
    return ram ? BackingType::ram : BackingType::rdwr;
  }
  const std::string& name = *request.bstype;
  if (name == "rdwr") return BackingType::rdwr;
  if (name == "aio") return BackingType::aio;
  if (name == "null") return BackingType::null;
  if (name == "ram") return BackingType::ram;
  return std::nullopt;  // tgt's sg, bsg, ssc, smc, mmc, sheepdog, rbd, glfs are not emulated
}

// tgt ignores a --blocksize that is not a power of two of at least 512 (the LUN keeps 512).
std::uint32_t block_size_of(const Request& request) {
  if (!request.blocksize) return 512;
  auto converted = cli::c_strtoull(*request.blocksize);
  if (!converted || converted->negative || converted->overflow) return 512;
  std::uint64_t value = converted->value;
  bool power_of_two = value != 0 && (value & (value - 1U)) == 0;
  if (!power_of_two || value < 512 || value > max_block_size) return 512;
  return static_cast<std::uint32_t>(value);
}

// Sizes the new LUN: a RAM size, tgt's null store, or the host's probe of the file.
std::optional<AdmError> size_lun(LunConfig& lun, ExecutionHost& host) {
  if (lun.backing_store.empty()) {
    // tgt: a disk without a backing store is a removable medium that is not loaded.
    if (lun.bstype == BackingType::ram) return AdmError::invalid_request;
    lun.params.online = false;
    lun.params.removable = true;
    return std::nullopt;
  }
  switch (lun.bstype) {
    case BackingType::ram: {
      std::string_view text = lun.backing_store;
      if (text.rfind("ram:", 0) == 0) text.remove_prefix(4);
      auto size = parse_size(text);
      if (!size || *size % lun.block_size != 0) return AdmError::invalid_request;
      lun.size_bytes = *size;
      return std::nullopt;
    }
    case BackingType::null:
      lun.size_bytes = null_store_bytes;
      return std::nullopt;
    case BackingType::rdwr:
    case BackingType::aio: {
      auto size = host.probe_backing_store(lun);
      if (!size) return AdmError::invalid_request;
      lun.size_bytes = *size;
      return std::nullopt;
    }
  }
  return AdmError::invalid_request;
}

Execution create_lun(const Request& request, SystemConfig& config, ExecutionHost& host) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  std::uint64_t number = request.lun.value_or(0);
  if (number == 0 || target->luns.count(static_cast<std::uint32_t>(number)) != 0) {
    return refused(AdmError::lun_exist);  // LUN 0 is always the controller
  }
  // Only disks are emulated; --bsopts has no meaning for the stores that are.
  if (number > max_lun_number || request.device_type != "disk" || request.bsopts) {
    return refused(AdmError::invalid_request);
  }
  if (target->luns.size() >= max_luns_per_target) return refused(AdmError::nomem);
  auto type = backing_type(request);
  if (!type) return refused(AdmError::invalid_request);
  LunConfig lun;
  lun.lun = static_cast<std::uint32_t>(number);
  lun.bstype = *type;
  lun.backing_store = request.backing_store.value_or("");
  lun.block_size = block_size_of(request);
  if (request.bsoflags) {
    auto flags = canonical_oflags(*request.bsoflags);
    if (!flags || lun.bstype != BackingType::rdwr) return refused(AdmError::invalid_request);
    lun.bsoflags = *flags;
  }
  if (auto error = size_lun(lun, host)) return refused(*error);
  target->luns.emplace(lun.lun, std::move(lun));
  return succeeded({}, {Effect{EffectKind::lun_added, target->tid, static_cast<std::uint32_t>(number)}});
}

// Finds the LUN an update or delete names; LUN 0 (the controller) is not configurable here.
std::optional<AdmError> locate(SystemConfig& config, const Request& request, LunConfig*& out) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return AdmError::no_target;
  std::uint64_t number = request.lun.value_or(0);
  if (number == 0) return AdmError::invalid_request;
  if (number > max_lun_number) return AdmError::no_lun;
  auto it = target->luns.find(static_cast<std::uint32_t>(number));
  if (it == target->luns.end()) return AdmError::no_lun;
  out = &it->second;
  return std::nullopt;
}

Execution destroy_lun(const Request& request, SystemConfig& config) {
  LunConfig* lun = nullptr;
  if (auto error = locate(config, request, lun)) return refused(*error);
  auto tid = static_cast<std::uint32_t>(request.tid);
  std::uint32_t number = lun->lun;
  config.targets.at(tid).luns.erase(number);
  return succeeded({}, {Effect{EffectKind::lun_removed, tid, number}});
}

Execution update_lun(const Request& request, SystemConfig& config, ExecutionHost& host) {
  LunConfig* lun = nullptr;
  if (auto error = locate(config, request, lun)) return refused(*error);
  // tgt passes --blocksize to lu_config, which does not know it.
  if (request.blocksize) return refused(AdmError::invalid_request);
  auto tid = static_cast<std::uint32_t>(request.tid);
  LunConfig changed = *lun;
  if (request.bsoflags) {
    auto flags = canonical_oflags(*request.bsoflags);
    if (!flags || changed.bstype != BackingType::rdwr) return refused(AdmError::invalid_request);
    changed.bsoflags = *flags;
  }
  if (request.params) {
    LunRuntimeState state = host.lun_state(tid, changed.lun);
    if (auto error = apply_lun_params(changed, *request.params, host, state)) {
      return refused(*error);
    }
  }
  *lun = std::move(changed);
  return succeeded({}, {Effect{EffectKind::lun_updated, tid, lun->lun}});
}

}  // namespace

Execution execute_lun(const Request& request, SystemConfig& config, ExecutionHost& host) {
  switch (request.op) {
    case Op::new_: return create_lun(request, config, host);
    case Op::delete_: return destroy_lun(request, config);
    case Op::update: return update_lun(request, config, host);
    case Op::stat: case Op::show: case Op::bind: case Op::unbind: case Op::start: case Op::stop:
      return refused(AdmError::invalid_request);
  }
  return refused(AdmError::invalid_request);
}

}  // namespace iscsi::target::config::detail
