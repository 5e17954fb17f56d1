#include "core/asio/trace_tap.hpp"

#include <algorithm>

namespace iscsi::asio {
namespace {

std::size_t index_of(runtime::Side side) { return side == runtime::Side::client ? 0 : 1; }

}  // namespace

TraceTap::TraceTap(const TraceSettings& settings, const runtime::Clock& clock,
                   runtime::ConnectionKey key, runtime::Side our_side)
    : clock_(&clock), mss_(std::max<std::size_t>(settings.mss, 1)), key_(key), our_side_(our_side) {
  const bool wanted =
      our_side == runtime::Side::client ? settings.trace_connected : settings.trace_accepted;
  trace_ = wanted ? settings.trace : nullptr;
}

runtime::Side TraceTap::peer_side() const {
  return our_side_ == runtime::Side::client ? runtime::Side::server : runtime::Side::client;
}

void TraceTap::connected() {
  if (trace_) trace_->on_connected(clock_->now(), key_);
}

void TraceTap::refused() {
  if (trace_) trace_->on_refused(clock_->now(), key_);
}

void TraceTap::payload(runtime::Side sender, ByteView bytes) {
  if (!trace_) return;
  const runtime::TimePoint at = clock_->now();
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), mss_);
    trace_->on_segment(at, key_, sender, bytes.first(n));
    bytes = bytes.subspan(n);
  }
}

void TraceTap::fin(runtime::Side sender) {
  bool& sent = fin_sent_[index_of(sender)];
  if (!trace_ || sent || reset_sent_) return;
  sent = true;
  trace_->on_fin(clock_->now(), key_, sender);
}

void TraceTap::reset(runtime::Side sender) {
  if (!trace_ || reset_sent_) return;
  reset_sent_ = true;
  trace_->on_reset(clock_->now(), key_, sender);
}

}  // namespace iscsi::asio
