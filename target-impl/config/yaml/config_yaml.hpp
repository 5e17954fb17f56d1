#pragma once
// The structured YAML form of a target configuration (schema in docs/target-config.md):
//
//   accounts:
//     - {user: alice, password: secret}
//   targets:
//     - tid: 1
//       name: iqn.2001-04.com.example:storage.disk1
//       luns:
//         - {lun: 1, backing-store: /srv/disk1.img}
//         - {lun: 2, bstype: ram, backing-store: 64M, params: {thin_provisioning: 1}}
//       acl: {addresses: [ALL], names: [iqn.1994-05.com.redhat:client]}
//       accounts: {incoming: [alice], outgoing: bob}
//       params: {HeaderDigest: CRC32C, MaxRecvDataSegmentLength: 65536}
//   discovery:
//     accounts: {incoming: [alice]}
//
// Every entry becomes the tgtadm request the tgtadm form would use, so values are validated
// (and refused) exactly as tgtadm lines are. Errors name file:line:column; unknown keys are
// errors. Nothing is applied unless the whole document loads.
#include <string_view>

#include "target-impl/config/config_file.hpp"

namespace iscsi::target::config::yaml {

// Documents larger than this are refused before parsing.
inline constexpr std::size_t max_document_bytes = 4 * 1024 * 1024;

LoadedConfig load_yaml(std::string_view text, std::string_view file_name, SystemConfig& config,
                       ExecutionHost& host);

}  // namespace iscsi::target::config::yaml
