#include "core/asio/runtime.hpp"

#include <malloc.h>

#include <algorithm>
#include <climits>

#include "core/asio/boost_asio.hpp"
#include "core/asio/file_block_io.hpp"
#include "core/asio/rng.hpp"
#include "core/asio/steady_clock.hpp"
#include "core/asio/tcp_network.hpp"
#include "core/asio/timer_service.hpp"
#include "core/asio/worker_pool.hpp"

namespace iscsi::asio {
namespace {

std::unique_ptr<runtime::Rng> make_rng(const std::optional<std::uint64_t>& seed) {
  if (seed) return std::make_unique<DeterministicRng>(*seed);
  return std::make_unique<OsRng>();
}

}  // namespace

// Members are destroyed in reverse order: the pool joins its threads (whose last act is posting
// to the io_context) before the io_context goes away.
struct AsioRuntime::Impl {
  explicit Impl(const AsioRuntimeOptions& options)
      : file_options{options.cached_read_max_bytes},
        timers(io, clock),
        rng(make_rng(options.rng_seed)),
        pool(options.block_io_threads),
        network(io, clock,
                StreamSettings{options.send_buffer_limit, options.read_chunk,
                               options.socket_send_buffer, options.yield_after_short_read,
                               options.max_receive_batch, options.receive_batch_guard}) {}

  FileBlockIoOptions file_options;
  boost::asio::io_context io{1};
  SteadyClock clock;
  AsioTimerService timers;
  std::unique_ptr<runtime::Rng> rng;
  WorkerPool pool;
  TcpNetwork network;
};

AsioRuntime::AsioRuntime(AsioRuntimeOptions options)
    : impl_(std::make_unique<Impl>(options)) {
  if (options.heap_trim_threshold_bytes > 0) {
    ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<std::size_t>(
                                    options.heap_trim_threshold_bytes, INT_MAX)));
  }
}

AsioRuntime::~AsioRuntime() = default;

runtime::Clock& AsioRuntime::clock() { return impl_->clock; }
runtime::TimerService& AsioRuntime::timers() { return impl_->timers; }
runtime::Network& AsioRuntime::network() { return impl_->network; }
runtime::Rng& AsioRuntime::rng() { return *impl_->rng; }

Result<runtime::Endpoint> AsioRuntime::listening_endpoint(runtime::ListenerId id) const {
  return impl_->network.listening_endpoint(id);
}

Result<std::unique_ptr<runtime::BlockIo>> AsioRuntime::open_block_io(const std::string& path) {
  auto opened = FileBlockIo::open(impl_->io, impl_->pool, path, impl_->file_options);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<runtime::BlockIo>(std::move(opened).value());
}

void AsioRuntime::set_transport_trace(const TransportTraceOptions& options) {
  impl_->network.set_trace(TraceSettings{options.trace, options.mss, options.trace_connected,
                                         options.trace_accepted});
}

void AsioRuntime::run() {
  if (impl_->io.stopped()) impl_->io.restart();
  impl_->io.run();
}

std::size_t AsioRuntime::run_for(runtime::Duration limit) {
  if (impl_->io.stopped()) impl_->io.restart();
  return impl_->io.run_for(limit);
}

void AsioRuntime::stop() { impl_->io.stop(); }

}  // namespace iscsi::asio
