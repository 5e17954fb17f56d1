#include "scenarios/sim_world.hpp"

#include <fmt/format.h>

#include "initiator-impl/iscsiadm/home.hpp"
#include "scenarios/file_commands.hpp"
#include "target-impl/server/server_violations.hpp"

namespace iscsi::scenarios {
namespace {

// Bounds the events one scenario may run, so a retry loop without delay ends with an error.
constexpr std::uint64_t kWorldEventLimit = 200'000'000;

sim::LinkParams link_params(const LinkSpec& spec) {
  return sim::LinkParams{.latency = spec.latency,
                         .jitter = spec.jitter,
                         .bandwidth_bps = spec.bandwidth_bps,
                         .mss = spec.segment_bytes,
                         .min_segment = spec.min_segment_bytes};
}

target::config::Profile target_profile(Profile profile) {
  switch (profile) {
    case Profile::rfc:
      return target::config::Profile::rfc;
    case Profile::tgt:
      return target::config::Profile::tgt;
  }
  return target::config::Profile::rfc;
}

}  // namespace

SimWorld::SimWorld(const Scenario& scenario, std::uint64_t seed, Profile profile)
    : scenario_(scenario),
      simulator_({.seed = seed, .event_limit = kWorldEventLimit}),
      fabric_(simulator_,
              sim::FabricConfig{.default_link = scenario.default_link
                                                    ? link_params(*scenario.default_link)
                                                    : sim::LinkParams{}}) {
  // PDU faults (corrupt, reset at a PDU) count PDUs by their lengths: from the full feature
  // phase on they must know the digests the login negotiated.
  initiator_trace_.set_full_feature_callback(
      [this](const runtime::ConnectionKey& key, NegotiatedDigests digests) {
        for (runtime::Side side : {runtime::Side::client, runtime::Side::server}) {
          (void)fabric_.set_pdu_digests(key, side, digests.header, digests.data);
        }
      });
  build_hosts();
  build_links();
  build_target(seed, profile);
  build_initiators(seed);
}

SimWorld::~SimWorld() {
  teardown();
  fabric_.set_trace(nullptr);
  tgtadm_.reset();
  server_.reset();
}

void SimWorld::teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  // Sessions go first; their connections finish closing while the fabric and target exist.
  for (InitiatorNode& node : initiators_) node.iscsi.reset();
  (void)simulator_.run_for(kTeardownLimit);
}

std::string SimWorld::start_capture() {
  auto opened = pcap::PcapRecorder::open_memory(simulator_);
  if (!opened.ok()) return "the capture could not be opened: " + opened.error().to_string();
  recorder_ = std::move(opened).value();
  fabric_.set_trace(recorder_.get());
  return {};
}

Result<Bytes> SimWorld::finish_capture() {
  if (recorder_ == nullptr) return Bytes{};
  fabric_.set_trace(nullptr);
  return recorder_->finish();
}

void SimWorld::build_hosts() {
  for (const HostSpec& spec : scenario_.hosts) {
    sim::Host& host = fabric_.add_host(spec.name, spec.ipv4.front());
    for (std::size_t i = 1; i < spec.ipv4.size(); ++i) host.add_address(spec.ipv4[i]);
    hosts_.emplace_back(spec.name, &host);
  }
}

void SimWorld::build_links() {
  for (const LinkSpec& spec : scenario_.links) {
    if (spec.between.size() != 2) continue;
    sim::Host* a = host(spec.between[0]);
    sim::Host* b = host(spec.between[1]);
    if (a != nullptr && b != nullptr) fabric_.set_link(*a, *b, link_params(spec));
  }
}

void SimWorld::build_target(std::uint64_t seed, Profile profile) {
  target_rng_ = std::make_unique<runtime::SeededRng>(seed);
  // A file path named by a tgtadm line is a sparse RAM LUN of the size `lun_sizes` or an
  // earlier truncate/dd line gives.
  file_sizes_ = scenario_.target.lun_sizes;
  backing_ = std::make_unique<target::server::StandardBackingStores>(
      simulator_, [this](const std::string& path) -> Result<std::unique_ptr<runtime::BlockIo>> {
        auto size = file_sizes_.find(path);
        if (size == file_sizes_.end()) {
          return Violation{target::server::violations::kBackingStore,
                           path +
                               ": no size for this path (give it in the scenario's "
                               "lun_sizes, or make the file first with truncate or dd)"};
        }
        if (size->second == 0 || size->second % 512 != 0) {
          return Violation{
              target::server::violations::kBackingStore,
              fmt::format("{}: {} bytes is not a non-zero multiple of 512", path, size->second)};
        }
        return backing_->make_ram(size->second);
      });
  portals_ = scenario_.target.portals;
  if (portals_.empty()) {
    const HostSpec* spec = scenario_.host(scenario_.target.host);
    if (spec != nullptr) portals_.push_back({spec->ipv4.front(), 3260});
  }
  target::server::TargetServerOptions options;
  options.profile = target_profile(profile);
  options.portals = portals_;
  server_ = std::make_unique<target::server::TargetServer>(
      target::server::ServerRuntime{&simulator_, &simulator_, host(scenario_.target.host),
                                    target_rng_.get(), &target_trace_, backing_.get()},
      options);
  tgtadm_ = std::make_unique<target::server::TgtadmService>(*server_);
}

