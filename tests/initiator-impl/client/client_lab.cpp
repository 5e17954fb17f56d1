#include "tests/initiator-impl/client/client_lab.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "target-impl/server/server_violations.hpp"

namespace iscsi::initiator::client::testing {
namespace {

using target::server::ServerRuntime;
using target::server::TargetServer;
using target::server::TargetServerOptions;

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> args;
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) args.push_back(word);
  return args;
}

std::unique_ptr<TargetServer> start_server(ServerRuntime runtime, runtime::Endpoint portal,
                                           target::config::Profile profile) {
  TargetServerOptions options;
  options.profile = profile;
  options.portals = {portal};
  auto server = std::make_unique<TargetServer>(runtime, options);
  auto started = server->start();
  if (!started.ok()) throw std::runtime_error(started.error().to_string());
  return server;
}

}  // namespace

ClientLab::ClientLab(LabOptions options)
    : simulator_({.seed = options.seed, .event_limit = 50'000'000}),
      fabric_(simulator_, sim::FabricConfig{.send_buffer_limit = options.send_buffer_limit}),
      target_host_(fabric_.add_host("target", kTargetIpv4)),
      second_target_host_(fabric_.add_host("target2", kSecondTargetIpv4)),
      initiator_host_(fabric_.add_host("initiator", kInitiatorIpv4)),
      target_rng_(options.seed),
      client_rng_(options.seed + 1),
      backing_(simulator_,
               [](const std::string& path) -> Result<std::unique_ptr<runtime::BlockIo>> {
                 return Violation{target::server::violations::kBackingStore,
                                  path + ": no files in this lab"};
               }),
      client_network_(initiator_host_),
      client_(
          ClientRuntime{&client_network_, &simulator_, &simulator_, &client_rng_, &client_trace_}) {
  initiator_host_.add_address(kSecondInitiatorIpv4);
  const sim::LinkParams link{.latency = std::chrono::microseconds(50),
                             .jitter = std::chrono::microseconds(10),
                             .bandwidth_bps = 10'000'000'000};
  fabric_.set_link(initiator_host_, target_host_, link);
  fabric_.set_link(initiator_host_, second_target_host_, link);
  server_ = start_server(ServerRuntime{&simulator_, &simulator_, &target_host_, &target_rng_,
                                       &target_trace_, &backing_},
                         kPortal, options.profile);
  second_server_ = start_server(ServerRuntime{&simulator_, &simulator_, &second_target_host_,
                                              &target_rng_, &target_trace_, &backing_},
                                kSecondPortal, options.profile);
  tgtadm_ = std::make_unique<target::server::TgtadmService>(*server_);
  second_tgtadm_ = std::make_unique<target::server::TgtadmService>(*second_server_);
}

ClientLab::~ClientLab() {
  // Let closing connections finish while the fabric still exists, then the targets.
  (void)simulator_.run_for(std::chrono::seconds(10));
  tgtadm_.reset();
  second_tgtadm_.reset();
  server_.reset();
  second_server_.reset();
}

target::config::Reply ClientLab::tgtadm(std::string_view line, bool second) {
  return (second ? second_tgtadm_ : tgtadm_)->run(split(line));
}

void ClientLab::configure(std::string_view line, bool second) {
  const target::config::Reply reply = tgtadm(line, second);
  if (reply.exit_code != 0) {
    ADD_FAILURE() << line << ": " << reply.err;
    throw std::runtime_error("tgtadm refused a line");
  }
}

LoginRequest ClientLab::request(std::string_view target_name, runtime::Endpoint portal) const {
  LoginRequest request;
  request.portal = portal;
  request.setup.initiator_name = std::string(kInitiatorName);
  request.setup.target_name = std::string(target_name);
  request.recovery.retry_delay = std::chrono::milliseconds(500);
  return request;
}

bool ClientLab::run_until(const std::function<bool()>& done) {
  auto ran = simulator_.run_until(done);
  if (!ran.ok()) {
    ADD_FAILURE() << ran.error().to_string();
    return false;
  }
  return done();
}

LoginOutcome ClientLab::login(LoginRequest request) {
  std::optional<LoginOutcome> outcome;
  client_.login(std::move(request), [&outcome](LoginOutcome done) { outcome = std::move(done); });
  if (!run_until([&] { return outcome.has_value(); })) throw std::runtime_error("no outcome");
  return std::move(*outcome);
}

DiscoveryOutcome ClientLab::discover(LoginRequest request) {
  std::optional<DiscoveryOutcome> outcome;
  client_.discover(std::move(request),
                   [&outcome](DiscoveryOutcome done) { outcome = std::move(done); });
  if (!run_until([&] { return outcome.has_value(); })) throw std::runtime_error("no outcome");
  return std::move(*outcome);
}

session::CommandCompleted ClientLab::command(Session& session, session::ScsiRequest request) {
  std::optional<session::CommandCompleted> completed;
  session.submit(std::move(request),
                 [&completed](const session::CommandCompleted& done) { completed = done; });
  if (!run_until([&] { return completed.has_value(); })) throw std::runtime_error("no answer");
  return std::move(*completed);
}

session::LogoutCompleted ClientLab::logout(Session& session) {
  std::optional<session::LogoutCompleted> completed;
  session.logout([&completed](const session::LogoutCompleted& done) { completed = done; });
  if (!run_until([&] { return completed.has_value(); })) throw std::runtime_error("no answer");
  return std::move(*completed);
}

}  // namespace iscsi::initiator::client::testing
