#include "tests/target-impl/server/sim_target.hpp"

#include <fmt/format.h>

#include <sstream>
#include <stdexcept>

#include "sim/block_io.hpp"
#include "target-impl/server/server_violations.hpp"

namespace iscsi::target::server::testing {
namespace {

// A simulated disk file: sparse memory with a storage latency, so completions arrive later
// than the command, as from core/asio's thread pool.
constexpr sim::BlockIoLatency kFileLatency{.read = std::chrono::microseconds(80),
                                           .write = std::chrono::microseconds(120),
                                           .flush = std::chrono::microseconds(500),
                                           .unmap = std::chrono::microseconds(60)};

}  // namespace

SimTarget::SimTarget(SimTargetOptions options)
    : simulator_({.seed = options.seed, .event_limit = 20'000'000}),
      fabric_(simulator_, {.send_buffer_limit = options.send_buffer_limit}),
      target_host_(fabric_.add_host("target", kTargetIpv4)),
      initiator_host_(fabric_.add_host("initiator", kInitiatorIpv4)),
      other_host_(fabric_.add_host("initiator2", kOtherInitiatorIpv4)),
      rng_(options.seed),
      files_(std::move(options.files)),
      backing_(simulator_, [this](const std::string& path)
                               -> Result<std::unique_ptr<runtime::BlockIo>> {
        auto it = files_.find(path);
        if (it == files_.end()) {
          return Violation{violations::kBackingStore, fmt::format("{}: no such file", path)};
        }
        return std::unique_ptr<runtime::BlockIo>(
            std::make_unique<sim::SparseBlockIo>(simulator_, it->second, kFileLatency));
      }) {
  const sim::LinkParams link{.latency = std::chrono::microseconds(50),
                             .jitter = std::chrono::microseconds(10),
                             .bandwidth_bps = 10'000'000'000};
  fabric_.set_link(initiator_host_, target_host_, link);
  fabric_.set_link(other_host_, target_host_, link);
  TargetServerOptions server_options;
  server_options.profile = options.profile;
  server_options.portals = {kPortal};
  server_ = std::make_unique<TargetServer>(
      ServerRuntime{&simulator_, &simulator_, &target_host_, &rng_,
                    options.with_trace ? &trace_ : nullptr, &backing_},
      server_options);
  tgtadm_ = std::make_unique<TgtadmService>(*server_);
  auto started = server_->start();
  if (!started.ok()) throw std::runtime_error(started.error().to_string());
}

SimTarget::~SimTarget() {
  // Connections first, while the fabric and the simulator still exist.
  tgtadm_.reset();
  server_.reset();
}

config::Reply SimTarget::tgtadm(std::string_view line) {
  std::vector<std::string> args;
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) args.push_back(word);
  return tgtadm_->run(args);
}

std::unique_ptr<RawInitiator> SimTarget::initiator(bool other) {
  return std::make_unique<RawInitiator>(simulator_, other ? other_host_ : initiator_host_);
}

std::vector<std::string> SimTarget::violation_ids() const {
  std::vector<std::string> ids;
  for (const Violation& violation : trace_.violations) ids.emplace_back(violation.id());
  return ids;
}

}  // namespace iscsi::target::server::testing
