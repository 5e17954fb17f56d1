// `tgtadm --mode account`: tgt's account_add, account_del and account_ctl (usr/target.c).
// An account bound without --tid belongs to tgt's global target: it authenticates discovery
// sessions (incoming) and answers mutual CHAP on them (outgoing).
#include <algorithm>

#include "target-impl/config/execute_detail.hpp"
#include "target-impl/config/show.hpp"

namespace iscsi::target::config::detail {
namespace {

// The incoming list and the outgoing slot an account bind/unbind works on.
struct Binding {
  std::vector<std::string>* incoming = nullptr;
  std::optional<std::string>* outgoing = nullptr;
  Effect effect;
};

std::optional<Binding> binding_of(const Request& request, SystemConfig& config) {
  if (request.tid_global) {
    return Binding{&config.discovery_incoming_users, &config.discovery_outgoing_user,
                   Effect{EffectKind::accounts_changed, 0, 0}};
  }
  if (request.tid < 0) return std::nullopt;
  auto it = config.targets.find(static_cast<std::uint32_t>(request.tid));
  if (it == config.targets.end()) return std::nullopt;
  TargetConfig& target = it->second;
  return Binding{&target.incoming_users, &target.outgoing_user,
                 Effect{EffectKind::target_updated, target.tid, 0}};
}

Execution create_account(const Request& request, SystemConfig& config) {
  const std::string& user = request.user.value_or("");
  if (config.accounts.count(user) != 0) return refused(AdmError::user_exist);
  if (user.empty()) return refused(AdmError::invalid_request);
  if (config.accounts.size() >= max_accounts) return refused(AdmError::too_many_user);
  std::uint64_t order = 0;
  for (const auto& [name, account] : config.accounts) {
    order = std::max(order, account.creation_order);
  }
  config.accounts.emplace(user, Account{user, request.password.value_or(""), order + 1});
  return succeeded({}, {Effect{EffectKind::accounts_changed, 0, 0}});
}

void forget(std::vector<std::string>& users, std::optional<std::string>& outgoing,
            const std::string& user) {
  users.erase(std::remove(users.begin(), users.end(), user), users.end());
  if (outgoing == user) outgoing.reset();
}

Execution destroy_account(const Request& request, SystemConfig& config) {
  const std::string& user = request.user.value_or("");
  if (config.accounts.count(user) == 0) return refused(AdmError::no_user);
  config.accounts.erase(user);
  std::vector<Effect> effects{Effect{EffectKind::accounts_changed, 0, 0}};
  // A deleted account is unbound everywhere, as tgt's account_del does.
  forget(config.discovery_incoming_users, config.discovery_outgoing_user, user);
  for (auto& [tid, target] : config.targets) {
    bool bound = std::find(target.incoming_users.begin(), target.incoming_users.end(), user) !=
                     target.incoming_users.end() ||
                 target.outgoing_user == user;
    forget(target.incoming_users, target.outgoing_user, user);
    if (bound) effects.push_back(Effect{EffectKind::target_updated, tid, 0});
  }
  return succeeded({}, std::move(effects));
}

Execution bind_account(const Request& request, SystemConfig& config) {
  auto binding = binding_of(request, config);
  if (!binding) return refused(AdmError::no_target);
  const std::string& user = request.user.value_or("");
  if (config.find_account(user) == nullptr) return refused(AdmError::no_user);
  if (request.outgoing) {
    if (binding->outgoing->has_value()) return refused(AdmError::outaccount_exist);
    *binding->outgoing = user;
    return succeeded({}, {binding->effect});
  }
  auto& users = *binding->incoming;
  if (std::find(users.begin(), users.end(), user) != users.end()) {
    return refused(AdmError::user_exist);
  }
  if (users.size() >= max_incoming_users_per_target) return refused(AdmError::too_many_user);
  users.push_back(user);
  return succeeded({}, {binding->effect});
}

Execution unbind_account(const Request& request, SystemConfig& config) {
  auto binding = binding_of(request, config);
  if (!binding) return refused(AdmError::no_target);
  const std::string& user = request.user.value_or("");
  if (request.outgoing) {
    if (*binding->outgoing != user) return refused(AdmError::no_user);
    binding->outgoing->reset();
    return succeeded({}, {binding->effect});
  }
  auto& users = *binding->incoming;
  auto it = std::find(users.begin(), users.end(), user);
  if (it == users.end()) return refused(AdmError::no_user);
  users.erase(it);
  return succeeded({}, {binding->effect});
}

}  // namespace

Execution execute_account(const Request& request, SystemConfig& config) {
  switch (request.op) {
    case Op::new_: return create_account(request, config);
    case Op::delete_: return destroy_account(request, config);
    case Op::show: return succeeded(show_accounts(config));
    case Op::bind: return bind_account(request, config);
    case Op::unbind: return unbind_account(request, config);
    case Op::update: case Op::stat: case Op::start: case Op::stop:
      return refused(AdmError::invalid_request);
  }
  return refused(AdmError::invalid_request);
}

}  // namespace iscsi::target::config::detail
