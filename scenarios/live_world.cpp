#include "scenarios/live_world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "core/runtime/address.hpp"
#include "initiator-impl/io/iscsi_url.hpp"
#include "initiator-impl/iscsiadm/home.hpp"
#include "scenarios/live_admin.hpp"
#include "scenarios/loader.hpp"

namespace iscsi::scenarios {
namespace {

// An initiator's Network: every connect without a source address of its own (iface.ipaddress)
// binds the initiator host's loopback address, so the target's ACL sees distinct initiators
// and the iface stays "default" in iscsiadm's output, as in the simulator.
class SourceBoundNetwork final : public runtime::Network {
 public:
  SourceBoundNetwork(runtime::Network& inner, std::uint32_t source)
      : inner_(inner), source_(source) {}
  Result<runtime::ListenerId> listen(runtime::Endpoint local,
                                     runtime::AcceptCallback on_accept) override {
    return inner_.listen(local, std::move(on_accept));
  }
  void stop_listening(runtime::ListenerId id) override { inner_.stop_listening(id); }
  void connect(const runtime::ConnectOptions& options,
               runtime::ConnectCallback on_done) override {
    runtime::ConnectOptions bound = options;
    if (bound.local_ipv4 == 0) bound.local_ipv4 = source_;
    inner_.connect(bound, std::move(on_done));
  }

 private:
  runtime::Network& inner_;
  std::uint32_t source_;
};

asio::AsioRuntimeOptions live_runtime_options() {
  asio::AsioRuntimeOptions options;
  options.block_io_threads = 1;  // the initiators use no BlockIo
  // A library run inside someone else's process leaves glibc's heap settings alone.
  options.heap_trim_threshold_bytes = 0;
  return options;
}

auto whole_seconds(runtime::Duration span) {
  return std::chrono::duration_cast<std::chrono::seconds>(span).count();
}

}  // namespace

Result<runtime::Endpoint> live_endpoint(const LiveTarget& target) {
  const auto address = runtime::parse_ipv4(target.host);
  if (!address) {
    return Violation{kScenarioInvalid,
                     fmt::format("live target host '{}' is not an IPv4 address", target.host)};
  }
  if (!is_loopback(*address)) {
    return Violation{kScenarioInvalid,
                     fmt::format("live target {} refused: iscsim sends traffic only to loopback "
                                 "addresses (127.0.0.0/8)",
                                 target.host)};
  }
  if (target.port == 0) return Violation{kScenarioInvalid, "live target port 0 is not a port"};
  return runtime::Endpoint{*address, target.port};
}

Result<LiveTarget> live_target_from_url(std::string_view url, std::string admin_command) {
  auto parsed = initiator::io::parse_iscsi_url(url);
  if (!parsed.ok()) return parsed.error();
  if (parsed->user || !parsed->target.empty() || parsed->lun) {
    return Violation{kScenarioInvalid,
                     fmt::format("--target {}: give iscsi://HOST[:PORT] only (the scenarios name "
                                 "their targets, LUNs and CHAP users)",
                                 url)};
  }
  LiveTarget target{.host = parsed->host,
                    .port = parsed->port,
                    .admin_command = std::move(admin_command)};
  auto endpoint = live_endpoint(target);
  if (!endpoint.ok()) return endpoint.error();
  return target;
}

Result<std::unique_ptr<LiveWorld>> LiveWorld::create(const Scenario& scenario,
                                                     const LiveTarget& target) {
  auto endpoint = live_endpoint(target);
  if (!endpoint.ok()) return endpoint.error();
  auto map = LiveAddressMap::make(scenario, *endpoint);
  if (!map.ok()) return map.error();
  return std::unique_ptr<LiveWorld>(new LiveWorld(scenario, target, std::move(map).value()));
}

LiveWorld::LiveWorld(const Scenario& scenario, const LiveTarget& target, LiveAddressMap map)
    : scenario_(scenario),
      target_(target),
      map_(std::move(map)),
      runtime_(live_runtime_options()),
      clock_(&runtime_.clock()) {
  for (const InitiatorSpec& spec : scenario_.initiators) {
    InitiatorNode& node = initiators_.emplace_back();
    node.spec = &spec;
    const HostSpec* host = scenario_.host(spec.host);
    const std::uint32_t source = host == nullptr ? 0 : map_.source_of(*host);
    auto& network =
        networks_.emplace_back(std::make_unique<SourceBoundNetwork>(runtime_.network(), source));
    (void)node.files.write(initiator::iscsiadm::kInitiatorNameFile,
                           fmt::format("InitiatorName={}\n", spec.initiatorname));
    node.iscsi = std::make_unique<initiator::host::InitiatorHost>(
        initiator::client::ClientRuntime{network.get(), &runtime_.timers(), clock_,
                                         &runtime_.rng(), &initiator_trace_},
        node.files);
  }
}

LiveWorld::~LiveWorld() {
  teardown();
  runtime_.set_transport_trace({});
}

void LiveWorld::teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  for (InitiatorNode& node : initiators_) node.iscsi.reset();
  // The connections close; the loop runs until it has nothing left to do, within the bound.
  const runtime::TimePoint deadline = now() + kLiveTeardownLimit;
  while (now() < deadline && runtime_.run_for(kLivePollSlice) > 0) {
  }
}

