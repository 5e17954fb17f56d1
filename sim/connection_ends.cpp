// The application-facing side of a connection: handlers, buffered arrivals, close and reset.
#include <utility>

#include "sim/connection.hpp"

namespace iscsi::sim {

using runtime::CloseReason;
using runtime::Side;

void Connection::notify_data(Side side, Bytes& segment) {
  EndState& e = end(side);
  if (e.life == EndState::Life::gone || e.closed) return;
  if (e.life == EndState::Life::open && e.handler != nullptr && e.pending.empty()) {
    e.handler->on_data(segment);
    return;
  }
  e.pending.push_back(std::move(segment));
}

void Connection::notify_closed(Side side, CloseReason reason) {
  EndState& e = end(side);
  if (e.life == EndState::Life::gone || e.closed) return;
  // After a FIN the side may still hear a reset; after a reset or abort it hears nothing more.
  if (reason != CloseReason::peer_fin) e.closed = true;
  if (e.life == EndState::Life::open && e.handler != nullptr && e.pending.empty() &&
      !e.close_pending) {
    e.handler->on_closed(reason);
    return;
  }
  e.close_pending = true;
  e.pending_reason = reason;
}

void Connection::flush(Side side) {
  EndState& e = end(side);
  e.flush_scheduled = false;
  while (e.life == EndState::Life::open && e.handler != nullptr && !e.pending.empty()) {
    Bytes segment = std::move(e.pending.front());
    e.pending.pop_front();
    e.handler->on_data(segment);
  }
  if (e.life == EndState::Life::open && e.handler != nullptr && e.pending.empty() &&
      e.close_pending) {
    e.close_pending = false;
    e.handler->on_closed(e.pending_reason);
  }
}

void Connection::set_handler(Side side, runtime::StreamHandler* handler) {
  EndState& e = end(side);
  e.handler = handler;
  // What arrived before the handler was set is handed over from the event loop, never from
  // inside set_handler().
  if (handler != nullptr && (!e.pending.empty() || e.close_pending) && !e.flush_scheduled) {
    e.flush_scheduled = true;
    fabric->simulator().post([this, side] { flush(side); });
  }
}

void Connection::drop_buffers() {
  for (Half& h : halves) {
    h.queue.clear();
    h.front_offset = 0;
    h.queued_bytes = 0;
  }
}

void Connection::abort(Side side) {
  if (reset || end(side).closed) return;
  reset = true;
  Simulator& sim = fabric->simulator();
  if (auto* trace = fabric->trace()) trace->on_reset(sim.now(), key, side);
  drop_buffers();
  // What the aborting side receives from now on is discarded; what it already sent still
  // arrives ahead of the RST, which travels like any segment of its direction.
  half(other(side)).in_flight.clear();
  EndState& e = end(side);
  e.closed = true;
  e.pending.clear();
  e.close_pending = false;
  sim.post([this, side] {
    EndState& local = end(side);
    if (local.life == EndState::Life::open && local.handler != nullptr) {
      local.handler->on_closed(CloseReason::local_abort);
    }
  });
  const runtime::TimePoint at = arrival_time(half(side), sim.now());
  const Side peer = other(side);
  sim.post_at(at, [this, peer] { notify_closed(peer, CloseReason::peer_reset); });
}

void Connection::inject_reset() {
  if (reset) return;
  reset = true;
  Simulator& sim = fabric->simulator();
  if (auto* trace = fabric->trace()) {
    trace->on_reset(sim.now(), key, Side::client);
    trace->on_reset(sim.now(), key, Side::server);
  }
  drop_buffers();
  for (Half& h : halves) h.in_flight.clear();
  sim.post([this] {
    notify_closed(Side::client, CloseReason::peer_reset);
    notify_closed(Side::server, CloseReason::peer_reset);
  });
}

// Destroying a Stream closes it as close() closes a socket: a FIN after what is queued. Later
// arrivals for it are discarded.
void Connection::release(Side side) {
  EndState& e = end(side);
  e.life = EndState::Life::gone;
  e.handler = nullptr;
  e.pending.clear();
  e.close_pending = false;
  shutdown_write(side);
}

SimStream::SimStream(Connection& connection, Side side) : connection_(connection), side_(side) {
  connection_.end(side_).life = EndState::Life::open;
}

SimStream::~SimStream() { connection_.release(side_); }

void SimStream::set_handler(runtime::StreamHandler* handler) {
  connection_.set_handler(side_, handler);
}
bool SimStream::write(ByteView bytes) { return connection_.write(side_, bytes); }

bool SimStream::write_gather(std::span<const runtime::WriteBuffer> buffers) {
  gather_buffer_.clear();
  for (const runtime::WriteBuffer& buffer : buffers) {
    gather_buffer_.insert(gather_buffer_.end(), buffer.bytes.begin(), buffer.bytes.end());
  }
  return connection_.write(side_, gather_buffer_);
}
void SimStream::shutdown_write() { connection_.shutdown_write(side_); }
void SimStream::abort() { connection_.abort(side_); }

runtime::Endpoint SimStream::local_endpoint() const {
  return side_ == Side::client ? connection_.key.initiator : connection_.key.target;
}
runtime::Endpoint SimStream::peer_endpoint() const {
  return side_ == Side::client ? connection_.key.target : connection_.key.initiator;
}

}  // namespace iscsi::sim
