#include "target-impl/server/tgtadm_service.hpp"

#include <fmt/format.h>

#include "core/runtime/address.hpp"
#include "target-impl/config/acl.hpp"

namespace iscsi::target::server {

config::Reply TgtadmService::run(std::span<const std::string> args) {
  config::SystemConfig next = server_.config();
  config::Execution execution = config::run_tgtadm(args, next, *this);
  if (execution.effects.empty()) return execution.reply;
  if (auto applied = apply(std::move(next), execution.effects); !applied.ok()) {
    // tgtd answers a store it cannot open with "invalid request" (EINVAL).
    return {"", fmt::format("tgtadm: invalid request ({})\n", applied.error().detail),
            config::exit_einval};
  }
  return execution.reply;
}

Result<std::string> TgtadmService::load(std::string_view text, std::string_view file_name,
                                        const Loader& loader) {
  config::SystemConfig next = server_.config();
  config::LoadedConfig loaded = loader(text, file_name, next, *this);
  if (loaded.error) return Violation{kConfigRefused, loaded.error->to_string()};
  if (auto applied = apply(std::move(next), loaded.effects); !applied.ok()) {
    return Violation{kConfigRefused, fmt::format("{}: {}", file_name, applied.error().detail)};
  }
  return loaded.output;
}

Result<void> TgtadmService::apply(config::SystemConfig next,
                                  const std::vector<config::Effect>& effects) {
  for (const config::Effect& effect : effects) {
    if (effect.kind == config::EffectKind::system_shutdown) shutdown_requested_ = true;
  }
  // The server compares the new configuration with the old one: stores of new LUNs open,
  // Ports of changed targets switch, sessions of deleted targets close.
  return server_.configure(std::move(next));
}

Result<std::uint64_t> TgtadmService::probe_backing_store(const config::LunConfig& lun) {
  return server_.probe_file(lun.backing_store);
}

std::vector<config::NexusInfo> TgtadmService::sessions(std::uint32_t tid) const {
  std::vector<config::NexusInfo> out;
  for (const SessionInfo& info : server_.sessions().sessions_of(tid)) {
    config::NexusInfo nexus;
    // tgt prints the session's TSIH, and its TSIHs count normal sessions only: a Discovery
    // session gets the dummy TSIH 1 (usr/iscsi/iscsid.c login_finish). Our nexus ids count the
    // same way, where our TSIHs count discovery sessions too.
    nexus.nexus_id = info.nexus;
    nexus.initiator = info.initiator_name;
    nexus.alias = info.initiator_alias;
    nexus.connections.push_back({info.cid, runtime::format_ipv4(info.initiator.ipv4)});
    out.push_back(std::move(nexus));
  }
  return out;
}

std::vector<std::string> TgtadmService::portals() const {
  std::vector<std::string> out;
  for (const runtime::Endpoint& portal : server_.portals()) {
    out.push_back(fmt::format("{},{}", portal.to_string(), server_.target_portal_group_tag()));
  }
  return out;
}

}  // namespace iscsi::target::server
