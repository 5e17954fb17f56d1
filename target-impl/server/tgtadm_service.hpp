#pragma once
// The running target's side of tgtadm: executes tgtadm command lines (and configuration files
// of them, or their YAML form) against the server's live configuration with target-impl/config,
// and applies the outcome through TargetServer::configure(). It is the ExecutionHost the
// executor asks about files, sessions and portals.
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "target-impl/config/config_file.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "target-impl/server/target_server.hpp"

namespace iscsi::target::server {

inline constexpr ViolationKind kConfigRefused{"target.config-refused", "tgtadm",
                                              Severity::recoverable};

class TgtadmService final : public config::ExecutionHost {
 public:
  explicit TgtadmService(TargetServer& server) : server_(server) {}

  // One tgtadm command line (the arguments after the program name).
  config::Reply run(std::span<const std::string> args);

  // A configuration file's text through `loader` (config::load_tgtadm_lines or the YAML form);
  // nothing is applied unless all of it loads. Returns what its lines printed.
  using Loader = std::function<config::LoadedConfig(std::string_view text,
                                                    std::string_view file_name,
                                                    config::SystemConfig& config,
                                                    config::ExecutionHost& host)>;
  Result<std::string> load(std::string_view text, std::string_view file_name,
                           const Loader& loader);

  // `tgtadm --mode system --op delete` ran: the target should shut down.
  bool shutdown_requested() const { return shutdown_requested_; }

  // config::ExecutionHost
  Result<std::uint64_t> probe_backing_store(const config::LunConfig& lun) override;
  std::vector<config::NexusInfo> sessions(std::uint32_t tid) const override;
  std::vector<std::string> portals() const override;

 private:
  Result<void> apply(config::SystemConfig next, const std::vector<config::Effect>& effects);

  TargetServer& server_;
  bool shutdown_requested_ = false;
};

}  // namespace iscsi::target::server
