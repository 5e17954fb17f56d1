// initiator_perf: our initiator's throughput, for comparison with libiscsi's iscsi-perf.
//   initiator_perf iscsi://127.0.0.1:3260/<iqn>/<lun> [--seconds S] [--block BYTES]
//                  [--depth N] [--read|--write]
// Logs in with our Client on core/asio's AsioRuntime (no trace, no recovery, libiscsi's
// operational offer: MaxRecvDataSegmentLength, FirstBurstLength and MaxBurstLength 256 KiB,
// InitialR2T=No, ImmediateData=Yes; the Client's command batching unless --commands-per-write
// says otherwise, and receive coalescing unless --max-receive-batch 0), reads the capacity,
// then keeps N commands in flight at sequential, wrapping LBAs for S seconds. Prints one line
// of figures and a RESULT line for scripts/bench-initiator.sh. Exit status 0 only when every
// command succeeded.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "bench/initiator_perf/perf_run.hpp"
#include "core/asio/runtime.hpp"
#include "core/runtime/address.hpp"
#include "initiator-impl/client/client.hpp"
#include "initiator-impl/io/io_job.hpp"
#include "initiator-impl/io/iscsi_url.hpp"

namespace iscsi::bench {
namespace {

struct Options {
  std::string url;
  std::string initiator_name = "iqn.2026-01.org.example.iscsim:initiator-perf";
  double seconds = 5;
  std::uint32_t block = 64 * 1024;
  unsigned depth = 32;
  bool write = false;
  // Largest single socket read: one 64 KiB Data-In PDU and its header in one call, or several.
  std::size_t read_chunk = 64 * 1024;
  std::size_t max_receive_batch = asio::AsioRuntimeOptions{}.max_receive_batch;
  // SCSI Commands per write while the target is busy (ConnectionSettings::batching).
  std::size_t commands_per_write = initiator::client::CommandBatchSettings{}.max_commands_per_write;
};

initiator::client::LoginRequest login_request(const Options& options,
                                              const initiator::io::IscsiUrl& url) {
  initiator::client::LoginRequest request;
  request.portal = runtime::Endpoint{*runtime::parse_ipv4(url.host), url.port};
  request.setup.initiator_name = options.initiator_name;
  request.setup.target_name = url.target;
  request.recovery.max_attempts = 0;  // no copy of each write kept for a resend
  request.connection.batching.max_commands_per_write = options.commands_per_write;
  negotiation::LocalPolicy& policy = request.setup.policy;
  policy.max_recv_data_segment_length = 262144;
  policy.max_burst_length = 262144;
  policy.first_burst_length = 262144;
  policy.initial_r2t = false;
  policy.immediate_data = true;
  return request;
}

// The whole run on the loop: login, READ CAPACITY (16), the timed run, logout.
class Driver {
 public:
  Driver(asio::AsioRuntime& runtime, const Options& options, const initiator::io::IscsiUrl& url)
      : runtime_(runtime),
        options_(options),
        url_(url),
        client_(
            {&runtime.network(), &runtime.timers(), &runtime.clock(), &runtime.rng(), nullptr}) {}

  std::optional<PerfFigures> run() {
    client_.login(login_request(options_, url_), [this](initiator::client::LoginOutcome outcome) {
      if (!outcome.ok()) return stop_with(outcome.describe());
      session_ = outcome.session;
      read_capacity();
    });
    // A timer bounds the run instead of run_for(), whose loop reads the clock before every
    // handler it runs.
    const auto limit = std::chrono::duration<double>(options_.seconds + 60);
    const runtime::TimerId bound = runtime_.timers().schedule_after(
        std::chrono::duration_cast<runtime::Duration>(limit), [this] { runtime_.stop(); });
    runtime_.run();
    runtime_.timers().cancel(bound);
    if (!error_.empty()) std::fprintf(stderr, "initiator_perf: %s\n", error_.c_str());
    return figures_;
  }

 private:
  void read_capacity() {
    initiator::io::IoJob job;
    job.kind = initiator::io::JobKind::read_capacity;
    job.lun = *url_.lun;
    initiator::io::run_io_job(*session_, job, [this](initiator::io::IoResult result) {
      if (!result.ok) return stop_with(result.error);
      const std::uint64_t blocks = load_be64(result.data.data()) + 1;
      const std::uint32_t block_size = load_be32(result.data.data() + 8);
      PerfSettings settings{.lun = *url_.lun,
                            .block_bytes = options_.block,
                            .depth = options_.depth,
                            .write = options_.write,
                            .duration = std::chrono::milliseconds(
                                static_cast<std::int64_t>(options_.seconds * 1000))};
      perf_.emplace(*session_, runtime_.clock(), settings);
      perf_->start(blocks, block_size, [this](PerfFigures figures) { on_figures(figures); });
    });
  }

