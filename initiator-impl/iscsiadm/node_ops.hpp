#pragma once
// The node-mode operations that need no protocol (usr/iscsiadm.c exec_node_op): listing,
// `-o show`, `-o new`, `-o delete`, `-o update -n KEY -v VALUE`, with iscsiadm's lines and
// exit codes. Login and logout are the caller's (they need the protocol), but the records
// they act on come from select_for_login() here.
#include <vector>

#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/report.hpp"
#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::iscsiadm {

// True when a node-mode request is one of the operations below (no -l, -u, -L, -U, -R, -s).
bool is_record_operation(const Request& request);

// Runs a node-mode record operation. `conf` supplies the values of records made by -o new.
Report run_node_records(NodeDb& db, const ConfFile& conf, const Request& request,
                        const SessionProbe& has_session);

// The records a `-l` acts on (the -T/-p/-I filter), or a Report with "No records found"
// (exit 21) when none match. -L selects by node.startup (all, manual, automatic, onboot).
struct Selection {
  std::vector<StoredNode> nodes;
  Report report;
};
Selection select_for_login(const NodeDb& db, const Request& request);

}  // namespace iscsi::initiator::iscsiadm
