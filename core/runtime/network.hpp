#pragma once
// Listening and connecting. Both runtimes (sim/ and core/asio/) implement this.
#include <cstdint>
#include <functional>
#include <memory>

#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::runtime {

using ListenerId = std::uint64_t;

struct ConnectOptions {
  Endpoint remote;
  // Source address to bind, 0 for "any" (ACL tests bind 127.0.0.2 and up).
  std::uint32_t local_ipv4 = 0;
  Duration timeout = std::chrono::seconds(127);  // Linux: 6 SYN retries take about 127 s
};

using AcceptCallback = std::function<void(std::unique_ptr<Stream>)>;
// Exactly one of the two arguments is meaningful: a stream on success, else why it failed.
using ConnectCallback = std::function<void(std::unique_ptr<Stream>, CloseReason failure)>;

class Network {
 public:
  virtual ~Network() = default;
  virtual Result<ListenerId> listen(Endpoint local, AcceptCallback on_accept) = 0;
  virtual void stop_listening(ListenerId id) = 0;
  virtual void connect(const ConnectOptions& options, ConnectCallback on_done) = 0;
};

}  // namespace iscsi::runtime
