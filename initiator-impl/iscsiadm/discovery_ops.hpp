#pragma once
// Discovery mode before and around the protocol (usr/iscsiadm.c exec_disc_op): which
// SendTargets discovery to run with which discovery record, and the record-only operations
// (list, show, delete) that need no protocol.
#include <optional>
#include <string>

#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/record.hpp"
#include "initiator-impl/iscsiadm/report.hpp"
#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::iscsiadm {

struct DiscoveryPlan {
  // When set, run a SendTargets discovery to this portal with these settings (auth, login
  // timeout, reopen_max, MaxRecvDataSegmentLength), then apply_sendtargets() the answer or
  // print discovery_failure_report(). `report` holds anything printed before.
  std::optional<Record> sendtargets;
  Report report;  // the final result when `sendtargets` is empty
};

// `-m discovery -t st -p IP[:PORT]` writes the portal's discovery record afresh from
// iscsid.conf (idbm_add_discovery) and plans the discovery; `-m discoverydb -t st -p .. -D`
// uses the stored record (creating it when missing) so its edits apply; without -D,
// discoverydb adds (-o new: "New discovery record for [IP,PORT] added."), shows, deletes or
// updates (-o update -n KEY -v VALUE) the stored record, and a missing one is "Discovery
// record [IP,PORT] not found." (exit 6). Without -t:
// list the discovery records, or show/delete one (-o delete also deletes the node records
// it found); "Discovery record [IP,PORT] not found!" (exit 7) for an unknown portal.
DiscoveryPlan plan_discovery(NodeDb& db, const ConfFile& conf, const Request& request);

}  // namespace iscsi::initiator::iscsiadm
