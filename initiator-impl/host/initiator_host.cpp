#include "initiator-impl/host/initiator_host.hpp"

#include <fmt/format.h>

#include "initiator-impl/host/host_core.hpp"
#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/discovery_ops.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "initiator-impl/iscsiadm/node_ops.hpp"

namespace iscsi::initiator::host {

using iscsiadm::ErrorCode;
using iscsiadm::Mode;
using iscsiadm::Report;
using iscsiadm::Request;

struct InitiatorHost::Impl {
  std::shared_ptr<HostCore> core;
};

InitiatorHost::InitiatorHost(client::ClientRuntime runtime, iscsiadm::FileStore& files,
                             HostSettings settings)
    : impl_(std::make_unique<Impl>()) {
  impl_->core = std::make_shared<HostCore>(runtime, files, settings);
}

InitiatorHost::~InitiatorHost() { impl_->core->shutdown(); }

void InitiatorHost::iscsiadm(std::vector<std::string> args, ReportCallback done) {
  impl_->core->enqueue(std::move(args), std::move(done));
}

std::vector<iscsiadm::SessionInfo> InitiatorHost::sessions() const {
  return impl_->core->sessions();
}

std::shared_ptr<client::Session> InitiatorHost::session(int sid) const {
  return impl_->core->session(sid);
}

namespace {

Report failure(std::string_view message, ErrorCode code) {
  Report report;
  report.error(message);
  report.exit_code = iscsiadm::exit_code(code);
  return report;
}

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::discovery: return "discovery";
    case Mode::discoverydb: return "discoverydb";
    case Mode::node: return "node";
    case Mode::session: return "session";
    case Mode::iface: return "iface";
    case Mode::fw: return "fw";
    case Mode::host: return "host";
  }
  return "unknown";
}

}  // namespace

HostCore::HostCore(client::ClientRuntime runtime, iscsiadm::FileStore& files,
                   HostSettings settings)
    : runtime_(runtime),
      trace_(runtime.trace),
      client_(client::ClientRuntime{runtime.network, runtime.timers, runtime.clock, runtime.rng,
                                    &trace_}),
      files_(files),
      db_(files),
      settings_(settings) {}

void HostCore::shutdown() {
  alive_ = false;
  for (runtime::TimerId id : timers_) runtime_.timers->cancel(id);
  timers_.clear();
  queue_.clear();
  current_.reset();
  for (auto& [sid, entry] : sessions_) entry.session->set_event_handler(nullptr);
  for (auto& session : retired_) session->set_event_handler(nullptr);
}

void HostCore::enqueue(std::vector<std::string> args, ReportCallback done) {
  if (!alive_) return;
  queue_.push_back(Queued{std::move(args), std::move(done)});
  pump();
}

// One command at a time, in call order. A loop rather than recursion, so that a long queue of
// record-only commands finishing on the same turn does not deepen the stack.
void HostCore::pump() {
  if (pumping_) return;
  pumping_ = true;
  while (alive_ && !current_ && !queue_.empty()) {
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    start(std::move(next));
  }
  pumping_ = false;
}

void HostCore::after(runtime::Duration delay, std::function<void(HostCore&)> step) {
  auto id = std::make_shared<runtime::TimerId>(0);
  std::weak_ptr<HostCore> weak = weak_from_this();
  *id = runtime_.timers->schedule_after(delay, [weak, id, step = std::move(step)] {
    auto core = weak.lock();
    if (!core || !core->alive_) return;
    core->timers_.erase(*id);
    step(*core);
  });
  timers_.insert(*id);
}

void HostCore::start(Queued command) {
  current_ = std::move(command);
  iscsiadm::ParsedCommand parsed = iscsiadm::parse_command(current_->args);
  printed_ = Report{parsed.out, parsed.err, 0};
  trace_.set_level(parsed.run ? parsed.request.debug_level : 0);
  if (!parsed.run) {
    finish(Report{"", "", parsed.exit_code});
    return;
  }
  dispatch(parsed.request);
}

void HostCore::finish(Report report) {
  if (!current_) return;
  Report whole = printed_;
  whole.err += trace_.take();
  trace_.set_level(0);
  whole.out += report.out;
  whole.err += report.err;
  whole.exit_code = report.exit_code;
  // The callback always comes from the event loop, never from inside iscsiadm().
  after(runtime::Duration::zero(), [whole = std::move(whole)](HostCore& core) {
    if (!core.current_) return;
    ReportCallback done = std::move(core.current_->done);
    core.current_.reset();
    if (done) done(whole);
    core.pump();
  });
}

