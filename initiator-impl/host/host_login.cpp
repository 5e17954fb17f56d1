// `-m node -l` / `-L` and `-u` / `-U` (usr/iscsiadm.c login_portals, logout_by_startup): every
// selected record logs in at once, each retrying on its own as iscsid does, and the report
// comes when all have ended.
#include <fmt/format.h>

#include "initiator-impl/host/host_core.hpp"
#include "initiator-impl/host/login_settings.hpp"
#include "initiator-impl/host/outcome_mapping.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "initiator-impl/iscsiadm/node_ops.hpp"

namespace iscsi::initiator::host {
namespace {

namespace keys = iscsiadm::keys;
using iscsiadm::LoginFailure;
using iscsiadm::Report;

struct LoginBatch {
  std::vector<iscsiadm::LoginAttempt> attempts;
  std::vector<iscsiadm::Record> nodes;
  std::vector<std::optional<NodeLogin>> logins;
  std::vector<int> sids;
  std::string initiator_name;
  Report before;  // what the command printed before the logins (a discovery's lines)
  Report setting_errors;
  std::size_t pending = 0;
};

iscsiadm::LoginTarget login_target(const iscsiadm::Record& node) {
  return iscsiadm::LoginTarget{node.get(keys::iface_name), node.get(keys::node_name),
                               node.get(keys::conn_address), node.get_int(keys::conn_port)};
}

// The iface the record is bound to, as stored now (its address may have been updated since
// the node record was written); the record's own copy when the iface file is gone.
iscsiadm::Record iface_of(iscsiadm::FileStore& files, const iscsiadm::Record& node) {
  if (auto iface = iscsiadm::read_iface(files, node.get(keys::iface_name))) return *iface;
  iscsiadm::Record copy = iscsiadm::default_iface();
  for (std::string_view key : {keys::iface_name, keys::iface_ipaddress, keys::iface_hwaddress,
                               keys::iface_netdev, keys::iface_transport,
                               keys::iface_initiatorname}) {
    copy.set_raw(key, node.get(key));
  }
  return copy;
}

void report_batch(HostCore& core, LoginBatch& batch) {
  Report report = iscsiadm::login_report(batch.attempts);
  report.err += batch.setting_errors.err;
  if (report.exit_code == 0) report.exit_code = batch.setting_errors.exit_code;
  Report whole = std::move(batch.before);
  whole.append(report);
  core.finish(std::move(whole));
}

void attempt_login(HostCore& core, const std::shared_ptr<LoginBatch>& batch, std::size_t index,
                   unsigned tries);

void on_login_outcome(HostCore& core, const std::shared_ptr<LoginBatch>& batch, std::size_t index,
                      unsigned tries, client::LoginOutcome outcome) {
  const MappedLogin mapped = map_login(outcome);
  if (outcome.ok()) {
    core.adopt(batch->sids[index], batch->nodes[index], batch->initiator_name,
               std::move(outcome.session));
  } else if (mapped.retryable && tries < batch->logins[index]->retry_max) {
    // iscsi_login_eh(): a retryable failure tries again after a pause.
    core.after(core.settings().login_retry_delay, [batch, index, tries](HostCore& c) {
      attempt_login(c, batch, index, tries + 1);
    });
    return;
  }
  batch->attempts[index].outcome = mapped.outcome;
  if (--batch->pending == 0) report_batch(core, *batch);
}

void attempt_login(HostCore& core, const std::shared_ptr<LoginBatch>& batch, std::size_t index,
                   unsigned tries) {
  std::weak_ptr<HostCore> weak = core.weak_from_this();
  core.client().login(batch->logins[index]->request,
                      [weak, batch, index, tries](client::LoginOutcome outcome) {
                        auto locked = weak.lock();
                        if (!locked) return;
                        on_login_outcome(*locked, batch, index, tries, std::move(outcome));
                      });
}

}  // namespace

void HostCore::run_login(const iscsiadm::Request& request, iscsiadm::Home home) {
  iscsiadm::Selection selection = iscsiadm::select_for_login(db(), request);
  if (selection.nodes.empty()) {
    finish(std::move(selection.report));
    return;
  }
  login_nodes(std::move(selection.nodes), home.initiator_name, Report{});
}

void HostCore::login_nodes(std::vector<iscsiadm::StoredNode> nodes,
                           const std::string& initiator_name, Report before) {
  auto batch = std::make_shared<LoginBatch>();
  batch->initiator_name = initiator_name;
  batch->before = std::move(before);
  std::vector<std::size_t> to_start;
  for (iscsiadm::StoredNode& stored : nodes) {
    const iscsiadm::Record& node = stored.record;
    iscsiadm::LoginAttempt attempt{login_target(node), {}};
    std::optional<NodeLogin> login;
    if (has_session(node)) {
      attempt.outcome.failure = LoginFailure::already_logged_in;
    } else {
      NodeLoginSettings settings =
          node_login_settings(node, iface_of(files(), node), initiator_name);
      if (!settings.login) {
        batch->setting_errors.error(fmt::format(
            "cannot log in to [iface: {}, target: {}, portal: {},{}]: {}", attempt.target.iface,
            attempt.target.target, attempt.target.address, attempt.target.port, settings.error));
        batch->setting_errors.exit_code = iscsiadm::exit_code(iscsiadm::ErrorCode::inval);
        continue;
      }
      login = std::move(settings.login);
      to_start.push_back(batch->attempts.size());
    }
    batch->attempts.push_back(std::move(attempt));
    batch->nodes.push_back(node);
    batch->sids.push_back(login ? reserve_sid() : 0);
    batch->logins.push_back(std::move(login));
  }
  batch->pending = to_start.size();
  if (batch->pending == 0) {
    report_batch(*this, *batch);
    return;
  }
  for (std::size_t index : to_start) attempt_login(*this, batch, index, 0);
}

namespace {

struct LogoutBatch {
  std::vector<iscsiadm::LogoutAttempt> attempts;
  std::vector<int> sids;
  std::size_t pending = 0;
};

bool startup_matches(const iscsiadm::Record& node, std::string_view word) {
  return word == "all" || node.get(keys::node_startup) == word;
}

// Which sessions a logout names: -U by node.startup, -r by sid, otherwise the -T/-p/-I filter
// (none: every session, as `-m session -u`).
std::vector<int> logout_selection(std::map<int, HostSession>& table,
                                  const iscsiadm::Request& request) {
  std::vector<int> sids;
  const iscsiadm::NodeFilter filter = iscsiadm::filter_from(request);
  for (const auto& [sid, entry] : table) {
    bool chosen = false;
    if (request.logout_all) chosen = startup_matches(entry.node, *request.logout_all);
    else if (request.sid) chosen = *request.sid == sid;
    else chosen = iscsiadm::matches(filter, entry.node);
    if (chosen) sids.push_back(sid);
  }
  return sids;
}

}  // namespace

void HostCore::run_logout(const iscsiadm::Request& request) {
  auto batch = std::make_shared<LogoutBatch>();
  batch->sids = logout_selection(table(), request);
  for (int sid : batch->sids) batch->attempts.push_back({session_info(table().at(sid)), true});
  batch->pending = batch->sids.size();
  if (batch->pending == 0) {
    finish(iscsiadm::logout_report({}));
    return;
  }
  std::weak_ptr<HostCore> weak = weak_from_this();
  for (std::size_t i = 0; i < batch->sids.size(); ++i) {
    const int sid = batch->sids[i];
    table().at(sid).session->logout([weak, batch, i, sid](const session::LogoutCompleted& done) {
      auto core = weak.lock();
      if (!core) return;
      batch->attempts[i].ok = !done.failure.has_value();
      // Out of the table on the next turn: the Session is inside its own callback here.
      core->after(runtime::Duration::zero(), [batch, sid](HostCore& c) {
        c.retire(sid);
        if (--batch->pending == 0) c.finish(iscsiadm::logout_report(batch->attempts));
      });
    });
  }
}

}  // namespace iscsi::initiator::host
