#pragma once
// TargetServer: the reference target on a runtime (sim/ or core/asio/). It holds the live
// configuration and profile, listens on the portals through runtime::Network, builds one
// scsi::Port per target from its LUNs (stores from a BackingStoreFactory), runs a
// ConnectionDriver per accepted connection, keeps the SessionRegistry, and applies
// configuration changes at run time (tgtadm): new or deleted LUNs switch the target's Port,
// a deleted target closes its sessions. One misbehaving connection never stops the others:
// each has its own driver, and every failure ends only that connection.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/rng.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/trace_sink.hpp"
#include "target-impl/config/model.hpp"
#include "target-impl/scsi/make_port.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/connection_driver.hpp"
#include "target-impl/server/session_registry.hpp"

namespace iscsi::target::server {

struct ServerRuntime {
  runtime::Clock* clock = nullptr;
  runtime::TimerService* timers = nullptr;
  runtime::Network* network = nullptr;
  runtime::Rng* rng = nullptr;
  runtime::TraceSink* trace = nullptr;  // optional
  BackingStoreFactory* backing = nullptr;
};

struct TargetServerOptions {
  config::Profile profile = config::Profile::rfc;
  std::vector<runtime::Endpoint> portals;
  std::uint16_t target_portal_group_tag = 1;
  // Connections served at once (logins in progress included); also bounds the sessions, so a
  // TSIH is always available.
  std::size_t max_connections = kDefaultMaxSessions;
  DriverSettings driver;
  session::NopSettings nop;
  // Real runtimes report the port a listener on port 0 got (AsioRuntime::listening_endpoint).
  std::function<Result<runtime::Endpoint>(runtime::ListenerId)> listening_endpoint;
};

// One line of tgtadm's "I_T nexus information" (tgt 1.0.85 usr/iscsi/session.c).
struct NexusListing {
  scsi::NexusId nexus = 0;
  std::string initiator_name;
  std::string initiator_alias;
  std::uint16_t cid = 0;
  runtime::Endpoint initiator;
};

class TargetServer final : private ConnectionHost {
 public:
  TargetServer(ServerRuntime runtime, TargetServerOptions options);
  ~TargetServer() override;
  TargetServer(const TargetServer&) = delete;
  TargetServer& operator=(const TargetServer&) = delete;

  // Replaces the configuration: opens the stores of new LUNs (filling in LunConfig::size_bytes),
  // switches the Ports of targets whose LUNs changed, closes the sessions of deleted targets.
  // On failure (a store that cannot be opened) nothing changes.
  Result<void> configure(config::SystemConfig next);
  // Listens on every portal; fails when one cannot be listened on (none stays open then).
  Result<void> start();
  // Stops listening and resets every connection.
  void stop();

  const config::SystemConfig& config() const { return *config_; }
  config::Profile profile() const { return options_.profile; }
  std::uint16_t target_portal_group_tag() const { return options_.target_portal_group_tag; }
  // The portals listened on, with the ports the runtime chose for port 0.
  const std::vector<runtime::Endpoint>& portals() const { return portals_; }
  const SessionRegistry& sessions() const { return registry_; }
  std::vector<NexusListing> nexuses(std::uint32_t tid) const;
  std::size_t connection_count() const { return connections_.size() - dead_.size(); }
  // Opens a file store once to learn its size (tgtadm checks a --backing-store so).
  Result<std::uint64_t> probe_file(const std::string& path);
  // Async Message "target requests Logout" to every session of `tid`.
  void request_logout(std::uint32_t tid, std::uint16_t time_to_logout_s);

 private:
  struct LunStore {
    config::LunConfig lun;  // as opened (size_bytes filled in)
    std::shared_ptr<runtime::BlockIo> store;
  };
  using StoreKey = std::pair<std::uint32_t, std::uint32_t>;  // tid, lun
  using Stores = std::map<StoreKey, LunStore>;
  // A target's Port, whose logical units tgtadm changes one LUN at a time: the other units
  // keep their state (reservations, mode pages, unit attentions, a running SANITIZE).
  using TargetPort = std::unique_ptr<scsi::ConfigurablePort>;

  // ConnectionHost
  login::LoginSetup login_setup(const runtime::Stream& stream,
                                std::shared_ptr<const config::SystemConfig>& config) override;
  std::optional<session::SessionSetup> session_started(
      ConnectionDriver& driver, const login::LoginSucceeded& login) override;
  void task_management_applied(ConnectionDriver& driver,
                               const session::TaskManagementApplied& applied) override;
  void connection_finished(ConnectionDriver& driver) override;

  void accept(std::unique_ptr<runtime::Stream> stream);
  void reap();
  Result<Stores> open_stores(config::SystemConfig& next);
  Result<std::shared_ptr<runtime::BlockIo>> open_store(config::LunConfig& lun);
  TargetPort build_port(const config::TargetConfig& target, const Stores& stores);
  void update_luns(TargetPort& port, const config::TargetConfig& before,
                   const config::TargetConfig& after, const Stores& stores);
  scsi::LunSetup lun_setup(std::uint32_t tid, const config::LunConfig& lun,
                           const Stores& stores) const;
  void close_target_sessions(std::uint32_t tid, std::string_view reason);
  text::KeyValueList send_targets(std::string_view value, std::optional<std::uint32_t> tid,
                                  std::uint32_t initiator_ipv4,
                                  const std::string& initiator_name) const;

  ServerRuntime runtime_;
  TargetServerOptions options_;
  std::shared_ptr<const config::SystemConfig> config_;
  std::vector<runtime::Endpoint> portals_;
  std::vector<runtime::ListenerId> listeners_;
  std::map<StoreKey, LunStore> stores_;
  std::map<std::uint32_t, TargetPort> ports_;  // by tid
  SessionRegistry registry_;
  std::uint8_t next_chap_identifier_ = 0;
  // Declared after the Ports: drivers (and their session engines) go first.
  std::map<ConnectionDriver*, std::unique_ptr<ConnectionDriver>> connections_;
  std::vector<ConnectionDriver*> dead_;
  std::optional<runtime::TimerId> reap_timer_;
};

}  // namespace iscsi::target::server