  void on_figures(PerfFigures figures) {
    if (!figures.ok) error_ = figures.error;
    figures_ = figures;
    session_->logout([this](const initiator::session::LogoutCompleted&) { runtime_.stop(); });
  }

  void stop_with(std::string error) {
    error_ = std::move(error);
    runtime_.stop();
  }

  asio::AsioRuntime& runtime_;
  const Options& options_;
  const initiator::io::IscsiUrl& url_;
  initiator::client::Client client_;
  std::shared_ptr<initiator::client::Session> session_;
  std::optional<PerfRun> perf_;
  std::optional<PerfFigures> figures_;
  std::string error_;
};

void print(const Options& options, const PerfFigures& figures) {
  const double seconds = figures.seconds > 0 ? figures.seconds : 1;
  const double mb_per_s = static_cast<double>(figures.bytes) / 1e6 / seconds;
  const double iops = static_cast<double>(figures.commands) / seconds;
  const double gb = static_cast<double>(figures.bytes) / 1e9;
  const double cpu_per_gb = gb > 0 ? figures.cpu_seconds / gb : 0;
  std::printf("%s %u bytes x %u in flight, %.2f s: %.1f MB/s, %.0f IOPS, CPU %.3f s (%.3f s/GB)\n",
              options.write ? "write" : "read", options.block, options.depth, seconds, mb_per_s,
              iops, figures.cpu_seconds, cpu_per_gb);
  std::printf("RESULT mbps=%.3f iops=%.1f cpu_s=%.4f cpu_s_per_gb=%.4f\n", mb_per_s, iops,
              figures.cpu_seconds, cpu_per_gb);
}

}  // namespace
}  // namespace iscsi::bench

int main(int argc, char** argv) {
  iscsi::bench::Options options;
  CLI::App app{"Our initiator's throughput: N commands in flight for S seconds"};
  app.add_option("url", options.url, "iscsi://<IPv4>[:<port>]/<target-iqn>/<lun>")->required();
  app.add_option("--seconds", options.seconds, "Seconds to keep the queue full")
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--block", options.block, "Bytes per command (a multiple of the block size)")
      ->check(CLI::Range(512, 16 * 1024 * 1024));
  app.add_option("--depth", options.depth, "Commands in flight")->check(CLI::Range(1, 1024));
  app.add_option("--initiator", options.initiator_name, "InitiatorName");
  app.add_option("--read-chunk", options.read_chunk, "Largest single socket read in bytes")
      ->check(CLI::Range(4096, 16 * 1024 * 1024));
  app.add_option("--commands-per-write", options.commands_per_write,
                 "SCSI Commands sharing one write while the target is busy (1: one each)")
      ->check(CLI::Range(1, 64));
  app.add_option("--max-receive-batch", options.max_receive_batch,
                 "Most bytes a socket wait lets gather while reads are in flight (0: read at "
                 "the first byte; receive coalescing, core/asio/tcp_stream_coalesce.cpp)")
      ->check(CLI::Range(0, 64 * 1024 * 1024));
  bool read = false;
  auto* read_flag = app.add_flag("--read", read, "Read (the default)");
  app.add_flag("--write", options.write, "Write a pattern instead of reading")->excludes(read_flag);
  CLI11_PARSE(app, argc, argv);

  auto url = iscsi::initiator::io::parse_iscsi_url(options.url);
  if (!url.ok()) {
    std::fprintf(stderr, "initiator_perf: %s\n", url.error().detail.c_str());
    return 2;
  }
  if (url->target.empty() || !url->lun || url->user) {
    std::fprintf(stderr, "initiator_perf: the URL needs a target and a LUN, and no CHAP user\n");
    return 2;
  }
  iscsi::asio::AsioRuntimeOptions runtime_options;
  runtime_options.read_chunk = options.read_chunk;
  runtime_options.max_receive_batch = options.max_receive_batch;
  iscsi::asio::AsioRuntime runtime(runtime_options);
  iscsi::bench::Driver driver(runtime, options, url.value());
  const auto figures = driver.run();
  if (!figures) {
    std::fprintf(stderr,
                 "initiator_perf: no figures (login or READ CAPACITY failed, or timeout)\n");
    return 1;
  }
  iscsi::bench::print(options, *figures);
  return figures->ok ? 0 : 1;
}
