#pragma once
// Recording fakes for the simulator's tests: a TransportTrace that keeps every event, and a
// StreamHandler that keeps what a stream delivered.
#include <optional>
#include <string>
#include <vector>

#include "core/runtime/stream.hpp"
#include "core/runtime/transport_trace.hpp"

namespace iscsi::sim::testing {

struct TraceEvent {
  enum class Kind { connected, refused, segment, fin, reset };
  Kind kind;
  std::int64_t at_ns;
  runtime::ConnectionKey connection;
  runtime::Side sender;
  Bytes payload;
  friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};

class RecordingTransportTrace final : public runtime::TransportTrace {
 public:
  void on_connected(runtime::TimePoint at, const runtime::ConnectionKey& c) override {
    add(TraceEvent::Kind::connected, at, c, runtime::Side::client, {});
  }
  void on_refused(runtime::TimePoint at, const runtime::ConnectionKey& c) override {
    add(TraceEvent::Kind::refused, at, c, runtime::Side::client, {});
  }
  void on_segment(runtime::TimePoint at, const runtime::ConnectionKey& c, runtime::Side sender,
                  ByteView payload) override {
    add(TraceEvent::Kind::segment, at, c, sender, payload);
  }
  void on_fin(runtime::TimePoint at, const runtime::ConnectionKey& c,
              runtime::Side sender) override {
    add(TraceEvent::Kind::fin, at, c, sender, {});
  }
  void on_reset(runtime::TimePoint at, const runtime::ConnectionKey& c,
                runtime::Side sender) override {
    add(TraceEvent::Kind::reset, at, c, sender, {});
  }

  std::vector<TraceEvent> events;

  std::vector<TraceEvent> of_kind(TraceEvent::Kind kind) const {
    std::vector<TraceEvent> out;
    for (const auto& e : events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }

 private:
  void add(TraceEvent::Kind kind, runtime::TimePoint at, const runtime::ConnectionKey& c,
           runtime::Side sender, ByteView payload) {
    events.push_back(TraceEvent{kind, at.time_since_epoch().count(), c, sender,
                                Bytes(payload.begin(), payload.end())});
  }
};

// Keeps the stream it is given and everything it reports, with virtual arrival times.
class Collector final : public runtime::StreamHandler {
 public:
  explicit Collector(const runtime::Clock& clock) : clock_(clock) {}

  void attach(std::unique_ptr<runtime::Stream> s) {
    stream = std::move(s);
    stream->set_handler(this);
  }
  void on_data(ByteView bytes) override {
    received.insert(received.end(), bytes.begin(), bytes.end());
    arrival_ns.push_back(clock_.now().time_since_epoch().count());
    chunk_sizes.push_back(bytes.size());
    if (echo) stream->write(bytes);
  }
  void on_writable() override { ++writable_calls; }
  void on_closed(runtime::CloseReason reason) override {
    closes.push_back(reason);
    closed_at_ns = clock_.now().time_since_epoch().count();
    if (echo && reason == runtime::CloseReason::peer_fin) stream->shutdown_write();
  }

  std::unique_ptr<runtime::Stream> stream;
  Bytes received;
  std::vector<std::int64_t> arrival_ns;
  std::vector<std::size_t> chunk_sizes;  // one per on_data call
  std::vector<runtime::CloseReason> closes;
  std::int64_t closed_at_ns = -1;
  int writable_calls = 0;
  bool echo = false;

 private:
  const runtime::Clock& clock_;
};

inline Bytes pattern(std::size_t size, std::uint8_t salt = 0) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>((i * 31 + salt) & 0xff);
  return out;
}

}  // namespace iscsi::sim::testing
