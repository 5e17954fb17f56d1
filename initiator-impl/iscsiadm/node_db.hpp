#pragma once
// open-iscsi's node database on a FileStore: node records at
// nodes/<target>/<ip>,<port>,<tpgt>/<iface>, SendTargets discovery records at
// send_targets/<ip>,<port>/st_config, iface records at ifaces/<name>.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "initiator-impl/iscsiadm/file_store.hpp"
#include "initiator-impl/iscsiadm/iscsid_conf.hpp"
#include "initiator-impl/iscsiadm/record.hpp"
#include "initiator-impl/iscsiadm/report.hpp"
#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::size_t kMaxNodeRecords = 4096;

struct StoredNode {
  std::string path;
  Record record;
};

// The -T/-p/-I filter of node mode (__iscsi_match_session on records): unset parts match
// everything; a port of kPortUnset matches any port.
struct NodeFilter {
  std::optional<std::string> target;
  std::optional<std::string> address;
  int port = kPortUnset;
  std::optional<std::string> iface;
};
// Node mode fills in port 3260 when -p has an address without a port.
NodeFilter filter_from(const Request& request);
bool matches(const NodeFilter& filter, const Record& node);

// The path of a node record, or nullopt when a part cannot be a path component (a target
// name from a SendTargets answer is peer input: "../x" or "a/b" must never become a path).
std::optional<std::string> node_path(const Record& node);
std::string discovery_path(std::string_view address, int port);

// True when a session uses the record (the session daemon knows; tests pass a fake).
using SessionProbe = std::function<bool(const Record&)>;

// What deleting a node record that a session uses prints (idbm_delete_node's refusal).
std::string session_in_use_message(const Record& node);

class NodeDb {
 public:
  explicit NodeDb(FileStore& files) : files_(files) {}

  // Every node record, sorted by path; unreadable files are skipped with a warning.
  std::vector<StoredNode> all(std::vector<LineWarning>* warnings = nullptr) const;
  std::vector<StoredNode> find(const NodeFilter& filter) const;
  // Writes (creates or replaces) the record at its path; an error sentence on failure.
  std::optional<std::string> write(const Record& node);
  bool remove(const StoredNode& node) { return files_.remove(node.path); }

  std::optional<Record> read_discovery(std::string_view address, int port) const;
  std::optional<std::string> write_discovery(const Record& discovery);
  std::vector<Record> all_discovery() const;

  FileStore& files() { return files_; }

 private:
  FileStore& files_;
};

// One target portal of a SendTargets answer (TargetName, TargetAddress=ip:port,tpgt).
struct DiscoveredPortal {
  std::string target;
  std::string address;
  int port = kDefaultPort;
  int tpgt = 1;
};

struct SendTargetsInput {
  std::string discovery_address;
  int discovery_port = kDefaultPort;
  std::vector<DiscoveredPortal> portals;  // the answer, in order
  std::vector<Record> ifaces;             // iface records to bind; "default" when empty
};

// A discovery record for the portal: defaults, then iscsid.conf's discovery.sendtargets.*.
Record discovery_from_conf(const ConfFile& conf, std::string_view address, int port);

// A node record for one discovered (or hand-made) portal on one iface: defaults, iscsid.conf,
// then the lookup keys and the iface's values.
Record make_node(const ConfFile& conf, const DiscoveredPortal& portal, const Record& iface);

// open-iscsi's plain re-discovery (do_software_sendtargets with new|delete|update): an
// empty answer changes nothing ("No portals found", exit 21); otherwise the records of this
// discovery portal that the answer no longer lists are deleted (unless a session uses them),
// every listed portal gets a fresh record from iscsid.conf (per-node edits are overwritten),
// and each is printed as "IP:PORT,TPGT IQN".
Report apply_sendtargets(NodeDb& db, const ConfFile& conf, const SendTargetsInput& input,
                         const SessionProbe& has_session);

// "IP:PORT,TPGT IQN" (idbm_print_node_flat).
std::string flat_line(const Record& node);

}  // namespace iscsi::initiator::iscsiadm