void HostCore::dispatch(const Request& request) {
  if (request.kill_priority) {
    finish(failure("-k is for the session daemon, not for one initiator host",
                   ErrorCode::op_not_supp));
    return;
  }
  if (request.mode == Mode::session) {
    if (request.logout) {
      run_logout(request);
      return;
    }
    finish(run_session_mode(request));
    return;
  }
  if (request.mode == Mode::iface) {
    finish(iscsiadm::run_iface(db_, request, probe()));
    return;
  }
  if (request.mode == Mode::fw || request.mode == Mode::host) {
    finish(failure(fmt::format("{} mode is not supported by iscsim (no offload hardware)",
                               mode_name(request.mode)),
                   ErrorCode::op_not_supp));
    return;
  }
  iscsiadm::OpenedHome opened = iscsiadm::open_home(files_, *runtime_.rng);
  if (!opened.home) {
    finish(failure(opened.error, ErrorCode::idbm));
    return;
  }
  printed_.err += iscsiadm::format_warnings(opened.home->warnings);
  if (request.mode == Mode::node) {
    dispatch_node(request, std::move(*opened.home));
    return;
  }
  run_discovery(request, std::move(*opened.home));
}

void HostCore::dispatch_node(const Request& request, iscsiadm::Home home) {
  if (request.login || request.login_all) {
    run_login(request, std::move(home));
  } else if (request.logout || request.logout_all) {
    run_logout(request);
  } else if (request.rescan || request.stats) {
    finish(failure(fmt::format("{} is not supported by iscsim",
                               request.rescan ? "rescan (-R)" : "statistics (-s)"),
                   ErrorCode::op_not_supp));
  } else {
    finish(iscsiadm::run_node_records(db_, home.conf, request, probe()));
  }
}

bool same_node(const iscsiadm::Record& a, const iscsiadm::Record& b) {
  namespace keys = iscsiadm::keys;
  return a.get(keys::node_name) == b.get(keys::node_name) &&
         a.get(keys::conn_address) == b.get(keys::conn_address) &&
         a.get(keys::conn_port) == b.get(keys::conn_port) &&
         a.get(keys::iface_name) == b.get(keys::iface_name);
}

bool HostCore::has_session(const iscsiadm::Record& node) const {
  for (const auto& [sid, entry] : sessions_) {
    if (same_node(entry.node, node)) return true;
  }
  return false;
}

iscsiadm::SessionProbe HostCore::probe() const {
  return [this](const iscsiadm::Record& node) { return has_session(node); };
}

std::vector<iscsiadm::SessionInfo> HostCore::sessions() const {
  std::vector<iscsiadm::SessionInfo> infos;
  for (const auto& [sid, entry] : sessions_) infos.push_back(session_info(entry));
  return infos;
}

std::shared_ptr<client::Session> HostCore::session(int sid) const {
  auto found = sessions_.find(sid);
  return found == sessions_.end() ? nullptr : found->second.session;
}

void HostCore::adopt(int sid, const iscsiadm::Record& node, std::string initiator_name,
                     std::shared_ptr<client::Session> session) {
  std::weak_ptr<HostCore> weak = weak_from_this();
  session->set_event_handler([weak, sid](const client::SessionEvent& event) {
    if (auto core = weak.lock()) core->on_session_event(sid, event);
  });
  sessions_.emplace(sid, HostSession{sid, node, std::move(initiator_name), std::move(session)});
}

// A session whose recovery ran out (or that could not recover at all) is gone for good and
// leaves the table, as iscsid removes it after replacement_timeout. The table entry is dropped
// on the next turn: the Session is still inside its own callback here.
void HostCore::on_session_event(int sid, const client::SessionEvent& event) {
  using Kind = client::SessionEvent::Kind;
  auto found = sessions_.find(sid);
  if (found == sessions_.end()) return;
  const bool gone = event.kind == Kind::recovery_failed ||
                    (event.kind == Kind::connection_lost &&
                     found->second.session->state() == client::Session::State::closed);
  if (!gone) return;
  after(runtime::Duration::zero(), [sid](HostCore& core) { core.sessions_.erase(sid); });
}

void HostCore::retire(int sid) {
  auto found = sessions_.find(sid);
  if (found == sessions_.end()) return;
  std::shared_ptr<client::Session> session = std::move(found->second.session);
  sessions_.erase(found);
  if (session->state() == client::Session::State::closed) {
    session->set_event_handler(nullptr);
    return;
  }
  // Kept until its connection has closed, so that the FIN exchange finishes.
  std::weak_ptr<HostCore> weak = weak_from_this();
  client::Session* raw = session.get();
  session->set_event_handler([weak, raw](const client::SessionEvent& event) {
    if (event.kind != client::SessionEvent::Kind::closed &&
        event.kind != client::SessionEvent::Kind::connection_lost) {
      return;
    }
    auto core = weak.lock();
    if (!core) return;
    core->after(runtime::Duration::zero(), [raw](HostCore& c) {
      std::erase_if(c.retired_, [raw](const auto& held) { return held.get() == raw; });
    });
  });
  retired_.push_back(std::move(session));
}

}  // namespace iscsi::initiator::host
