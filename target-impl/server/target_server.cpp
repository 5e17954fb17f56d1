#include "target-impl/server/target_server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "target-impl/login/send_targets.hpp"
#include "target-impl/scsi/backing/tracked_store.hpp"
#include "target-impl/scsi/make_port.hpp"
#include "target-impl/server/server_violations.hpp"

namespace iscsi::target::server {
namespace {

// tgt's bs_null reports a 1 TiB medium when no size is given (usr/bs_null.c, NULL_BS_SIZE).
constexpr std::uint64_t kDefaultNullStoreBytes = std::uint64_t{1} << 40;

// Two LUN configurations on the same store: a RAM LUN keeps its data when only its parameters
// change.
bool same_store(const config::LunConfig& a, const config::LunConfig& b) {
  return a.lun == b.lun && a.bstype == b.bstype && a.backing_store == b.backing_store;
}

// Two LUN configurations that need the same store and the same device.
bool same_lun(const config::LunConfig& a, const config::LunConfig& b) {
  return same_store(a, b) && a.params.readonly == b.params.readonly &&
         a.params.removable == b.params.removable &&
         a.params.thin_provisioning == b.params.thin_provisioning &&
         a.params.lbppbe == b.params.lbppbe && a.params.sanitize_ms == b.params.sanitize_ms &&
         a.scsi_id == b.scsi_id &&
         a.scsi_sn == b.scsi_sn;
}

// The full feature phase's departures from the RFC under each profile (peer-behaviour.md).
session::SessionQuirks session_quirks(config::Profile profile) {
  session::SessionQuirks quirks;
  if (profile == config::Profile::tgt) {
    quirks.response_exp_data_sn_zero = true;
    quirks.data_in_single_sequence = true;
  }
  return quirks;
}

}  // namespace

TargetServer::TargetServer(ServerRuntime runtime, TargetServerOptions options)
    : runtime_(runtime),
      options_(std::move(options)),
      config_(std::make_shared<const config::SystemConfig>()),
      portals_(options_.portals),
      registry_(options_.max_connections) {}

TargetServer::~TargetServer() {
  stop();
  if (reap_timer_) runtime_.timers->cancel(*reap_timer_);
  dead_.clear();
  connections_.clear();
  ports_.clear();
}

Result<void> TargetServer::start() {
  for (std::size_t i = 0; i < portals_.size(); ++i) {
    auto id = runtime_.network->listen(
        portals_[i], [this](std::unique_ptr<runtime::Stream> stream) { accept(std::move(stream)); });
    if (!id.ok()) {
      stop();
      return Violation{violations::kListenFailed,
                       fmt::format("portal {}: {}", portals_[i].to_string(), id.error().detail)};
    }
    listeners_.push_back(id.value());
    if (options_.listening_endpoint) {
      auto bound = options_.listening_endpoint(id.value());
      if (bound.ok()) portals_[i] = bound.value();
    }
  }
  return success();
}

void TargetServer::stop() {
  for (runtime::ListenerId id : listeners_) runtime_.network->stop_listening(id);
  listeners_.clear();
  std::vector<ConnectionDriver*> live;
  for (const auto& [driver, owned] : connections_) live.push_back(driver);
  for (ConnectionDriver* driver : live) driver->close_session("target shutting down");
}

Result<void> TargetServer::configure(config::SystemConfig next) {
  auto stores = open_stores(next);
  if (!stores.ok()) return stores.error();
  const config::SystemConfig& old = *config_;
  for (const auto& [tid, target] : old.targets) {
    if (!next.targets.contains(tid)) close_target_sessions(tid, "target deleted");
  }
  std::map<std::uint32_t, TargetPort> ports;
  for (const auto& [tid, target] : next.targets) {
    auto existing = ports_.find(tid);
    auto before = old.targets.find(tid);
    if (existing != ports_.end() && before != old.targets.end()) {
      update_luns(existing->second, before->second, target, stores.value());
      ports.emplace(tid, std::move(existing->second));
    } else {
      ports.emplace(tid, build_port(target, stores.value()));
    }
  }
  ports_ = std::move(ports);
  stores_ = std::move(stores).value();
  config_ = std::make_shared<const config::SystemConfig>(std::move(next));
  return success();
}

// Every LUN of `next` gets a store: the one already open when nothing about it changed, else a
// new one. Fills in size_bytes.
Result<TargetServer::Stores> TargetServer::open_stores(
    config::SystemConfig& next) {
  std::map<StoreKey, LunStore> stores;
  for (auto& [tid, target] : next.targets) {
    for (auto& [number, lun] : target.luns) {
      const StoreKey key{tid, number};
      auto existing = stores_.find(key);
      if (existing != stores_.end() && same_store(existing->second.lun, lun)) {
        lun.size_bytes = existing->second.lun.size_bytes;
        stores.emplace(key, LunStore{lun, existing->second.store});
        continue;
      }
      auto store = open_store(lun);
      if (!store.ok()) {
        return Violation{violations::kBackingStore,
                         fmt::format("target {} LUN {}: {}", tid, number, store.error().detail)};
      }
      stores.emplace(key, LunStore{lun, std::move(store).value()});
    }
  }
  return stores;
}

Result<std::shared_ptr<runtime::BlockIo>> TargetServer::open_store(config::LunConfig& lun) {
  Result<std::unique_ptr<runtime::BlockIo>> opened = Violation{violations::kBackingStore, ""};
  switch (lun.bstype) {
    case config::BackingType::rdwr:
    case config::BackingType::aio:
      opened = runtime_.backing->open_file(lun.backing_store);
      break;
    case config::BackingType::ram:
      opened = runtime_.backing->make_ram(lun.size_bytes);
      break;
    case config::BackingType::null:
      opened = runtime_.backing->make_null(lun.size_bytes != 0 ? lun.size_bytes
                                                                : kDefaultNullStoreBytes);
      break;
  }
  if (!opened.ok()) return opened.error();
  lun.size_bytes = opened.value()->size_bytes();
  std::shared_ptr<runtime::BlockIo> store(std::move(opened).value());
  if (lun.bstype == config::BackingType::ram) {
    // A RAM store starts empty, and which blocks were written is known only from the
    // commands: the allocation tracker lives with the store, so a Port rebuilt by a later
    // configuration change (another LUN, new params, thin_provisioning switched on) keeps
    // reporting what was really written (SBC-3 §4.7.2; make_disk wraps only unwrapped stores).
    store = scsi::backing::make_tracked_store(std::move(store),
                                              scsi::backing::InitialAllocation::deallocated);
  }
  return store;
}

TargetServer::TargetPort TargetServer::build_port(const config::TargetConfig& target,
                                                 const Stores& stores) {
  scsi::PortSetup setup;
  setup.target_name = target.name;
  setup.tid = target.tid;
  setup.timers = runtime_.timers;
  for (const auto& [number, lun] : target.luns) {
    setup.luns.push_back(lun_setup(target.tid, lun, stores));
  }
  return scsi::make_port(std::move(setup));
}

// Applies one configuration change to a target's logical units: removed and changed LUNs go,
// added and changed ones come (a changed LUN starts afresh, as after tgtadm's delete and new);
// every other unit keeps its state, and the Port reports the changed inventory with REPORTED
// LUNS DATA HAS CHANGED (SPC-4 §6.33).
void TargetServer::update_luns(TargetPort& port, const config::TargetConfig& before,
                               const config::TargetConfig& after, const Stores& stores) {
  auto unchanged = [&](std::uint32_t number, const config::LunConfig& lun) {
    auto other = after.luns.find(number);
    return other != after.luns.end() && same_lun(lun, other->second);
  };
  for (const auto& [number, lun] : before.luns) {
    if (!unchanged(number, lun)) port->remove_lun(static_cast<std::uint16_t>(number));
  }
  for (const auto& [number, lun] : after.luns) {
    auto old = before.luns.find(number);
    if (old != before.luns.end() && same_lun(old->second, lun)) continue;
    static_cast<void>(port->add_lun(lun_setup(after.tid, lun, stores)));
  }
}

scsi::LunSetup TargetServer::lun_setup(std::uint32_t tid, const config::LunConfig& lun,
                                       const Stores& stores) const {
  const LunStore& opened = stores.at(StoreKey{tid, lun.lun});
  scsi::LunSetup unit;
  unit.lun = static_cast<std::uint16_t>(lun.lun);
  unit.store = opened.store;
  unit.size_bytes = opened.lun.size_bytes;
  unit.flags = {.readonly = lun.params.readonly,
                .removable = lun.params.removable,
                .thin_provisioning = lun.params.thin_provisioning};
  unit.identity.scsi_id = lun.scsi_id;
  unit.identity.scsi_sn = lun.scsi_sn;
  // tgtadm's lbppbe=N (0..15, checked by the config); 4096-byte physical blocks otherwise.
  unit.lbppbe = static_cast<std::uint8_t>(std::min<std::uint32_t>(
      lun.params.lbppbe.value_or(scsi::kDefaultLbppbe), scsi::kMaxLbppbe));
  // A RAM store starts empty, so a thin RAM LUN reports every block deallocated until
  // written (SBC-3 §4.7.2); a file may hold data and starts mapped. (open_store already
  // wrapped RAM stores in their tracker; the flag says the same for any other wrapping.)
  unit.initially_deallocated = lun.bstype == config::BackingType::ram;
  unit.sanitize_min_duration = std::chrono::milliseconds(lun.params.sanitize_ms.value_or(0));
  return unit;
}

void TargetServer::close_target_sessions(std::uint32_t tid, std::string_view reason) {
  for (const SessionInfo& info : registry_.sessions_of(tid)) {
    if (info.handle != nullptr) info.handle->close_session(reason);
  }
}

std::vector<NexusListing> TargetServer::nexuses(std::uint32_t tid) const {
  std::vector<NexusListing> out;
  for (const SessionInfo& info : registry_.sessions_of(tid)) {
    out.push_back({info.nexus, info.initiator_name, info.initiator_alias, info.cid,
                   info.initiator});
  }
  return out;
}

void TargetServer::request_logout(std::uint32_t tid, std::uint16_t time_to_logout_s) {
  for (const SessionInfo& info : registry_.sessions_of(tid)) {
    auto it = connections_.find(dynamic_cast<ConnectionDriver*>(info.handle));
    if (it != connections_.end()) it->first->request_logout(time_to_logout_s);
  }
}

Result<std::uint64_t> TargetServer::probe_file(const std::string& path) {
  auto opened = runtime_.backing->open_file(path);
  if (!opened.ok()) return opened.error();
  return opened.value()->size_bytes();
}

void TargetServer::accept(std::unique_ptr<runtime::Stream> stream) {
  if (connection_count() >= options_.max_connections) {
    if (runtime_.trace != nullptr) {
      runtime_.trace->on_violation(
          runtime_.clock->now(), {stream->peer_endpoint(), stream->local_endpoint()},
          Violation{violations::kTooManyConnections,
                    fmt::format("{} connections are open already", connection_count())});
    }
    stream->abort();
    return;
  }
  auto driver = std::make_unique<ConnectionDriver>(
      static_cast<ConnectionHost&>(*this), DriverContext{runtime_.clock, runtime_.timers, runtime_.trace, options_.driver},
      std::move(stream));
  ConnectionDriver* raw = driver.get();
  connections_.emplace(raw, std::move(driver));
  raw->start();
}

login::LoginSetup TargetServer::login_setup(const runtime::Stream& stream,
                                            std::shared_ptr<const config::SystemConfig>& config) {
  config = config_;
  login::LoginSetup setup;
  setup.system = config.get();
  setup.profile = options_.profile;
  setup.initiator = stream.peer_endpoint();
  setup.portal = stream.local_endpoint();
  setup.target_portal_group_tag = options_.target_portal_group_tag;
  setup.portals = portals_;
  setup.rng = runtime_.rng;
  if (options_.profile == config::Profile::tgt) {
    // tgt counts CHAP_I up across connections (peer-behaviour.md).
    setup.next_chap_identifier = [this] { return next_chap_identifier_++; };
  }
  setup.lookup_tsih = [this](std::uint16_t tsih) { return registry_.lookup(tsih); };
  setup.allocate_tsih = [this] { return registry_.allocate_tsih().value_or(0); };
  return setup;
}

std::optional<session::SessionSetup> TargetServer::session_started(
    ConnectionDriver& driver, const login::LoginSucceeded& login) {
  scsi::Port* port = nullptr;
  if (login.tid) {
    auto it = ports_.find(*login.tid);
    if (it == ports_.end()) return std::nullopt;  // deleted while the login ran
    port = it->second.get();
  }
  SessionInfo info{.tsih = login.tsih,
                   .nexus = port != nullptr ? registry_.next_nexus_id() : 0,
                   .tid = login.tid,
                   .target_name = login.target_name,
                   .initiator_name = login.initiator_name,
                   .initiator_alias = login.initiator_alias,
                   .isid = login.isid,
                   .cid = login.cid,
                   .initiator = driver.key().initiator,
                   .handle = &driver};
  // RFC 7143 §6.3.5: the old session of the same I_T nexus ends before the new one starts.
  for (const SessionInfo& old : registry_.add(info)) {
    if (old.handle != nullptr && old.handle != &driver) old.handle->close_session("reinstated");
  }
  if (port != nullptr) {
    // RFC 7143 §4.4.2 SCSI port names.
    port->nexus_added({.id = info.nexus,
                       .initiator_port_name = fmt::format("{},i,0x{:012x}", login.initiator_name,
                                                          login.isid.value()),
                       .target_port_name = fmt::format("{},t,0x{:04x}", login.target_name,
                                                       options_.target_portal_group_tag),
                       .relative_target_port = 1});
  }
  session::SessionSetup setup;
  setup.login = login;
  setup.port = port;
  setup.nexus = info.nexus;
  setup.nop = options_.nop;
  setup.quirks = session_quirks(options_.profile);
  setup.send_targets = [this, tid = login.tid, ipv4 = info.initiator.ipv4,
                        name = login.initiator_name](std::string_view value) {
    return send_targets(value, tid, ipv4, name);
  };
  return setup;
}

text::KeyValueList TargetServer::send_targets(std::string_view value,
                                              std::optional<std::uint32_t> tid,
                                              std::uint32_t initiator_ipv4,
                                              const std::string& initiator_name) const {
  login::SendTargetsQuery query;
  query.value = value;
  query.initiator_ipv4 = initiator_ipv4;
  query.initiator_name = initiator_name;
  if (tid) {
    auto it = config_->targets.find(*tid);
    query.session_target = it == config_->targets.end() ? nullptr : &it->second;
  }
  query.portals = portals_;
  query.target_portal_group_tag = options_.target_portal_group_tag;
  return login::answer_send_targets(*config_, query);
}

void TargetServer::task_management_applied(ConnectionDriver& driver,
                                           const session::TaskManagementApplied& applied) {
  const auto& login = driver.login_result();
  if (!login || !login->tid) return;
  std::optional<pdu::Lun> lun = applied.lun;
  bool close_others = false;
  switch (applied.function) {
    case scsi::TaskManagement::abort_task:
    case scsi::TaskManagement::clear_aca:
      return;  // they concern the issuing session only
    case scsi::TaskManagement::abort_task_set:
    case scsi::TaskManagement::clear_task_set:
    case scsi::TaskManagement::logical_unit_reset:
      break;
    case scsi::TaskManagement::target_warm_reset:
      lun.reset();
      break;
    case scsi::TaskManagement::target_cold_reset:
      // RFC 7143 §11.5.1: a cold reset also closes every connection to the target.
      lun.reset();
      close_others = true;
      break;
  }
  for (const SessionInfo& info : registry_.sessions_of(*login->tid)) {
    if (info.handle == nullptr || info.handle == &driver) continue;
    if (close_others) {
      info.handle->close_session("target cold reset");
    } else {
      info.handle->abort_tasks(lun);
    }
  }
}

void TargetServer::connection_finished(ConnectionDriver& driver) {
  const auto& login = driver.login_result();
  if (login) {
    // A reinstated session was already replaced in the registry by its successor.
    const SessionInfo* info = registry_.find(login->tsih);
    if (info != nullptr && info->handle == &driver) registry_.remove(login->tsih);
    if (login->tid && driver.nexus() != 0) {
      auto port = ports_.find(*login->tid);
      if (port != ports_.end()) port->second->nexus_removed(driver.nexus());
    }
  }
  dead_.push_back(&driver);
  // Destroyed on a later turn of the loop: this call comes from inside the driver.
  if (!reap_timer_) {
    reap_timer_ = runtime_.timers->schedule_after(runtime::Duration{0}, [this] { reap(); });
  }
}

void TargetServer::reap() {
  reap_timer_.reset();
  std::vector<ConnectionDriver*> dead;
  dead.swap(dead_);
  for (ConnectionDriver* driver : dead) connections_.erase(driver);
}

}  // namespace iscsi::target::server
