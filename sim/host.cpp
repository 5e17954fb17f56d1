#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "sim/connection.hpp"
#include "sim/fabric.hpp"

namespace iscsi::sim {

using runtime::CloseReason;
using runtime::ConnectionKey;
using runtime::Endpoint;

namespace {

constexpr ViolationKind kAddressInUse{"sim.address-in-use", "simulator", Severity::fatal};
constexpr ViolationKind kAddressNotLocal{"sim.address-not-local", "simulator", Severity::fatal};

}  // namespace

Host::Host(Fabric& fabric, std::uint32_t id, std::string name, std::uint32_t ipv4)
    : fabric_(fabric), id_(id), name_(std::move(name)), addresses_{ipv4} {}

bool Host::has_address(std::uint32_t ipv4) const {
  return std::find(addresses_.begin(), addresses_.end(), ipv4) != addresses_.end();
}

Result<runtime::ListenerId> Host::listen(Endpoint local, runtime::AcceptCallback on_accept) {
  if (local.ipv4 != 0 && !has_address(local.ipv4)) {
    return Violation{kAddressNotLocal, fmt::format("host {} cannot listen on {}: not one of its "
                                                   "addresses",
                                                   name_, local.to_string())};
  }
  for (const Listener& l : listeners_) {
    const bool overlaps = l.local.ipv4 == 0 || local.ipv4 == 0 || l.local.ipv4 == local.ipv4;
    if (l.local.port == local.port && overlaps) {
      return Violation{kAddressInUse,
                       fmt::format("host {}: {} is already listened on", name_, local.to_string())};
    }
  }
  const runtime::ListenerId id = next_listener_++;
  listeners_.push_back(Listener{id, local, std::move(on_accept)});
  return id;
}

void Host::stop_listening(runtime::ListenerId id) {
  std::erase_if(listeners_, [id](const Listener& l) { return l.id == id; });
}

bool Host::close_listener(Endpoint local) {
  return std::erase_if(listeners_, [&](const Listener& l) { return l.local == local; }) > 0;
}

const runtime::AcceptCallback* Host::find_listener(Endpoint local) const {
  for (const Listener& l : listeners_) {
    if (l.local.port == local.port && (l.local.ipv4 == 0 || l.local.ipv4 == local.ipv4)) {
      return &l.on_accept;
    }
  }
  return nullptr;
}

// The SYN travels one link latency; the listener (if any) accepts on arrival and the SYN-ACK
// (or the RST of a refusal) travels back. With no route (host down, partition, unknown address)
// nothing answers and the connect times out after ConnectOptions::timeout of virtual time.
void Host::connect(const runtime::ConnectOptions& options, runtime::ConnectCallback on_done) {
  Simulator& sim = fabric_.simulator();
  const std::uint32_t source = options.local_ipv4 != 0 ? options.local_ipv4 : ipv4();
  Host* server = fabric_.host_by_ipv4(options.remote.ipv4);
  if (!has_address(source) || server == nullptr || !fabric_.reachable(id_, server->id())) {
    sim.post_at(sim.now() + options.timeout,
                [on_done] { on_done(nullptr, CloseReason::timed_out); });
    return;
  }
  const ConnectionKey key{Endpoint{source, next_port_}, options.remote};
  next_port_ =
      next_port_ == 65535 ? std::uint16_t{49152} : static_cast<std::uint16_t>(next_port_ + 1);
  const LinkState& out = fabric_.link(id_, server->id());
  const std::uint32_t client_id = id_;
  Fabric* fabric = &fabric_;
  sim.post_at(
      sim.now() + out.params.latency + out.extra_delay, [fabric, server, client_id, key, on_done] {
        Simulator& s = fabric->simulator();
        const LinkState& back = fabric->link(server->id(), client_id);
        const runtime::TimePoint answer_at = s.now() + back.params.latency + back.extra_delay;
        const runtime::AcceptCallback* accept = server->find_listener(key.target);
        if (accept == nullptr) {
          if (auto* trace = fabric->trace()) trace->on_refused(s.now(), key);
          s.post_at(answer_at, [on_done] { on_done(nullptr, CloseReason::refused); });
          return;
        }
        Connection& c = fabric->add_connection(key, client_id, server->id());
        if (auto* trace = fabric->trace()) trace->on_connected(s.now(), key);
        Connection* conn = &c;
        // The ConnectCallback's reason argument is meaningless on success.
        s.post_at(answer_at, [conn, on_done] {
          on_done(std::make_unique<SimStream>(*conn, runtime::Side::client), CloseReason::peer_fin);
        });
        const runtime::AcceptCallback on_accept = *accept;  // the callback may stop the listener
        on_accept(std::make_unique<SimStream>(c, runtime::Side::server));
      });
}

}  // namespace iscsi::sim
