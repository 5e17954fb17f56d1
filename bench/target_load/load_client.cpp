// target_load_client: the load test's initiator side against a running `iscsim target` (or any
// target) on loopback, over core/asio's AsioRuntime:
//   1. --sessions N sessions logged in at the same time (each with one TEST UNIT READY), held
//      until all are up, then all logged out;
//   2. --cycles M login / TEST UNIT READY / logout cycles, --parallel K at a time, each on a
//      fresh connection; with --target-pid, the target's VmRSS is read after cycle M/2 and after
//      cycle M (with nothing in flight) and must not grow by more than --rss-tolerance-kib.
// Prints one line per phase; exit status 0 only when every session succeeded and the RSS
// check (if any) held. Every phase is bounded by --deadline seconds.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bench/target_load/load_session.hpp"
#include "core/asio/runtime.hpp"

namespace iscsi::bench {
namespace {

struct LoadConfig {
  std::string portal = "127.0.0.1:3260";
  std::string target_name;
  std::string initiator_name = "iqn.2026-01.org.example.iscsim:load-client";
  std::uint32_t sessions = 200;
  std::uint32_t cycles = 2000;
  std::uint32_t parallel = 8;
  std::uint32_t lun = 1;
  bool test_unit_ready = true;
  int target_pid = 0;
  long rss_tolerance_kib = 1024;
  // Print the readings without judging them (ASan's quarantine keeps freed memory resident).
  bool rss_report_only = false;
  int deadline_seconds = 120;
};

std::optional<runtime::Endpoint> parse_portal(const std::string& text) {
  unsigned a = 0, b = 0, c = 0, d = 0, port = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &tail) != 5 ||
      a > 255 || b > 255 || c > 255 || d > 255 || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return runtime::Endpoint{(a << 24) | (b << 16) | (c << 8) | d, static_cast<std::uint16_t>(port)};
}

// VmRSS of a process in KiB, or -1 when it cannot be read.
long rss_kib(int pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class LoadDriver {
 public:
  LoadDriver(const LoadConfig& config, runtime::Endpoint portal)
      : config_(config), portal_(portal) {}

  bool run_concurrent();
  bool run_cycles();

 private:
  LoadSession& launch(bool logout_when_ready);
  void on_concurrent_ready();
  void logout_all_when_settled();
  void on_done(std::uint64_t id);
  void start_more_cycles();
  void reached_checkpoint();
  bool run_until_finished();

  const LoadConfig& config_;
  runtime::Endpoint portal_;
  asio::AsioRuntime runtime_;
  std::map<std::uint64_t, std::unique_ptr<LoadSession>> sessions_;
  std::uint64_t next_id_ = 0;
  std::uint32_t ready_ = 0;
  std::uint32_t started_ = 0;
  std::uint32_t finished_ = 0;
  std::uint32_t failed_ = 0;
  std::uint32_t check_conditions_ = 0;
  std::uint32_t target_ = 0;      // sessions this phase runs in all
  std::uint32_t checkpoint_ = 0;  // cycles to finish before the next RSS reading
  std::optional<long> rss_half_;
  std::optional<long> rss_full_;
  bool cycling_ = false;       // the cycles phase (else the concurrent one)
  bool logging_out_ = false;   // the concurrent phase told every session to log out
  bool phase_done_ = false;
  std::string first_error_;
};

LoadSession& LoadDriver::launch(bool logout_when_ready) {
  const std::uint64_t id = next_id_++;
  LoadSessionOptions options;
  options.portal = portal_;
  options.initiator_name = config_.initiator_name;
  options.target_name = config_.target_name;
  // A distinct ISID per session (RFC 7143 §11.12.5, random format), so none reinstates another.
  options.isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x1c5d,
                                 static_cast<std::uint8_t>(id >> 16),
                                 static_cast<std::uint16_t>(id));
  options.test_unit_ready = config_.test_unit_ready;
  options.lun = config_.lun;
  options.logout_when_ready = logout_when_ready;
  options.deadline = std::chrono::seconds(config_.deadline_seconds);
  if (!logout_when_ready) options.on_ready = [this] { on_concurrent_ready(); };
  options.on_done = [this, id] { on_done(id); };
  auto session = std::make_unique<LoadSession>(runtime_.network(), runtime_.timers(), options);
  LoadSession& ref = *session;
  sessions_.emplace(id, std::move(session));
  ++started_;
  ref.start();
  return ref;
}

void LoadDriver::on_concurrent_ready() {
  ++ready_;
  logout_all_when_settled();
}

// Once every session is either up or failed; a session that failed before the rest came up
// still lets the others log out.
void LoadDriver::logout_all_when_settled() {
  if (logging_out_ || ready_ + failed_ < target_) return;
  logging_out_ = true;
  std::printf("  %u sessions in the full feature phase at once (target VmRSS %ld kB)\n", ready_,
              config_.target_pid > 0 ? rss_kib(config_.target_pid) : -1L);
  for (auto& [id, session] : sessions_) session->logout();
}

// Sessions are destroyed from a timer, never inside their own callback.
void LoadDriver::on_done(std::uint64_t id) {
  LoadSession& session = *sessions_.at(id);
  ++finished_;
  if (!session.succeeded()) {
    ++failed_;
    if (first_error_.empty()) first_error_ = session.error().value_or("unknown");
  }
  if (session.tur_check_condition()) ++check_conditions_;
  if (!cycling_) logout_all_when_settled();
  runtime_.timers().schedule_after(runtime::Duration::zero(), [this, id] {
    sessions_.erase(id);
    if (!cycling_) {
      if (sessions_.empty() && finished_ == target_) phase_done_ = true;
      return;
    }
    if (sessions_.empty() && started_ == checkpoint_) return reached_checkpoint();
    start_more_cycles();
  });
}

void LoadDriver::start_more_cycles() {
  while (started_ < checkpoint_ && started_ - finished_ < config_.parallel) launch(true);
}

// Nothing in flight: give the target a moment to finish closing, then read its RSS.
void LoadDriver::reached_checkpoint() {
  runtime_.timers().schedule_after(std::chrono::milliseconds(300), [this] {
    const long rss = config_.target_pid > 0 ? rss_kib(config_.target_pid) : -1;
    std::printf("  after cycle %u: %u failed so far, target VmRSS %ld kB\n", checkpoint_, failed_,
                rss);
    if (checkpoint_ < target_) {
      rss_half_ = rss;
      checkpoint_ = target_;
      return start_more_cycles();
    }
    rss_full_ = rss;
    phase_done_ = true;
  });
}

bool LoadDriver::run_until_finished() {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(config_.deadline_seconds);
  while (!phase_done_ && std::chrono::steady_clock::now() < limit) {
    runtime_.run_for(std::chrono::milliseconds(100));
  }
  if (!phase_done_) {
    std::printf("  phase did not finish within %d s (%u of %u done)\n", config_.deadline_seconds,
                finished_, target_);
    // The sessions left stay until the driver goes (their callbacks still refer to them).
    return false;
  }
  return true;
}

bool LoadDriver::run_concurrent() {
  target_ = config_.sessions;
  ready_ = started_ = finished_ = failed_ = check_conditions_ = 0;
  cycling_ = false;
  logging_out_ = false;
  phase_done_ = target_ == 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < target_; ++i) launch(false);
  const bool finished = run_until_finished();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::printf("concurrent: %u sessions, %u failed, %u TUR check conditions, %.2f s%s%s\n",
              target_, failed_, check_conditions_, elapsed.count(),
              first_error_.empty() ? "" : "; first error: ", first_error_.c_str());
  return finished && failed_ == 0 && ready_ == target_;
}

