#pragma once
// Inside InitiatorHost (not installed API): the command queue, the session table and the
// operations that need the protocol. Asynchronous steps hold a weak_ptr to the core, so a
// callback or timer that fires after the host is gone does nothing.
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "initiator-impl/client/client.hpp"
#include "initiator-impl/host/debug_trace.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "initiator-impl/iscsiadm/home.hpp"
#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::host {

// One logged-in session of the host.
struct HostSession {
  int sid = 0;
  iscsiadm::Record node{iscsiadm::node_schema()};  // the record it logged in with
  std::string initiator_name;
  std::shared_ptr<client::Session> session;
};

// Everything -m session prints about one session.
iscsiadm::SessionInfo session_info(const HostSession& session);
// `-m session -P N` (N >= 1): iscsiadm's tree, kept to the lines iscsim can fill.
iscsiadm::Report session_tree(const std::vector<const HostSession*>& sessions, int level);

// True when both node records name the same node (target, portal, iface).
bool same_node(const iscsiadm::Record& a, const iscsiadm::Record& b);

class HostCore : public std::enable_shared_from_this<HostCore> {
 public:
  HostCore(client::ClientRuntime runtime, iscsiadm::FileStore& files, HostSettings settings);

  void enqueue(std::vector<std::string> args, ReportCallback done);
  std::vector<iscsiadm::SessionInfo> sessions() const;
  std::shared_ptr<client::Session> session(int sid) const;
  // The host goes away: no callback runs from now on.
  void shutdown();

  // host_login.cpp, host_discovery.cpp, host_sessions.cpp
  void run_login(const iscsiadm::Request& request, iscsiadm::Home home);
  // Logs in to each record at once; the report follows what `before` printed.
  void login_nodes(std::vector<iscsiadm::StoredNode> nodes, const std::string& initiator_name,
                   iscsiadm::Report before);
  void run_logout(const iscsiadm::Request& request);
  void run_discovery(const iscsiadm::Request& request, iscsiadm::Home home);
  iscsiadm::Report run_session_mode(const iscsiadm::Request& request);

  // The running command ends with this report (after what it printed before).
  void finish(iscsiadm::Report report);
  // Runs `step` after `delay` on the runtime's loop unless the host is gone first.
  void after(runtime::Duration delay, std::function<void(HostCore&)> step);
  iscsiadm::SessionProbe probe() const;
  bool has_session(const iscsiadm::Record& node) const;
  // A login takes its sid before it starts (the kernel makes the session first), so a
  // failed login leaves a gap, as with open-iscsi; sids are never reused while the host lives.
  int reserve_sid() { return next_sid_++; }
  // Adds a logged-in session to the table.
  void adopt(int sid, const iscsiadm::Record& node, std::string initiator_name,
             std::shared_ptr<client::Session> session);
  // Takes a session out of the table; it is kept until its connection has closed.
  void retire(int sid);

  client::Client& client() { return client_; }
  iscsiadm::NodeDb& db() { return db_; }
  iscsiadm::FileStore& files() { return files_; }
  const HostSettings& settings() const { return settings_; }
  std::map<int, HostSession>& table() { return sessions_; }

 private:
  struct Queued {
    std::vector<std::string> args;
    ReportCallback done;
  };

  void pump();
  void start(Queued command);
  void dispatch(const iscsiadm::Request& request);
  void dispatch_node(const iscsiadm::Request& request, iscsiadm::Home home);
  void on_session_event(int sid, const client::SessionEvent& event);

  client::ClientRuntime runtime_;
  DebugTrace trace_;
  client::Client client_;
  iscsiadm::FileStore& files_;
  iscsiadm::NodeDb db_;
  HostSettings settings_;
  std::map<int, HostSession> sessions_;
  std::vector<std::shared_ptr<client::Session>> retired_;
  int next_sid_ = 1;
  std::deque<Queued> queue_;
  std::optional<Queued> current_;
  iscsiadm::Report printed_;  // what the running command printed before its operation
  bool pumping_ = false;
  bool alive_ = true;
  std::set<runtime::TimerId> timers_;
};

}  // namespace iscsi::initiator::host
