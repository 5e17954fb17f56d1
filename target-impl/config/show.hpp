#pragma once
// tgtadm 1.0.85's `--op show` outputs, byte for byte (usr/target.c tgt_target_show_all,
// account_show, system_show; usr/iscsi/target.c iscsi_target_show and show_redirect_info;
// usr/iscsi/session.c for the I_T nexus lines).
#include <cstdint>
#include <string>

#include "target-impl/config/execution_host.hpp"
#include "target-impl/config/model.hpp"

namespace iscsi::target::config {

// tgt's print_disksize(): "decimal" megabytes by tgt's own rounding formula, e.g. 64 MiB
// prints "67 MB" and 1 TiB "1099512 MB".
std::string format_disk_size(std::uint64_t size_bytes);

std::string default_scsi_id(std::uint32_t tid, std::uint32_t lun);  // "IET     00010001"
std::string default_scsi_sn(std::uint32_t tid, std::uint32_t lun);  // "beaf11"

std::string show_targets(const SystemConfig& config, const ExecutionHost& host);
std::string show_target_params(const TargetConfig& target);
std::string show_accounts(const SystemConfig& config);
std::string show_system(const SystemConfig& config);
std::string show_lld(const SystemConfig& config);
std::string show_portals(const ExecutionHost& host);

std::string_view to_string(BackingType type);

}  // namespace iscsi::target::config
