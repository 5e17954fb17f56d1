#include "sim/connection.hpp"

#include <algorithm>
#include <utility>

namespace iscsi::sim {

using runtime::CloseReason;
using runtime::Duration;
using runtime::Side;
using runtime::TimePoint;

namespace {

// Time to put `size` bytes on a link of `bandwidth_bps` (0: unlimited), rounded down to whole
// nanoseconds.
Duration serialization_delay(std::size_t size, std::uint64_t bandwidth_bps) {
  if (bandwidth_bps == 0) return Duration{0};
  const std::uint64_t bits_times_ns = std::uint64_t{size} * 8ULL * 1'000'000'000ULL;
  return Duration{static_cast<Duration::rep>(bits_times_ns / bandwidth_bps)};
}

// Enough spare segments for a full send buffer of small segments; few spare write chunks, which
// can be large.
// A send buffer's worth of average seed-chosen segments. Buffers larger than a jumbo frame go
// to the chunk pool, so the segment pool never hoards large buffers.
constexpr std::size_t kSpareSegments = 512;
constexpr std::size_t kSpareChunks = 16;
constexpr std::size_t kLargestPooledSegment = 9000;

}  // namespace

Bytes take_buffer(std::vector<Bytes>& pool) {
  if (pool.empty()) return {};
  Bytes buffer = std::move(pool.back());
  pool.pop_back();
  buffer.clear();
  return buffer;
}

void recycle_buffer(std::vector<Bytes>& pool, Bytes&& buffer, std::size_t bound) {
  if (buffer.capacity() > 0 && pool.size() < bound) pool.push_back(std::move(buffer));
}

bool Connection::write(Side side, ByteView bytes) {
  Half& out = half(side);
  const std::size_t limit = fabric->config().send_buffer_limit;
  // Writing after shutdown_write() or a reset is the application's error (EPIPE on a socket);
  // the bytes are dropped and the writer is not made to wait for an on_writable that never comes.
  if (reset || end(side).closed || out.fin_requested) return true;
  if (out.pdu_scanner && !bytes.empty()) {
    PduFaultEffects effects;
    out.pdu_scanner->scan(bytes, effects);
    out.corruptions.insert(out.corruptions.end(), effects.corruptions.begin(),
                           effects.corruptions.end());
    out.reset_at_delivered = std::min(out.reset_at_delivered, effects.reset_at_delivered);
  }
  if (!bytes.empty()) {
    Bytes chunk = take_buffer(out.spare_chunks);
    chunk.assign(bytes.begin(), bytes.end());
    out.queue.push_back(std::move(chunk));
    out.queued_bytes += bytes.size();
    out.unacked_bytes += bytes.size();
    schedule_pump(out, fabric->simulator().now());
  }
  if (out.unacked_bytes > limit) {
    out.writer_blocked = true;
    return false;
  }
  return true;
}

void Connection::shutdown_write(Side side) {
  Half& out = half(side);
  if (reset || end(side).closed || out.fin_requested) return;
  out.fin_requested = true;
  schedule_pump(out, fabric->simulator().now());
}

void Connection::schedule_pump(Half& out, TimePoint at) {
  if (out.pump_scheduled) return;
  out.pump_scheduled = true;
  Half* target = &out;
  fabric->simulator().post_at(at, [this, target] { pump(*target); });
}

// Transmits what the link lets through now: everything queued on an unlimited link, else one
// segment, with the next pump when the transmitter is free again.
void Connection::pump(Half& out) {
  out.pump_scheduled = false;
  if (reset) return;
  Simulator& sim = fabric->simulator();
  if (!fabric->reachable(out.from_host, out.to_host)) {
    // TCP keeps retransmitting through a partition; the bytes flow once it heals.
    out.pump_scheduled = true;
    Half* target = &out;
    fabric->on_reachable(out.from_host, out.to_host, [this, target] {
      target->pump_scheduled = false;
      schedule_pump(*target, fabric->simulator().now());
    });
    return;
  }
  LinkState& link = *out.link;
  const TimePoint start = std::max({sim.now(), link.busy_until, link.stalled_until});
  if (start > sim.now()) {
    schedule_pump(out, start);
    return;
  }
  const std::uint64_t mss = std::max<std::uint64_t>(1, link.params.mss);
  const std::uint64_t min_segment =
      std::min<std::uint64_t>(std::max<std::uint64_t>(1, link.params.min_segment), mss);
  while (out.queued_bytes > 0) {
    const auto size =
        static_cast<std::size_t>(std::min(out.rng.between(min_segment, mss), out.queued_bytes));
    const TimePoint sent = sim.now() + serialization_delay(size, link.params.bandwidth_bps);
    link.busy_until = sent;
    transmit(out, cut_segment(out, size), sent);
    if (sent > sim.now()) {
      if (out.queued_bytes > 0 || out.fin_requested) schedule_pump(out, sent);
      return;
    }
  }
  if (out.fin_requested && !out.fin_sent) send_fin(out);
}

Bytes Connection::cut_segment(Half& out, std::size_t size) {
  Bytes segment;
  if (out.front_offset == 0 && out.queue.front().size() == size) {
    segment = std::move(out.queue.front());  // a whole write as one segment: no copy
    out.queue.pop_front();
  } else {
    segment = take_buffer(out.spare_segments);
    segment.reserve(size);
    while (segment.size() < size) {
      Bytes& front = out.queue.front();
      const std::size_t n = std::min(size - segment.size(), front.size() - out.front_offset);
      const auto first = front.begin() + static_cast<std::ptrdiff_t>(out.front_offset);
      segment.insert(segment.end(), first, first + static_cast<std::ptrdiff_t>(n));
      out.front_offset += n;
      if (out.front_offset == front.size()) {
        recycle_buffer(out.spare_chunks, std::move(front), kSpareChunks);
        out.queue.pop_front();
        out.front_offset = 0;
      }
    }
  }
  out.queued_bytes -= size;
  return segment;
}

void Connection::transmit(Half& out, Bytes segment, TimePoint sent) {
  const std::uint64_t first = out.sent_offset;
  const std::uint64_t last = first + segment.size();
  auto& marks = out.corruptions;
  for (const auto& [offset, mask] : marks) {
    if (offset >= first && offset < last) segment[offset - first] ^= mask;
  }
  marks.erase(std::remove_if(marks.begin(), marks.end(),
                             [&](const auto& mark) { return mark.first < last; }),
              marks.end());
  out.sent_offset = last;
  if (auto* trace = fabric->trace()) {
    trace->on_segment(fabric->simulator().now(), key, out.sender, segment);
  }
  const TimePoint at = arrival_time(out, sent);
  out.in_flight.push_back(std::move(segment));
  Half* target = &out;
  fabric->simulator().post_at(at, [this, target] { deliver(*target); });
}

TimePoint Connection::arrival_time(Half& out, TimePoint sent) {
  const LinkState& link = *out.link;
  TimePoint at = sent + link.params.latency + link.extra_delay;
  if (link.params.jitter.count() > 0) {
    const auto span = static_cast<std::uint64_t>(link.params.jitter.count());
    at += Duration{static_cast<Duration::rep>(out.rng.below(span + 1))};
  }
  // Jitter never reorders a stream: a segment waits for the one before it.
  at = std::max(at, out.last_arrival);
  out.last_arrival = at;
  return at;
}

void Connection::send_fin(Half& out) {
  out.fin_sent = true;
  if (auto* trace = fabric->trace()) trace->on_fin(fabric->simulator().now(), key, out.sender);
  const TimePoint at = arrival_time(out, fabric->simulator().now());
  Half* target = &out;
  fabric->simulator().post_at(at, [this, target] { deliver_fin(*target); });
}

void Connection::deliver(Half& out) {
  if (out.in_flight.empty()) return;  // dropped by a reset
  Bytes segment = std::move(out.in_flight.front());
  out.in_flight.pop_front();
  out.unacked_bytes -= segment.size();
  out.delivered_offset += segment.size();
  notify_data(other(out.sender), segment);
  if (!reset && out.delivered_offset >= out.reset_at_delivered) inject_reset();
  if (segment.capacity() > kLargestPooledSegment) {
    recycle_buffer(out.spare_chunks, std::move(segment), kSpareChunks);
  } else {
    recycle_buffer(out.spare_segments, std::move(segment), kSpareSegments);
  }
  if (reset || !out.writer_blocked || out.unacked_bytes > fabric->config().send_buffer_limit) {
    return;
  }
  out.writer_blocked = false;
  EndState& writer = end(out.sender);
  if (writer.life == EndState::Life::open && !writer.closed && writer.handler != nullptr) {
    writer.handler->on_writable();
  }
}

void Connection::deliver_fin(Half& out) {
  if (reset) return;
  notify_closed(other(out.sender), CloseReason::peer_fin);
}

}  // namespace iscsi::sim
