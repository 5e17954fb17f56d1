#include "sim/fabric.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "sim/connection.hpp"

namespace iscsi::sim {

using runtime::ConnectionKey;
using runtime::Side;

Fabric::Fabric(Simulator& simulator, FabricConfig config)
    : simulator_(simulator), config_(config) {}

Fabric::~Fabric() = default;

Host& Fabric::add_host(std::string name, std::uint32_t ipv4) {
  const auto id = static_cast<std::uint32_t>(hosts_.size());
  hosts_.push_back(std::make_unique<Host>(*this, id, std::move(name), ipv4));
  host_up_.push_back(true);
  return *hosts_.back();
}

Host* Fabric::host_by_ipv4(std::uint32_t ipv4) {
  for (auto& host : hosts_) {
    if (host->has_address(ipv4)) return host.get();
  }
  return nullptr;
}

LinkState& Fabric::link(std::uint32_t from, std::uint32_t to) {
  auto& slot = links_[{from, to}];
  if (!slot) {
    slot = std::make_unique<LinkState>();
    slot->params = config_.default_link;
  }
  return *slot;
}

void Fabric::set_link(const Host& a, const Host& b, const LinkParams& params) {
  set_link_one_way(a, b, params);
  set_link_one_way(b, a, params);
}

void Fabric::set_link_one_way(const Host& from, const Host& to, const LinkParams& params) {
  link(from.id(), to.id()).params = params;
}

std::pair<std::uint32_t, std::uint32_t> Fabric::ordered(std::uint32_t a, std::uint32_t b) {
  return a < b ? std::pair{a, b} : std::pair{b, a};
}

bool Fabric::reachable(std::uint32_t a, std::uint32_t b) const {
  return host_up_[a] && host_up_[b] && partitions_.count(ordered(a, b)) == 0;
}

void Fabric::on_reachable(std::uint32_t a, std::uint32_t b, std::function<void()> wake) {
  waiters_.emplace_back(std::pair{a, b}, std::move(wake));
}

// Runs (from the event loop) every waiter whose pair is reachable again.
void Fabric::wake_waiters() {
  std::vector<std::function<void()>> ready;
  auto still_waiting = std::stable_partition(waiters_.begin(), waiters_.end(), [&](auto& w) {
    return !reachable(w.first.first, w.first.second);
  });
  for (auto it = still_waiting; it != waiters_.end(); ++it) ready.push_back(std::move(it->second));
  waiters_.erase(still_waiting, waiters_.end());
  for (auto& wake : ready) simulator_.post(std::move(wake));
}

void Fabric::stall(const Host& a, const Host& b, runtime::Duration period) {
  const runtime::TimePoint until = simulator_.now() + period;
  for (LinkState* l : {&link(a.id(), b.id()), &link(b.id(), a.id())}) {
    l->stalled_until = std::max(l->stalled_until, until);
  }
}

void Fabric::partition(const Host& a, const Host& b) {
  partitions_.insert(ordered(a.id(), b.id()));
}

void Fabric::heal(const Host& a, const Host& b) {
  partitions_.erase(ordered(a.id(), b.id()));
  wake_waiters();
}

void Fabric::set_host_up(Host& host, bool up) {
  host_up_[host.id()] = up;
  if (up) wake_waiters();
}

void Fabric::delay_direction(const Host& from, const Host& to, runtime::Duration extra) {
  link(from.id(), to.id()).extra_delay = extra;
}

Connection* Fabric::find_connection(const ConnectionKey& key) {
  for (auto& c : connections_) {
    if (c->key == key && !c->reset) return c.get();
  }
  return nullptr;
}

bool Fabric::reset(const ConnectionKey& key) {
  Connection* c = find_connection(key);
  if (c == nullptr) return false;
  c->inject_reset();
  return true;
}

bool Fabric::corrupt(const ConnectionKey& key, Side sender, std::uint64_t stream_offset,
                     std::uint8_t mask) {
  Connection* c = find_connection(key);
  if (c == nullptr) return false;
  c->half(sender).corruptions.emplace_back(stream_offset, mask);
  return true;
}

bool Fabric::set_pdu_digests(const ConnectionKey& key, Side sender, bool header, bool data) {
  Connection* c = find_connection(key);
  if (c == nullptr || !c->half(sender).pdu_scanner) return false;
  c->half(sender).pdu_scanner->set_digests(header, data);
  return true;
}

bool Fabric::close_listener(runtime::Endpoint local) {
  Host* host = host_by_ipv4(local.ipv4);
  return host != nullptr && host->close_listener(local);
}

std::vector<ConnectionKey> Fabric::connections() const {
  std::vector<ConnectionKey> keys;
  for (const auto& c : connections_) {
    if (!c->reset) keys.push_back(c->key);
  }
  return keys;
}

Connection& Fabric::add_connection(const ConnectionKey& key, std::uint32_t client_host,
                                   std::uint32_t server_host) {
  connections_.push_back(std::make_unique<Connection>());
  Connection& c = *connections_.back();
  c.fabric = this;
  c.key = key;
  for (Side side : {Side::client, Side::server}) {
    Half& h = c.half(side);
    h.sender = side;
    h.from_host = side == Side::client ? client_host : server_host;
    h.to_host = side == Side::client ? server_host : client_host;
    h.link = &link(h.from_host, h.to_host);
    // Each direction of each connection draws from its own named sub-stream, so one
    // connection's traffic never shifts another's segmentation.
    h.rng = simulator_.rng(fmt::format("tcp {} {} {}", key.initiator.to_string(),
                                       key.target.to_string(),
                                       side == Side::client ? "client" : "server"));
    std::vector<PduFault> faults;
    std::copy_if(pdu_faults_.begin(), pdu_faults_.end(), std::back_inserter(faults),
                 [side](const PduFault& f) { return f.sender == side; });
    if (!faults.empty()) h.pdu_scanner = std::make_unique<PduScanner>(std::move(faults));
  }
  return c;
}

}  // namespace iscsi::sim
