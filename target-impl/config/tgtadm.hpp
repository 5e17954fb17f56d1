#pragma once
// The tgtadm command language: parse a tgtadm command line and execute it against the
// target's configuration, producing what tgt 1.0.85's tgtadm would print and exit with, plus
// the effects the server must apply. This is the API of `iscsim tgtadm` and of the target's
// control channel:
//
//   SystemConfig config;                 // the live configuration, owned by the server
//   MyHost host;                         // implements ExecutionHost
//   Execution run = run_tgtadm(args, config, host);
//   print run.reply.out / run.reply.err; exit with run.reply.exit_code; apply run.effects.
#include <span>
#include <string>
#include <vector>

#include "target-impl/config/execution_host.hpp"
#include "target-impl/config/model.hpp"
#include "target-impl/config/tgtadm_request.hpp"

namespace iscsi::target::config {

// Limits that keep a hostile configuration from growing without bound; beyond them tgtadm
// answers "out of memory" (or "too many accounts").
inline constexpr std::size_t max_targets = 4096;
inline constexpr std::size_t max_luns_per_target = 1024;
inline constexpr std::uint32_t max_lun_number = 16383;  // SAM single-level flat addressing
inline constexpr std::size_t max_acl_entries_per_target = 1024;
inline constexpr std::size_t max_accounts = 4096;
inline constexpr std::size_t max_incoming_users_per_target = 256;

struct Execution {
  Reply reply;
  std::vector<Effect> effects;  // empty unless the request changed something
};

// Executes a parsed request. Never throws and never touches files or sockets; `config` is
// changed only when the request succeeds.
Execution execute(const Request& request, SystemConfig& config, ExecutionHost& host);

// parse_tgtadm() then execute(); a parse failure is returned as is, with no effects.
Execution run_tgtadm(std::span<const std::string> args, SystemConfig& config,
                     ExecutionHost& host);

}  // namespace iscsi::target::config
