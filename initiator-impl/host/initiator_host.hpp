#pragma once
// One initiator machine as a student or a scenario sees it: its $ISCSIM_HOME files (iscsid.conf,
// initiatorname.iscsi, the node database, ifaces) and the sessions it holds, driven by iscsiadm
// command lines exactly as typed. The session daemon (`iscsim iscsid`) wraps one InitiatorHost
// on the Boost.Asio runtime; the scenario runner wraps one per simulated initiator host on the
// simulator. Every callback comes from the runtime's event loop.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "initiator-impl/client/client.hpp"
#include "initiator-impl/iscsiadm/file_store.hpp"
#include "initiator-impl/iscsiadm/outcome.hpp"
#include "initiator-impl/iscsiadm/report.hpp"

namespace iscsi::initiator::host {

// What a login that cannot connect does before giving up (open-iscsi's
// node.session.initial_login_retry_max and the connect/login timeouts come from the node
// record; this only scales the wait between attempts so tests and scenarios stay short).
struct HostSettings {
  // Wait between two login attempts to a portal that refused or timed out.
  runtime::Duration login_retry_delay = std::chrono::seconds(1);
};

using ReportCallback = std::function<void(iscsiadm::Report)>;

class InitiatorHost {
 public:
  // `files` is the host's $ISCSIM_HOME; both it and the runtime must outlive the host.
  InitiatorHost(client::ClientRuntime runtime, iscsiadm::FileStore& files,
                HostSettings settings = {});
  ~InitiatorHost();
  InitiatorHost(const InitiatorHost&) = delete;
  InitiatorHost& operator=(const InitiatorHost&) = delete;

  // Runs one iscsiadm command line (without the program name, e.g. {"-m", "discovery", "-t",
  // "st", "-p", "10.0.0.2"}) to the end: `done` receives what open-iscsi 2.1.8's iscsiadm
  // prints and its exit code, plus our wire-status line on failures. Commands run one at a
  // time in call order; a call made while one runs waits its turn.
  void iscsiadm(std::vector<std::string> args, ReportCallback done);

  // The sessions this host holds, by ascending sid (what `-m session` lists).
  std::vector<iscsiadm::SessionInfo> sessions() const;
  // The logged-in session with this sid, or nullptr.
  std::shared_ptr<client::Session> session(int sid) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::initiator::host