bool LoadDriver::run_cycles() {
  target_ = config_.cycles;
  ready_ = started_ = finished_ = failed_ = check_conditions_ = 0;
  first_error_.clear();
  cycling_ = true;
  checkpoint_ = target_ / 2;
  phase_done_ = target_ == 0;
  const auto start = std::chrono::steady_clock::now();
  if (checkpoint_ == 0) checkpoint_ = target_;
  start_more_cycles();
  const bool finished = run_until_finished();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::printf("cycles: %u login/logout cycles (%u at a time), %u failed, %u TUR check conditions,"
              " %.2f s%s%s\n", target_, config_.parallel, failed_, check_conditions_, elapsed.count(),
              first_error_.empty() ? "" : "; first error: ", first_error_.c_str());
  bool rss_ok = true;
  if (finished && config_.target_pid > 0 && rss_half_ && rss_full_) {
    const long growth = *rss_full_ - *rss_half_;
    rss_ok = *rss_half_ >= 0 && *rss_full_ >= 0 && growth <= config_.rss_tolerance_kib;
    std::printf("rss: target VmRSS %ld kB after cycle %u, %ld kB after cycle %u: %+ld kB (%s %ld)\n",
                *rss_half_, target_ / 2, *rss_full_, target_, growth,
                config_.rss_report_only ? "not checked, limit" : rss_ok ? "within" : "OVER",
                config_.rss_tolerance_kib);
    rss_ok = rss_ok || config_.rss_report_only;
  }
  return finished && failed_ == 0 && rss_ok;
}

}  // namespace
}  // namespace iscsi::bench

int main(int argc, char** argv) {
  iscsi::bench::LoadConfig config;
  CLI::App app{"Load test initiator: concurrent sessions and login/logout cycles"};
  app.add_option("--portal", config.portal, "Target portal IPv4:PORT")->required();
  app.add_option("--target", config.target_name, "TargetName to log in to")->required();
  app.add_option("--initiator", config.initiator_name, "InitiatorName");
  app.add_option("--sessions", config.sessions, "Sessions logged in at once")
      ->check(CLI::Range(0, 1000));
  app.add_option("--cycles", config.cycles, "Login/logout cycles")->check(CLI::Range(0, 100000));
  app.add_option("--parallel", config.parallel, "Cycles in flight at a time")
      ->check(CLI::Range(1, 256));
  app.add_option("--lun", config.lun, "LUN for TEST UNIT READY")->check(CLI::Range(0, 255));
  app.add_flag("--tur,!--no-tur", config.test_unit_ready, "Skip the TEST UNIT READY");
  app.add_option("--target-pid", config.target_pid, "Target process whose VmRSS is checked");
  app.add_option("--rss-tolerance-kib", config.rss_tolerance_kib,
                 "Allowed VmRSS growth from cycle M/2 to cycle M");
  app.add_flag("--rss-report-only", config.rss_report_only,
               "Print the target's VmRSS readings without checking the growth");
  app.add_option("--deadline", config.deadline_seconds, "Seconds allowed per phase")
      ->check(CLI::Range(1, 3600));
  CLI11_PARSE(app, argc, argv);
  const auto portal = iscsi::bench::parse_portal(config.portal);
  if (!portal) {
    std::fprintf(stderr, "target_load_client: --portal %s: expected IPv4:PORT\n",
                 config.portal.c_str());
    return 2;
  }
  iscsi::bench::LoadDriver driver(config, *portal);
  const bool concurrent_ok = driver.run_concurrent();
  // After a failed concurrent phase, sessions may still be in flight: no second phase.
  const bool cycles_ok = concurrent_ok && driver.run_cycles();
  if (!concurrent_ok) std::printf("cycles: skipped after the failed concurrent phase\n");
  std::fflush(stdout);
  return concurrent_ok && cycles_ok ? 0 : 1;
}