void SimWorld::build_initiators(std::uint64_t seed) {
  std::uint64_t n = 0;
  for (const InitiatorSpec& spec : scenario_.initiators) {
    InitiatorNode& node = initiators_.emplace_back();
    node.spec = &spec;
    node.rng = std::make_unique<runtime::SeededRng>(seed + 1 + n++);
    (void)node.files.write(initiator::iscsiadm::kInitiatorNameFile,
                           fmt::format("InitiatorName={}\n", spec.initiatorname));
    node.iscsi = std::make_unique<initiator::host::InitiatorHost>(
        initiator::client::ClientRuntime{host(spec.host), &simulator_, &simulator_, node.rng.get(),
                                         &initiator_trace_},
        node.files,
        // Short waits between login retries keep virtual time small, as the host tests do.
        initiator::host::HostSettings{.login_retry_delay = std::chrono::milliseconds(200)});
  }
}

sim::Host* SimWorld::host(std::string_view name) {
  for (auto& [host_name, host] : hosts_) {
    if (host_name == name) return host;
  }
  return nullptr;
}

std::string SimWorld::setup() {
  if (host(scenario_.target.host) == nullptr) return "the target's host is not declared";
  auto started = server_->start();
  if (!started.ok()) return "the target did not start: " + started.error().to_string();
  for (const CommandLine& line : scenario_.target.tgtadm) {
    const ActionOutcome reply = run_target_line(line);
    if (reply.exit_code != 0) {
      return fmt::format("{}: {} line refused (exit {}): {}", scenario_position(scenario_, line.at),
                         line.words[0], reply.exit_code, reply.err);
    }
  }
  for (InitiatorNode& node : initiators_) {
    std::string error =
        prepare_initiator(node, scenario_position(scenario_, node.spec->at), kRunStepLimit);
    if (!error.empty()) return error;
  }
  started_ = simulator_.now();
  return {};
}

std::string SimWorld::run_until(const std::function<bool()>& done, runtime::Duration limit) {
  const runtime::TimePoint deadline = simulator_.now() + limit;
  bool expired = false;
  const runtime::TimerId timer = simulator_.schedule_at(deadline, [&expired] { expired = true; });
  auto ran = simulator_.run_until([&] { return expired || done(); });
  simulator_.cancel(timer);
  if (!ran.ok()) return "the simulator stopped: " + ran.error().to_string();
  if (done()) return {};
  return fmt::format("did not finish within {}s of virtual time",
                     std::chrono::duration_cast<std::chrono::seconds>(limit).count());
}

std::string SimWorld::run_for(runtime::Duration span) {
  auto ran = simulator_.run_for(span);
  if (!ran.ok()) return "the simulator stopped: " + ran.error().to_string();
  return {};
}

runtime::Duration SimWorld::bound(StepBound kind) const {
  switch (kind) {
    case StepBound::run:
      return kRunStepLimit;
    case StepBound::io:
      return kIoStepLimit;
    case StepBound::logout:
      return kLogoutStepLimit;
    case StepBound::raw_pdu_reaction:
      return kRawPduReactionLimit;
  }
  return kRunStepLimit;
}

ActionOutcome SimWorld::tgtadm(const CommandLine& line) { return run_target_line(line); }

ActionOutcome SimWorld::run_target_line(const CommandLine& line) {
  if (is_file_command(line.words[0])) {
    // The loader checked the line; in the simulator the file is only its size.
    FileCommandParse parsed = parse_file_command(line.words);
    if (!parsed.command) return ActionOutcome{.exit_code = 1, .err = parsed.error + "\n"};
    file_sizes_[parsed.command->path] = parsed.command->bytes;
    return ActionOutcome{};
  }
  const auto reply = tgtadm_->run(arguments_of(line));
  return ActionOutcome{.exit_code = reply.exit_code, .out = reply.out, .err = reply.err};
}

ActionOutcome SimWorld::fault(const FaultStep& fault) {
  return ActionOutcome{.error = arm_fault(*this, fault)};
}

}  // namespace iscsi::scenarios
