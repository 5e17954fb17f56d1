#pragma once
// $ISCSIM_HOME laid out like /etc/iscsi: iscsid.conf and initiatorname.iscsi are created
// with defaults on first use; nodes/, send_targets/ and ifaces/ appear as records are made.
#include <optional>
#include <string>
#include <vector>

#include "core/runtime/rng.hpp"
#include "initiator-impl/iscsiadm/file_store.hpp"
#include "initiator-impl/iscsiadm/iscsid_conf.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::string_view kConfFile = "iscsid.conf";
inline constexpr std::string_view kInitiatorNameFile = "initiatorname.iscsi";

struct Home {
  ConfFile conf;                  // iscsid.conf, parsed
  std::string initiator_name;     // from initiatorname.iscsi
  std::vector<LineWarning> warnings;
};

// Creates the missing files (the default iscsid.conf; initiatorname.iscsi as Debian's
// postinst writes it: a "## DO NOT EDIT" header and
// "InitiatorName=iqn.1993-08.org.debian:01:<hex>"), then
// reads both. An error sentence when a file cannot be written or initiatorname.iscsi has no
// InitiatorName= line.
struct OpenedHome {
  std::optional<Home> home;
  std::string error;
};
OpenedHome open_home(FileStore& files, runtime::Rng& rng);

// "InitiatorName=..." -> the name; nullopt without such a line ('#' comments are skipped).
std::optional<std::string> parse_initiator_name(std::string_view text);

}  // namespace iscsi::initiator::iscsiadm
