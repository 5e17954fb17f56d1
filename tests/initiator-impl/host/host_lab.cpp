#include "tests/initiator-impl/host/host_lab.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "target-impl/server/server_violations.hpp"

namespace iscsi::initiator::host::testing {
namespace {

using target::server::ServerRuntime;
using target::server::TargetServer;
using target::server::TargetServerOptions;

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

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> args;
  std::istringstream words{std::string(line)};
  for (std::string word; words >> word;) args.push_back(word);
  return args;
}

void configure_targets(HostLab& lab) {
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk));
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M");
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 2 -T {}", kPrivate));
  lab.configure("--lld iscsi --op bind --mode target --tid 2 -I 10.9.9.9");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 3 -T {}", kChap));
  lab.configure("--lld iscsi --op bind --mode target --tid 3 -I ALL");
  lab.configure("--lld iscsi --op new --mode account --user labuser --password labsecret123");
  lab.configure("--lld iscsi --op bind --mode account --tid 3 --user labuser");
  lab.configure("--lld iscsi --op new --mode account --user tgtuser --password tgtsecret456");
  lab.configure("--lld iscsi --op bind --mode account --tid 3 --user tgtuser --outgoing");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 4 -T {}", kAcl));
  lab.configure("--lld iscsi --op bind --mode target --tid 4 -I 10.0.0.4");
}

std::string bracket(std::string_view target, std::string_view iface, std::string_view portal) {
  return fmt::format("[iface: {}, target: {}, portal: {}]", iface, target, portal);
}

HostLab::HostLab(HostLabOptions options)
    : simulator_({.seed = options.seed, .event_limit = 50'000'000}),
      fabric_(simulator_, sim::FabricConfig{}),
      target_host_(fabric_.add_host("target", kTargetIpv4)),
      second_target_host_(fabric_.add_host("target2", kSecondTargetIpv4)),
      initiator_host_(fabric_.add_host("initiator", kInitiatorIpv4)),
      target_rng_(options.seed),
      host_rng_(options.seed + 1),
      backing_(simulator_,
               [](const std::string& path) -> Result<std::unique_ptr<runtime::BlockIo>> {
                 return Violation{target::server::violations::kBackingStore,
                                  path + ": no files in this lab"};
               }) {
  initiator_host_.add_address(kSecondInitiatorIpv4);
  fabric_.set_trace(&transport_);
  const sim::LinkParams link{.latency = std::chrono::microseconds(50),
                             .jitter = std::chrono::microseconds(10),
                             .bandwidth_bps = 10'000'000'000};
  fabric_.set_link(initiator_host_, target_host_, link);
  fabric_.set_link(initiator_host_, second_target_host_, link);
  server_ = start_server(ServerRuntime{&simulator_, &simulator_, &target_host_, &target_rng_,
                                       &target_trace_, &backing_},
                         {kTargetIpv4, 3260}, options.profile);
  second_server_ = start_server(ServerRuntime{&simulator_, &simulator_, &second_target_host_,
                                              &target_rng_, &target_trace_, &backing_},
                                {kSecondTargetIpv4, 3260}, options.profile);
  tgtadm_ = std::make_unique<target::server::TgtadmService>(*server_);
  second_tgtadm_ = std::make_unique<target::server::TgtadmService>(*second_server_);
  (void)files_.write("initiatorname.iscsi", fmt::format("InitiatorName={}\n", kHostName));
  host_ = std::make_unique<InitiatorHost>(
      client::ClientRuntime{&initiator_host_, &simulator_, &simulator_, &host_rng_, &host_trace_},
      files_, HostSettings{.login_retry_delay = options.login_retry_delay});
}

HostLab::~HostLab() {
  // The host's sessions go first, then closing connections finish while the fabric exists.
  host_.reset();
  (void)simulator_.run_for(std::chrono::seconds(10));
  tgtadm_.reset();
  second_tgtadm_.reset();
  server_.reset();
  second_server_.reset();
}

target::config::Reply HostLab::tgtadm(std::string_view line, bool second) {
  return (second ? second_tgtadm_ : tgtadm_)->run(split_words(line));
}

void HostLab::configure(std::string_view line, bool second) {
  const target::config::Reply reply = tgtadm(line, second);
  if (reply.exit_code != 0) {
    ADD_FAILURE() << line << ": " << reply.err;
    throw std::runtime_error("tgtadm refused a line");
  }
}

bool HostLab::run_until(const std::function<bool()>& done) {
  auto ran = simulator_.run_until(done);
  if (!ran.ok()) {
    ADD_FAILURE() << ran.error().to_string();
    return false;
  }
  return done();
}

iscsiadm::Report HostLab::iscsiadm(std::string_view line) {
  return iscsiadm_all({std::string(line)}).front();
}

std::vector<iscsiadm::Report> HostLab::iscsiadm_all(const std::vector<std::string>& lines) {
  std::vector<std::optional<iscsiadm::Report>> reports(lines.size());
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    host_->iscsiadm(split_words(lines[i]), [&reports, &order, i](iscsiadm::Report report) {
      reports[i] = std::move(report);
      order.push_back(i);
    });
  }
  if (!run_until([&] { return order.size() == lines.size(); })) {
    throw std::runtime_error("an iscsiadm command did not finish");
  }
  std::vector<iscsiadm::Report> done;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(order[i], i) << "commands finished out of order";
    done.push_back(std::move(*reports[i]));
  }
  return done;
}

void expect_report(const iscsiadm::Report& report, int exit_code, std::string_view out,
                   std::string_view err) {
  EXPECT_EQ(report.exit_code, exit_code);
  EXPECT_EQ(report.out, out);
  EXPECT_EQ(report.err, err);
}

}  // namespace iscsi::initiator::host::testing