std::string LiveWorld::start_capture() {
  auto opened = pcap::PcapRecorder::open_memory(runtime_.clock());
  if (!opened.ok()) return "the capture could not be opened: " + opened.error().to_string();
  recorder_ = std::move(opened).value();
  // Only the initiators' side lives in this process: the connects are traced, no accepts.
  runtime_.set_transport_trace(asio::TransportTraceOptions{
      .trace = recorder_.get(), .trace_connected = true, .trace_accepted = false});
  return {};
}

Result<Bytes> LiveWorld::finish_capture() {
  if (recorder_ == nullptr) return Bytes{};
  runtime_.set_transport_trace({});
  return recorder_->finish();
}

std::string LiveWorld::mapped_line(const CommandLine& line) const {
  // Words are separated by blanks in a tgtadm line as typed; the blanks stay as they were.
  std::string text;
  std::size_t pos = 0;
  const std::string& typed = line.text;
  while (pos < typed.size()) {
    const std::size_t blank = typed.find_first_of(" \t", pos);
    const std::size_t end = blank == std::string::npos ? typed.size() : blank;
    text += map_.map_word(std::string_view(typed).substr(pos, end - pos));
    if (end < typed.size()) text.push_back(typed[end]);
    pos = end + 1;
  }
  return text;
}

std::string LiveWorld::setup() {
  const std::vector<CommandLine>& lines = scenario_.target.tgtadm;
  if (!lines.empty() && target_.admin_command.empty()) {
    notes_.push_back(fmt::format(
        "the target block's {} tgtadm line(s) were not run: no admin command (--target-admin)",
        lines.size()));
  } else if (!lines.empty()) {
    std::string input;
    for (const CommandLine& line : lines) input += mapped_line(line) + "\n";
    const AdminReply reply = run_admin_command(target_.admin_command, input, kLiveAdminLimit);
    if (reply.exit_code != 0) {
      return fmt::format("{}: the admin command failed on the target block's tgtadm lines "
                         "(exit {}{}): {}{}",
                         scenario_position(scenario_, scenario_.target.at), reply.exit_code,
                         reply.timed_out ? ", stopped at its time limit" : "",
                         map_.unmap_text(reply.out), map_.unmap_text(reply.err));
    }
  }
  for (InitiatorNode& node : initiators_) {
    std::string error =
        prepare_initiator(node, scenario_position(scenario_, node.spec->at), kLiveRunStepLimit);
    if (!error.empty()) return error;
  }
  return {};
}

runtime::TimePoint LiveWorld::now() const {
  return clock_->now();
}

runtime::Duration LiveWorld::bound(StepBound kind) const {
  switch (kind) {
    case StepBound::run:
      return kLiveRunStepLimit;
    case StepBound::io:
      return kLiveIoStepLimit;
    case StepBound::logout:
      return kLiveLogoutStepLimit;
    case StepBound::raw_pdu_reaction:
      return kLiveRawPduReactionLimit;
  }
  return kLiveRunStepLimit;
}

std::string LiveWorld::run_until(const std::function<bool()>& done, runtime::Duration limit) {
  const runtime::TimePoint deadline = now() + limit;
  while (!done()) {
    const runtime::TimePoint at = now();
    if (at >= deadline) {
      return fmt::format("did not finish within {}s of wall-clock time", whole_seconds(limit));
    }
    // With nothing to run the loop returns at once: wait a slice instead of spinning.
    if (runtime_.run_for(std::min(kLivePollSlice, deadline - at)) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return {};
}

std::string LiveWorld::run_for(runtime::Duration span) {
  const runtime::TimePoint deadline = now() + span;
  (void)run_until([this, deadline] { return now() >= deadline; }, span + kLivePollSlice);
  return {};
}

ActionOutcome LiveWorld::tgtadm(const CommandLine& line) {
  if (target_.admin_command.empty()) {
    return ActionOutcome{.skipped = "tgtadm line not run: no admin command (--target-admin)"};
  }
  const AdminReply reply =
      run_admin_command(target_.admin_command, mapped_line(line) + "\n", kLiveAdminLimit);
  ActionOutcome outcome{.exit_code = reply.exit_code,
                        .out = map_.unmap_text(reply.out),
                        .err = map_.unmap_text(reply.err)};
  if (reply.timed_out) {
    outcome.error = fmt::format("the admin command did not finish within {}s",
                                whole_seconds(kLiveAdminLimit));
  }
  return outcome;
}

ActionOutcome LiveWorld::fault(const FaultStep& fault) {
  return ActionOutcome{.skipped = fmt::format("fault {} not run: faults need the simulator",
                                              to_string(fault.kind))};
}

void LiveWorld::map_report(initiator::iscsiadm::Report& report) const {
  report.out = map_.unmap_text(report.out);
  report.err = map_.unmap_text(report.err);
}

}  // namespace iscsi::scenarios
