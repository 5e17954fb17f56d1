#include "pcap/tcp_synthesizer.hpp"

#include <algorithm>

namespace iscsi::pcap {
namespace {

// SplitMix64's finalizer: a fixed bijective mix so every 4-tuple gets well-spread ISNs.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

TcpSynthesizer::TcpSynthesizer(FrameSink& sink, const SynthesizerOptions& options)
    : sink_(sink),
      mss_(std::clamp<std::size_t>(options.mss, 1, kMaxTcpPayload)),
      max_connections_(options.max_connections) {}

TcpSynthesizer::FlowKey TcpSynthesizer::key_of(const runtime::ConnectionKey& connection) {
  return {connection.initiator.ipv4, connection.initiator.port, connection.target.ipv4,
          connection.target.port};
}

TcpSynthesizer::Flow TcpSynthesizer::make_flow(const runtime::ConnectionKey& connection) {
  // RFC 9293 §3.4.1 wants unpredictable ISNs against off-path attackers; a capture needs the
  // opposite (identical input, identical file), so they derive from the 4-tuple and ordinal.
  const std::uint64_t tuple = (std::uint64_t{connection.initiator.ipv4} << 32) ^
                              (std::uint64_t{connection.target.ipv4} << 16) ^
                              (std::uint64_t{connection.initiator.port} << 8) ^
                              connection.target.port;
  const std::uint64_t seed = mix(tuple ^ mix(connection_ordinal_++));
  Flow flow;
  flow.client.endpoint = connection.initiator;
  flow.server.endpoint = connection.target;
  flow.client.next_sequence = static_cast<std::uint32_t>(seed);
  flow.server.next_sequence = static_cast<std::uint32_t>(seed >> 32);
  const std::uint64_t ids = mix(seed);
  flow.client.ip_id = static_cast<std::uint16_t>(ids);
  flow.server.ip_id = static_cast<std::uint16_t>(ids >> 16);
  return flow;
}

void TcpSynthesizer::emit(runtime::TimePoint at, Half& from, Half& to, std::uint8_t flags,
                          ByteView payload, std::uint16_t mss_option) {
  TcpFrame frame;
  frame.source = from.endpoint;
  frame.destination = to.endpoint;
  frame.sequence_number = from.next_sequence;
  frame.flags = flags;
  frame.window = static_cast<std::uint16_t>(kWindow);
  frame.ip_id = from.ip_id++;
  frame.mss_option = mss_option;
  frame.payload = payload;
  if ((flags & tcp_flag::ack) != 0) {
    frame.acknowledgment_number = to.next_sequence;
    to.unacknowledged = 0;
  }
  frame_.clear();
  append_tcp_frame(frame, frame_);
  sink_.on_frame(at, frame_);
}

void TcpSynthesizer::write_handshake(runtime::TimePoint at, Flow& flow) {
  const auto mss_option = static_cast<std::uint16_t>(mss_);
  // SYN and SYN-ACK each consume one sequence number (RFC 9293 §3.4).
  emit(at, flow.client, flow.server, tcp_flag::syn, {}, mss_option);
  ++flow.client.next_sequence;
  emit(at, flow.server, flow.client, tcp_flag::syn | tcp_flag::ack, {}, mss_option);
  ++flow.server.next_sequence;
  emit(at, flow.client, flow.server, tcp_flag::ack, {});
}

TcpSynthesizer::Flow* TcpSynthesizer::find_or_open(runtime::TimePoint at,
                                                   const runtime::ConnectionKey& connection) {
  const auto it = flows_.find(key_of(connection));
  if (it != flows_.end()) return &it->second;
  // A recorder attached to a run in progress still shows a complete flow: the handshake is
  // synthesized at the first event seen.
  if (flows_.size() >= max_connections_) return nullptr;
  auto [inserted, unused] = flows_.emplace(key_of(connection), make_flow(connection));
  write_handshake(at, inserted->second);
  return &inserted->second;
}

void TcpSynthesizer::on_connected(runtime::TimePoint at,
                                  const runtime::ConnectionKey& connection) {
  // A second connect on a live 4-tuple starts a new incarnation (new ISNs).
  flows_.erase(key_of(connection));
  if (find_or_open(at, connection) == nullptr) ++events_dropped_;
}

void TcpSynthesizer::on_refused(runtime::TimePoint at, const runtime::ConnectionKey& connection) {
  flows_.erase(key_of(connection));
  Flow flow = make_flow(connection);
  emit(at, flow.client, flow.server, tcp_flag::syn, {}, static_cast<std::uint16_t>(mss_));
  ++flow.client.next_sequence;
  // RFC 9293 §3.5.2: the RST answering a SYN has SEQ 0 and acknowledges the SYN.
  flow.server.next_sequence = 0;
  emit(at, flow.server, flow.client, tcp_flag::rst | tcp_flag::ack, {});
}

void TcpSynthesizer::send_data(runtime::TimePoint at, Half& from, Half& to, ByteView chunk,
                               bool last) {
  const std::uint8_t flags = last ? (tcp_flag::ack | tcp_flag::psh) : tcp_flag::ack;
  emit(at, from, to, flags, chunk);
  from.next_sequence += static_cast<std::uint32_t>(chunk.size());
  from.unacknowledged += static_cast<std::uint32_t>(chunk.size());
  // The receiver ACKs every second full segment (RFC 9293 §3.8.6.3) and before the sender
  // could fill the advertised window, so a decoder never sees a window-full stall.
  if (from.unacknowledged >= 2 * mss_ || from.unacknowledged + mss_ >= kWindow) {
    emit(at, to, from, tcp_flag::ack, {});
  }
}

void TcpSynthesizer::on_segment(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                                runtime::Side sender, ByteView payload) {
  Flow* flow = find_or_open(at, connection);
  if (flow == nullptr || flow->half(sender).fin_sent) {
    ++events_dropped_;
    return;
  }
  Half& from = flow->half(sender);
  Half& to = flow->peer(sender);
  while (!payload.empty()) {
    const std::size_t n = std::min(payload.size(), mss_);
    send_data(at, from, to, payload.first(n), n == payload.size());
    payload = payload.subspan(n);
  }
}

void TcpSynthesizer::on_fin(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                            runtime::Side sender) {
  Flow* flow = find_or_open(at, connection);
  if (flow == nullptr || flow->half(sender).fin_sent) {
    ++events_dropped_;
    return;
  }
  Half& from = flow->half(sender);
  Half& to = flow->peer(sender);
  emit(at, from, to, tcp_flag::fin | tcp_flag::ack, {});
  ++from.next_sequence;  // FIN consumes one sequence number
  from.fin_sent = true;
  emit(at, to, from, tcp_flag::ack, {});
  if (to.fin_sent) flows_.erase(key_of(connection));
}

void TcpSynthesizer::on_reset(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                              runtime::Side sender) {
  Flow* flow = find_or_open(at, connection);
  if (flow == nullptr) {
    ++events_dropped_;
    return;
  }
  emit(at, flow->half(sender), flow->peer(sender), tcp_flag::rst | tcp_flag::ack, {});
  flows_.erase(key_of(connection));
}

}  // namespace iscsi::pcap
