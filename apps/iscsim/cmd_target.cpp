// `iscsim target`: the reference target on real sockets (Boost.Asio through core/asio), in the
// foreground until SIGINT or SIGTERM (or `tgtadm --mode system --op delete`), then a clean
// shutdown: listeners closed, every connection reset, the control socket removed.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "apps/iscsim/commands.hpp"
#include "apps/iscsim/signal_watch.hpp"
#include "core/asio/control_channel.hpp"
#include "core/asio/runtime.hpp"
#include "core/runtime/address.hpp"
#include "target-impl/config/acl.hpp"
#include "target-impl/config/config_file.hpp"
#include "target-impl/config/yaml/config_yaml.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"

namespace iscsim {
namespace {

namespace server = iscsi::target::server;
namespace config = iscsi::target::config;

struct TargetOptions {
  std::vector<std::string> portals;
  std::uint32_t control_port = iscsi::asio::kDefaultControlPort;
  std::string config_file;
  std::string profile = "rfc";
};

// "IP:PORT" with a dotted IPv4 address; port 0 lets the system choose (printed at start).
std::optional<iscsi::runtime::Endpoint> parse_portal(const std::string& text) {
  if (text.find(':') == std::string::npos) return std::nullopt;
  return iscsi::runtime::parse_endpoint(text, 0);
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(),
                                                       suffix) == 0;
}

// Applies --config: tgtadm lines, or the YAML form for *.yaml / *.yml.
bool load_config_file(server::TgtadmService& tgtadm, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "iscsim target: cannot read %s\n", path.c_str());
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  server::TgtadmService::Loader loader = config::load_tgtadm_lines;
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) loader = config::yaml::load_yaml;
  auto loaded = tgtadm.load(text.str(), path, loader);
  if (!loaded.ok()) {
    std::fprintf(stderr, "iscsim target: %s\n", loaded.error().detail.c_str());
    return false;
  }
  std::fputs(loaded.value().c_str(), stdout);
  return true;
}


int serve(const TargetOptions& options, const std::vector<iscsi::runtime::Endpoint>& portals,
          config::Profile profile) {
  SignalWatch signals;  // before any thread exists, so every thread inherits the mask
  // The stores' completions come back through the loop: let them answer before more is read.
  iscsi::asio::AsioRuntimeOptions runtime_options;
  runtime_options.yield_after_short_read = true;
  // Data-In leaves in sends of up to a MiB, one gathered send's most (docs/target.md: a third
  // less CPU per 64 KiB read than with sends of 128 KiB).
  runtime_options.send_buffer_limit = 1024 * 1024;
  iscsi::asio::AsioRuntime runtime(runtime_options);
  server::StandardBackingStores backing(runtime.timers(), [&runtime](const std::string& path) {
    return runtime.open_block_io(path);
  });
  server::TargetServerOptions server_options;
  server_options.profile = profile;
  server_options.portals = portals;
  server_options.listening_endpoint = [&runtime](iscsi::runtime::ListenerId id) {
    return runtime.listening_endpoint(id);
  };
  server::TargetServer target({&runtime.clock(), &runtime.timers(), &runtime.network(),
                               &runtime.rng(), nullptr, &backing},
                              server_options);
  server::TgtadmService tgtadm(target);
  if (!options.config_file.empty() && !load_config_file(tgtadm, options.config_file)) return 1;
  auto control = iscsi::asio::ControlServer::start(options.control_port,
                                                   [&runtime] { runtime.stop(); });
  if (!control.ok()) {
    std::fprintf(stderr, "iscsim target: %s\n", control.error().detail.c_str());
    return 1;
  }
  if (auto started = target.start(); !started.ok()) {
    std::fprintf(stderr, "iscsim target: %s\n", started.error().to_string().c_str());
    return 1;
  }
  for (const auto& portal : target.portals()) {
    std::printf("iscsim target: listening on %s\n", portal.to_string().c_str());
  }
  std::printf("iscsim target: control port %u (abstract socket @iscsim-tgtd.%u), profile %s\n",
              options.control_port, options.control_port, options.profile.c_str());
  std::fflush(stdout);
  signals.start(runtime);
  const auto answer = [&tgtadm](const iscsi::asio::ControlRequest& request) {
    const config::Reply reply = tgtadm.run(request.args);
    return iscsi::asio::ControlReply{reply.exit_code, reply.out, reply.err};
  };
  while (signals.caught() == 0 && !tgtadm.shutdown_requested()) {
    runtime.run_for(std::chrono::seconds(1));
    control.value()->serve_pending(answer);
  }
  std::printf("iscsim target: shutting down (%s)\n",
              signals.caught() != 0 ? "signal" : "tgtadm --mode system --op delete");
  std::fflush(stdout);
  signals.finish();
  control.value().reset();
  target.stop();
  // Let the resets and the last replies go out before the sockets close.
  runtime.run_for(std::chrono::milliseconds(100));
  return 0;
}

int run_target(const TargetOptions& options) {
  std::vector<iscsi::runtime::Endpoint> portals;
  for (const std::string& text : options.portals) {
    auto portal = parse_portal(text);
    if (!portal) {
      std::fprintf(stderr, "iscsim target: --portal %s: expected IPv4:PORT, e.g. 127.0.0.1:3260\n",
                   text.c_str());
      return 2;
    }
    portals.push_back(*portal);
  }
  const auto profile = config::parse_profile(options.profile);
  if (!profile) {
    std::fprintf(stderr, "iscsim target: --profile %s: expected rfc or tgt\n",
                 options.profile.c_str());
    return 2;
  }
  return serve(options, portals, *profile);
}

}  // namespace

void register_target_command(CLI::App& app) {
  auto options = std::make_shared<TargetOptions>();
  auto* cmd = app.add_subcommand(
      "target",
      "Serve the reference iSCSI target on real sockets, in the foreground until SIGINT or "
      "SIGTERM (or, once its targets are deleted, `iscsim tgtadm --mode system --op delete`, as "
      "with tgtd). Configure it with --config or at run time with `iscsim tgtadm -C N ...`, as "
      "tgtd with tgtadm. Example:\n"
      "  iscsim target --portal 127.0.0.1:3260 -C 1 &\n"
      "  iscsim tgtadm -C 1 --lld iscsi --op new --mode target --tid 1 -T iqn.2026-01.test:t1\n"
      "  iscsim tgtadm -C 1 --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 "
      "--bstype ram -b 64M\n"
      "  iscsim tgtadm -C 1 --lld iscsi --op bind --mode target --tid 1 -I ALL");
  cmd->add_option("--portal", options->portals,
                  "IPv4:PORT to listen on (repeatable; port 0 picks a free port, printed at "
                  "start)")
      ->required();
  cmd->add_option("-C,--control-port", options->control_port,
                  "Control port number: `iscsim tgtadm -C N` reaches this target through the "
                  "abstract Unix socket @iscsim-tgtd.N (0-32767, as tgtadm's -C)")
      ->capture_default_str()
      ->check(CLI::Range(0, 32767));
  cmd->add_option("--config", options->config_file,
                  "Configuration applied at start: a file of tgtadm command lines, or the YAML "
                  "form (*.yaml, *.yml; docs/target-config.md)");
  cmd->add_option("--profile", options->profile,
                  "rfc (RFC 7143 as written, default) or tgt (tgt 1.0.85's documented "
                  "behaviour: ACL denial 0x0203, SHA-1 as CHAP_A 7, ...)")
      ->capture_default_str();
  cmd->callback([options] { set_exit_code(run_target(*options)); });
}

}  // namespace iscsim
