#pragma once
// Simulated hosts, links and TCP-like streams on top of the Simulator's event loop. Each Host is
// a runtime::Network; streams are reliable and ordered, cut into seed-chosen segments, delayed by
// per-link latency, jitter and bandwidth, and reported to an optional TransportTrace so a capture
// writer sees every segment, FIN and RST (DESIGN.md, The simulator).
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/common/result.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/transport_trace.hpp"
#include "sim/pdu_fault_plan.hpp"
#include "sim/simulator.hpp"

namespace iscsi::sim {

struct LinkParams {
  runtime::Duration latency{0};     // one way
  runtime::Duration jitter{0};      // each segment adds a seed-chosen delay in [0, jitter]
  std::uint64_t bandwidth_bps = 0;  // bits per second; 0 is unlimited (no serialization delay)
  std::uint32_t mss = 1460;         // largest segment payload
  std::uint32_t min_segment = 1;    // smallest seed-chosen segment (a shorter tail is allowed)
};

struct FabricConfig {
  LinkParams default_link{};
  // Bytes written but not yet delivered above which write() reports back-pressure.
  std::size_t send_buffer_limit = 256 * 1024;
};

class Fabric;
struct Connection;
struct LinkState;

// A simulated machine: one or more IPv4 addresses and their listeners.
class Host final : public runtime::Network {
 public:
  Host(Fabric& fabric, std::uint32_t id, std::string name, std::uint32_t ipv4);

  std::uint32_t id() const { return id_; }
  const std::string& name() const { return name_; }
  std::uint32_t ipv4() const { return addresses_.front(); }
  void add_address(std::uint32_t ipv4) { addresses_.push_back(ipv4); }
  bool has_address(std::uint32_t ipv4) const;

  // runtime::Network
  Result<runtime::ListenerId> listen(runtime::Endpoint local,
                                     runtime::AcceptCallback on_accept) override;
  void stop_listening(runtime::ListenerId id) override;
  void connect(const runtime::ConnectOptions& options, runtime::ConnectCallback on_done) override;

  // The accept callback for a SYN to `local`, or null when nothing listens there.
  const runtime::AcceptCallback* find_listener(runtime::Endpoint local) const;
  bool close_listener(runtime::Endpoint local);

 private:
  struct Listener {
    runtime::ListenerId id;
    runtime::Endpoint local;  // ipv4 0: every address of the host
    runtime::AcceptCallback on_accept;
  };

  Fabric& fabric_;
  std::uint32_t id_;
  std::string name_;
  std::vector<std::uint32_t> addresses_;
  std::vector<Listener> listeners_;
  runtime::ListenerId next_listener_ = 1;
  std::uint16_t next_port_ = 49152;  // Linux's ephemeral range starts at 32768; IANA's at 49152
};

class Fabric {
 public:
  explicit Fabric(Simulator& simulator, FabricConfig config = {});
  ~Fabric();
  Fabric(const Fabric&) = delete;
  Fabric& operator=(const Fabric&) = delete;

  Host& add_host(std::string name, std::uint32_t ipv4);
  Host* host_by_ipv4(std::uint32_t ipv4);
  void set_link(const Host& a, const Host& b, const LinkParams& params);  // both directions
  void set_link_one_way(const Host& from, const Host& to, const LinkParams& params);
  void set_trace(runtime::TransportTrace* trace) { trace_ = trace; }

  // Faults. Each takes effect at the current virtual time.
  // Nothing crosses between a and b (either way) for `period`; queued bytes wait, then flow.
  void stall(const Host& a, const Host& b, runtime::Duration period);
  // Cut a and b apart until heal(): connects time out, established streams wait (TCP retries).
  void partition(const Host& a, const Host& b);
  void heal(const Host& a, const Host& b);
  // A down host answers nothing, like a partition from every other host.
  void set_host_up(Host& host, bool up);
  // Adds `extra` one-way delay from `from` to `to` (the other direction keeps its latency).
  void delay_direction(const Host& from, const Host& to, runtime::Duration extra);
  // RST both ways on an open connection; both ends see peer_reset. False if there is none.
  bool reset(const runtime::ConnectionKey& key);
  // XORs `mask` into the byte at `stream_offset` of what `sender` sends (counting from the
  // first byte of the stream) when it is transmitted. False if there is no such connection.
  bool corrupt(const runtime::ConnectionKey& key, runtime::Side sender, std::uint64_t stream_offset,
               std::uint8_t mask);
  // Removes the listener on `local`; later connects there are refused.
  bool close_listener(runtime::Endpoint local);
  // A fault at PDU granularity for every connection established from now on (each connection
  // counts its own PDUs). Digests are assumed off until set_pdu_digests() says otherwise.
  void add_pdu_fault(const PduFault& fault) { pdu_faults_.push_back(fault); }
  bool set_pdu_digests(const runtime::ConnectionKey& key, runtime::Side sender, bool header,
                       bool data);
  // Connections not yet reset, in the order they were established.
  std::vector<runtime::ConnectionKey> connections() const;

  // For hosts and streams.
  Simulator& simulator() { return simulator_; }
  const FabricConfig& config() const { return config_; }
  runtime::TransportTrace* trace() const { return trace_; }
  LinkState& link(std::uint32_t from, std::uint32_t to);
  bool reachable(std::uint32_t a, std::uint32_t b) const;
  // Waits for `a`-`b` to become reachable again, then runs `wake`.
  void on_reachable(std::uint32_t a, std::uint32_t b, std::function<void()> wake);
  Connection& add_connection(const runtime::ConnectionKey& key, std::uint32_t client_host,
                             std::uint32_t server_host);

 private:
  static std::pair<std::uint32_t, std::uint32_t> ordered(std::uint32_t a, std::uint32_t b);
  Connection* find_connection(const runtime::ConnectionKey& key);
  void wake_waiters();

  Simulator& simulator_;
  FabricConfig config_;
  runtime::TransportTrace* trace_ = nullptr;
  std::vector<PduFault> pdu_faults_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<bool> host_up_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::unique_ptr<LinkState>> links_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> partitions_;
  std::vector<std::pair<std::pair<std::uint32_t, std::uint32_t>, std::function<void()>>> waiters_;
  // Connections live as long as the fabric, so events that point at them never dangle; their
  // buffers are released when they close.
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace iscsi::sim
