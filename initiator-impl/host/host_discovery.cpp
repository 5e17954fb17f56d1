// `-m discovery -t st -p IP[:PORT] [-I iface]` (usr/iscsiadm.c do_target_discovery,
// usr/discovery.c): plan the discovery record, run the SendTargets exchange, reconnecting up
// to discovery.sendtargets.reopen_max times, then rewrite the node records from the answer.
#include <fmt/format.h>

#include "initiator-impl/host/host_core.hpp"
#include "initiator-impl/host/login_settings.hpp"
#include "initiator-impl/host/outcome_mapping.hpp"
#include "initiator-impl/iscsiadm/discovery_ops.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"

namespace iscsi::initiator::host {
namespace {

namespace keys = iscsiadm::keys;
using iscsiadm::Report;

struct DiscoveryRun {
  Report printed;  // what plan_discovery printed
  iscsiadm::ConfFile conf;
  DiscoveryLogin login;
  std::string address;
  int port = 3260;
  std::vector<iscsiadm::Record> ifaces;
  std::string initiator_name;
  bool then_login = false;  // -l: log in to the records found (do_target_discovery's do_login)
};

// The node records this discovery portal found, as they are stored now.
std::vector<iscsiadm::StoredNode> found_by(const iscsiadm::NodeDb& db, const DiscoveryRun& run) {
  std::vector<iscsiadm::StoredNode> found;
  for (iscsiadm::StoredNode& node : db.all()) {
    const iscsiadm::Record& rec = node.record;
    if (rec.get(keys::disc_type) == "send_targets" && rec.get(keys::disc_address) == run.address &&
        rec.get_int(keys::disc_port) == run.port) {
      found.push_back(std::move(node));
    }
  }
  return found;
}

// The answer as portals; a target without TargetAddress is reached at the discovery portal
// (RFC 7143 Appendix C), with portal group tag 1 as open-iscsi assumes.
std::vector<iscsiadm::DiscoveredPortal> portals_of(const DiscoveryRun& run,
                                                   const client::DiscoveryOutcome& outcome) {
  std::vector<iscsiadm::DiscoveredPortal> portals;
  for (const text::SendTargetsRecord& record : outcome.targets) {
    if (record.addresses.empty()) {
      portals.push_back({record.target_name, run.address, run.port, 1});
      continue;
    }
    for (const text::TargetAddress& address : record.addresses) {
      portals.push_back({record.target_name, address.host, address.port,
                         address.portal_group_tag.value_or(1)});
    }
  }
  return portals;
}

void attempt_discovery(HostCore& core, const std::shared_ptr<DiscoveryRun>& run, int attempt);

void on_discovery_outcome(HostCore& core, const std::shared_ptr<DiscoveryRun>& run, int attempt,
                          const client::DiscoveryOutcome& outcome) {
  const MappedDiscovery mapped = map_discovery(outcome);
  Report report = run->printed;
  if (mapped.failure == iscsiadm::DiscoveryFailure::none) {
    iscsiadm::SendTargetsInput input{run->address, run->port, portals_of(*run, outcome),
                                     run->ifaces};
    report.append(iscsiadm::apply_sendtargets(core.db(), run->conf, input, core.probe()));
    if (run->then_login && report.exit_code == 0) {
      core.login_nodes(found_by(core.db(), *run), run->initiator_name, std::move(report));
      return;
    }
    core.finish(std::move(report));
    return;
  }
  const int reopen_max = static_cast<int>(run->login.reopen_max);
  if (mapped.retryable && attempt <= reopen_max) {
    core.after(core.settings().login_retry_delay,
               [run, attempt](HostCore& c) { attempt_discovery(c, run, attempt + 1); });
    return;
  }
  iscsiadm::DiscoveryOutcome failed{mapped.failure, mapped.status, mapped.reason, attempt,
                                    reopen_max};
  report.append(iscsiadm::discovery_failure_report(run->address, run->port, failed));
  core.finish(std::move(report));
}

// `attempt` counts from 1: the first connection and reopen_max more.
void attempt_discovery(HostCore& core, const std::shared_ptr<DiscoveryRun>& run, int attempt) {
  std::weak_ptr<HostCore> weak = core.weak_from_this();
  core.client().discover(run->login.request,
                         [weak, run, attempt](const client::DiscoveryOutcome& outcome) {
                           auto locked = weak.lock();
                           if (!locked) return;
                           on_discovery_outcome(*locked, run, attempt, outcome);
                         });
}

Report failed(Report printed, std::string_view message, iscsiadm::ErrorCode code) {
  printed.error(message);
  printed.exit_code = iscsiadm::exit_code(code);
  return printed;
}

}  // namespace

void HostCore::run_discovery(const iscsiadm::Request& request, iscsiadm::Home home) {
  iscsiadm::DiscoveryPlan plan = iscsiadm::plan_discovery(db(), home.conf, request);
  if (!plan.sendtargets) {
    finish(std::move(plan.report));
    return;
  }
  auto run = std::make_shared<DiscoveryRun>();
  run->printed = std::move(plan.report);
  run->conf = std::move(home.conf);
  run->address = plan.sendtargets->get(keys::st_address);
  run->port = plan.sendtargets->get_int(keys::st_port);
  run->initiator_name = home.initiator_name;
  run->then_login = request.login;
  for (const std::string& name : request.ifaces) {
    auto iface = iscsiadm::read_iface(files(), name);
    if (!iface) {
      finish(failed(std::move(run->printed),
                    fmt::format("Could not read iface {}. Error {}", name,
                                iscsiadm::exit_code(iscsiadm::ErrorCode::no_objs_found)),
                    iscsiadm::ErrorCode::no_objs_found));
      return;
    }
    run->ifaces.push_back(std::move(*iface));
  }
  // The discovery connection goes out through the first iface (its source address).
  const iscsiadm::Record source = run->ifaces.empty() ? iscsiadm::default_iface() : run->ifaces[0];
  DiscoveryLoginSettings settings =
      discovery_login_settings(*plan.sendtargets, source, home.initiator_name);
  if (!settings.login) {
    finish(failed(std::move(run->printed),
                  fmt::format("cannot discover at {}: {}",
                              iscsiadm::format_portal(run->address, run->port), settings.error),
                  iscsiadm::ErrorCode::inval));
    return;
  }
  run->login = std::move(*settings.login);
  attempt_discovery(*this, run, 1);
}

}  // namespace iscsi::initiator::host
