// `tgtadm --mode target`: tgt's tgt_target_create/destroy, acl_add/del, iqn_acl_add/del and
// iscsi_target_update (usr/target.c, usr/iscsi/target.c).
#include <algorithm>

#include "core/cli/c_numbers.hpp"
#include "target-impl/config/acl.hpp"
#include "target-impl/config/execute_detail.hpp"
#include "target-impl/config/show.hpp"
#include "target-impl/config/target_params.hpp"

namespace iscsi::target::config::detail {
namespace {

Effect target_updated(const TargetConfig& target) {
  return Effect{EffectKind::target_updated, target.tid, 0};
}

Execution create_target(const Request& request, SystemConfig& config) {
  auto tid = static_cast<std::uint32_t>(request.tid);
  const std::string& name = request.targetname.value_or("");
  if (config.targets.count(tid) != 0 || config.find_target(name) != nullptr) {
    return refused(AdmError::target_exist);
  }
  if (name.empty()) return refused(AdmError::invalid_request);
  if (config.targets.size() >= max_targets) return refused(AdmError::nomem);
  TargetConfig target;
  target.tid = tid;
  target.name = name;
  config.targets.emplace(tid, std::move(target));
  return succeeded({}, {Effect{EffectKind::target_added, tid, 0}});
}

Execution destroy_target(const Request& request, SystemConfig& config, const ExecutionHost& host) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  if (!request.force && !host.sessions(target->tid).empty()) {
    return refused(AdmError::target_active);
  }
  std::uint32_t tid = target->tid;
  config.targets.erase(tid);
  return succeeded({}, {Effect{EffectKind::target_removed, tid, 0}});
}

Execution show_target(const Request& request, SystemConfig& config, const ExecutionHost& host) {
  if (request.tid < 0) return succeeded(show_targets(config, host));
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  return succeeded(show_target_params(*target));
}

Execution bind_address(const Request& request, SystemConfig& config) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  // Binding a SCSI host (--host/--bus) has no meaning for iSCSI.
  if (!request.initiator_address && !request.initiator_name) {
    return refused(AdmError::invalid_request);
  }
  TargetConfig changed = *target;
  if (request.initiator_address) {
    auto rule = parse_address_rule(*request.initiator_address);
    if (!rule) return refused(AdmError::invalid_request);
    auto& rules = changed.initiator_addresses;
    bool exists = std::any_of(rules.begin(), rules.end(),
                              [&](const AddressRule& r) { return r.text == rule->text; });
    if (exists) return refused(AdmError::acl_exist);
    rules.push_back(std::move(*rule));
  }
  if (request.initiator_name) {
    auto& names = changed.initiator_names;
    if (std::find(names.begin(), names.end(), *request.initiator_name) != names.end()) {
      return refused(AdmError::acl_exist);
    }
    names.push_back(*request.initiator_name);
  }
  if (changed.initiator_addresses.size() + changed.initiator_names.size() >
      max_acl_entries_per_target) {
    return refused(AdmError::nomem);
  }
  *target = std::move(changed);
  return succeeded({}, {target_updated(*target)});
}

Execution unbind_address(const Request& request, SystemConfig& config) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  if (!request.initiator_address && !request.initiator_name) {
    return refused(AdmError::invalid_request);
  }
  TargetConfig changed = *target;
  if (request.initiator_address) {
    auto& rules = changed.initiator_addresses;
    auto it = std::find_if(rules.begin(), rules.end(), [&](const AddressRule& r) {
      return r.text == *request.initiator_address;
    });
    if (it == rules.end()) return refused(AdmError::acl_noexist);
    rules.erase(it);
  }
  if (request.initiator_name) {
    auto& names = changed.initiator_names;
    auto it = std::find(names.begin(), names.end(), *request.initiator_name);
    if (it == names.end()) return refused(AdmError::acl_noexist);
    names.erase(it);
  }
  *target = std::move(changed);
  return succeeded({}, {target_updated(*target)});
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The non-negotiation names iscsi_target_update() recognizes, by prefix as tgt compares them.
std::optional<Execution> update_special(TargetConfig& target, std::string_view name,
                                        const std::string& value) {
  if (starts_with(name, "RedirectAddress") || starts_with(name, "RedirectPort")) {
    target.params[starts_with(name, "RedirectAddress") ? "RedirectAddress" : "RedirectPort"] =
        value;
    return succeeded({}, {target_updated(target)});
  }
  if (starts_with(name, "RedirectReason")) {
    if (starts_with(value, "Temporary")) {
      target.params["RedirectReason"] = "Temporary";
    } else if (starts_with(value, "Permanent")) {
      target.params["RedirectReason"] = "Permanent";
    } else {
      return refused(AdmError::invalid_request);
    }
    return succeeded({}, {target_updated(target)});
  }
  if (starts_with(name, "nop_count") || starts_with(name, "nop_interval")) {
    int number = cli::c_atoi(value);
    if (number < 0) return refused(AdmError::invalid_request);
    auto& field = starts_with(name, "nop_count") ? target.nop_count : target.nop_interval;
    field = static_cast<std::uint32_t>(number);
    return succeeded({}, {target_updated(target)});
  }
  // RedirectCallback runs an external program in tgtd; the reference target runs none.
  return std::nullopt;
}

Execution update_target(const Request& request, SystemConfig& config) {
  TargetConfig* target = target_by_tid(config, request.tid);
  if (target == nullptr) return refused(AdmError::no_target);
  const std::string& name = request.name.value_or("");
  const std::string& value = request.value.value_or("");
  if (auto special = update_special(*target, name, value)) return std::move(*special);
  const ParamSpec* spec = find_param_spec(name);
  if (spec == nullptr) return refused(AdmError::invalid_request);
  auto canonical = canonical_param_value(*spec, value);
  if (!canonical) return refused(AdmError::invalid_request);
  target->params[std::string(spec->name)] = *canonical;
  return succeeded({}, {target_updated(*target)});
}

}  // namespace

Execution execute_target(const Request& request, SystemConfig& config, ExecutionHost& host) {
  switch (request.op) {
    case Op::new_: return create_target(request, config);
    case Op::delete_: return destroy_target(request, config, host);
    case Op::show: return show_target(request, config, host);
    case Op::bind: return bind_address(request, config);
    case Op::unbind: return unbind_address(request, config);
    case Op::update: return update_target(request, config);
    case Op::stat: case Op::start: case Op::stop:
      return refused(AdmError::invalid_request);
  }
  return refused(AdmError::invalid_request);
}

}  // namespace iscsi::target::config::detail
