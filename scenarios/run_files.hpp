#pragma once
// An initiator's $ISCSIM_HOME as a scenario sets it up: iscsid.conf edits (the scenario's
// settings before the first step, `iscsid.conf:` steps later) and its ifaces.
#include <map>
#include <string>

#include "initiator-impl/iscsiadm/file_store.hpp"

namespace iscsi::scenarios {

// Rewrites iscsid.conf (the default one when there is none yet): every line setting one of
// `settings`' keys goes, then "key = value" is appended for each non-empty value. An error
// sentence when the file cannot be written.
std::string edit_iscsid_conf(initiator::iscsiadm::FileStore& files,
                             const std::map<std::string, std::string>& settings);

}  // namespace iscsi::scenarios
