#pragma once
// AsioRuntime: core's runtime interfaces over Boost.Asio on real sockets, run by the thread
// that calls run(). Boost stays out of this header, so code that drives a real run (apps/,
// tests) does not include Boost.Asio.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/common/result.hpp"
#include "core/runtime/block_io.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/rng.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/transport_trace.hpp"

namespace iscsi::asio {

struct AsioRuntimeOptions {
  // Bytes a stream queues in user space before write() reports back-pressure; also the size
  // from which it sends at once rather than at the end of the loop's turn (StreamSettings).
  std::size_t send_buffer_limit = 256 * 1024;
  // Largest single read, and so the largest on_data() delivery.
  std::size_t read_chunk = 64 * 1024;
  // SO_SNDBUF of every stream (0: the kernel sizes the send buffer itself).
  std::size_t socket_send_buffer = 0;
  // After a short read (the socket is most likely empty), streams end the read turn with a
  // wait, which lets the loop run what is queued first, instead of reading on to would_block.
  // Worth it for a server whose BlockIo completions come back through the loop (iscsim
  // target): their answers leave before more commands are read, where reading on batched them
  // to a whole turn of commands and cost about a tenth of the 4 KiB read rate. A client that
  // answers inline (the initiator) does better reading on: bytes that arrived meanwhile are
  // read at once, and 64 KiB reads made 0.4 fewer system calls each (epoll_wait, epoll_ctl).
  bool yield_after_short_read = false;
  // Receive coalescing (StreamSettings, core/asio/tcp_stream_coalesce.cpp): the most bytes a
  // stream lets gather before it reads when its handler expects more; 0 turns it off. And how
  // long such a wait may see nothing before it reads what came.
  std::size_t max_receive_batch = 512 * 1024;
  std::chrono::microseconds receive_batch_guard{1000};
  // Seed for a reproducible Rng; without one, the OS generator is used (production runs).
  std::optional<std::uint64_t> rng_seed;
  // Threads serving BlockIo (clamped to 1..16).
  std::size_t block_io_threads = 2;
  // File reads up to this size are served from the page cache on the loop thread when the
  // pages are there (FileBlockIoOptions).
  std::size_t cached_read_max_bytes = 64 * 1024;
  // glibc returns the top of the heap to the kernel once more than this much is free there
  // (M_TRIM_THRESHOLD; its default is 128 KiB). Each SCSI read allocates its data buffer, so
  // with the default a stream of 64 KiB reads kept shrinking the heap and faulting fresh zeroed
  // pages back in: a quarter of the target's CPU time. This setting is process-wide; 0 leaves
  // glibc's own.
  std::size_t heap_trim_threshold_bytes = 16 * 1024 * 1024;
};

// Where synthesized transport events go (pcap writers). Applies to streams created later.
struct TransportTraceOptions {
  runtime::TransportTrace* trace = nullptr;
  std::size_t mss = 1460;
  // When both ends of a loopback connection live in this process, trace only one of them, or
  // every byte is reported twice.
  bool trace_connected = true;
  bool trace_accepted = true;
};

class AsioRuntime {
 public:
  explicit AsioRuntime(AsioRuntimeOptions options = {});
  // Streams, BlockIos and listeners must be gone (or at least unused) before the runtime.
  ~AsioRuntime();
  AsioRuntime(const AsioRuntime&) = delete;
  AsioRuntime& operator=(const AsioRuntime&) = delete;

  runtime::Clock& clock();
  runtime::TimerService& timers();
  runtime::Network& network();
  runtime::Rng& rng();

  // The address a listener is bound to, with the chosen port when it asked for port 0.
  Result<runtime::Endpoint> listening_endpoint(runtime::ListenerId id) const;
  // A BlockIo over an existing file; its size is the file's size now.
  Result<std::unique_ptr<runtime::BlockIo>> open_block_io(const std::string& path);
  void set_transport_trace(const TransportTraceOptions& options);

  // Runs the event loop on the calling thread until stop() or until no work is left.
  void run();
  // As run(), but returns after `limit` at the latest. Returns the handlers run.
  std::size_t run_for(runtime::Duration limit);
  // Makes run()/run_for() return soon; callable from any thread. A later run() starts again.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::asio
