#include "initiator-impl/iscsiadm/node_db.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"

namespace iscsi::initiator::iscsiadm {

NodeFilter filter_from(const Request& request) {
  NodeFilter filter;
  filter.target = request.targetname;
  if (request.portal) {
    filter.address = request.portal->address;
    filter.port = port_or_default(*request.portal);
  }
  if (!request.ifaces.empty()) filter.iface = request.ifaces.front();
  return filter;
}

bool matches(const NodeFilter& filter, const Record& node) {
  if (filter.target && !filter.target->empty() && node.get(keys::node_name) != *filter.target) {
    return false;
  }
  if (filter.address && !filter.address->empty() &&
      node.get(keys::conn_address) != *filter.address) {
    return false;
  }
  if (filter.port != kPortUnset && node.get_int(keys::conn_port) != filter.port) return false;
  if (filter.iface && node.get(keys::iface_name) != *filter.iface) return false;
  return true;
}

std::optional<std::string> node_path(const Record& node) {
  const std::string& target = node.get(keys::node_name);
  const std::string& address = node.get(keys::conn_address);
  const std::string& iface = node.get(keys::iface_name);
  std::string portal = fmt::format("{},{},{}", address, node.get(keys::conn_port),
                                   node.get(keys::node_tpgt));
  if (!is_safe_component(target) || !is_safe_component(address) || !is_safe_component(iface)) {
    return std::nullopt;
  }
  return fmt::format("nodes/{}/{}/{}", target, portal, iface);
}

std::string discovery_path(std::string_view address, int port) {
  return fmt::format("send_targets/{},{}/st_config", address, port);
}

std::vector<StoredNode> NodeDb::all(std::vector<LineWarning>* warnings) const {
  std::vector<StoredNode> nodes;
  for (const std::string& target : files_.list("nodes")) {
    for (const std::string& portal : files_.list("nodes/" + target)) {
      std::string dir = "nodes/" + target + "/" + portal;
      for (const std::string& iface : files_.list(dir)) {
        if (nodes.size() >= kMaxNodeRecords) return nodes;
        std::string path = dir + "/" + iface;
        auto text = files_.read(path);
        if (!text) continue;
        nodes.push_back({path, parse_record(node_schema(), *text, warnings)});
      }
    }
  }
  return nodes;
}

std::vector<StoredNode> NodeDb::find(const NodeFilter& filter) const {
  std::vector<StoredNode> found;
  for (StoredNode& node : all()) {
    if (matches(filter, node.record)) found.push_back(std::move(node));
  }
  return found;
}

std::optional<std::string> NodeDb::write(const Record& node) {
  auto path = node_path(node);
  if (!path) {
    return fmt::format("invalid record name [{}, {}, {}]", node.get(keys::node_name),
                       node.get(keys::conn_address), node.get(keys::iface_name));
  }
  return files_.write(*path, node.serialize());
}

std::optional<Record> NodeDb::read_discovery(std::string_view address, int port) const {
  auto text = files_.read(discovery_path(address, port));
  if (!text) return std::nullopt;
  return parse_record(discovery_schema(), *text, nullptr);
}

std::optional<std::string> NodeDb::write_discovery(const Record& discovery) {
  const std::string& address = discovery.get(keys::st_address);
  if (!is_safe_component(address)) return "invalid discovery address '" + address + "'";
  return files_.write(discovery_path(address, discovery.get_int(keys::st_port)),
                      discovery.serialize());
}

std::vector<Record> NodeDb::all_discovery() const {
  std::vector<Record> found;
  for (const std::string& portal : files_.list("send_targets")) {
    if (found.size() >= kMaxNodeRecords) break;
    auto text = files_.read("send_targets/" + portal + "/st_config");
    if (text) found.push_back(parse_record(discovery_schema(), *text, nullptr));
  }
  return found;
}

Record discovery_from_conf(const ConfFile& conf, std::string_view address, int port) {
  Record discovery(discovery_schema());
  apply_conf(conf, discovery, nullptr);
  discovery.set_raw(keys::st_address, std::string(address));
  discovery.set_raw(keys::st_port, std::to_string(port));
  return discovery;
}

Record make_node(const ConfFile& conf, const DiscoveredPortal& portal, const Record& iface) {
  Record node = node_from_conf(conf);
  node.set_raw(keys::node_name, portal.target);
  node.set_raw(keys::node_tpgt, std::to_string(portal.tpgt));
  node.set_raw(keys::conn_address, portal.address);
  node.set_raw(keys::conn_port, std::to_string(portal.port));
  for (std::string_view key : {keys::iface_name, keys::iface_netdev, keys::iface_ipaddress,
                               keys::iface_hwaddress, keys::iface_transport,
                               keys::iface_initiatorname}) {
    node.set_raw(key, iface.get(key));
  }
  return node;
}

std::string flat_line(const Record& node) {
  return fmt::format("{},{} {}",
                     format_portal(node.get(keys::conn_address), node.get_int(keys::conn_port)),
                     node.get(keys::node_tpgt), node.get(keys::node_name));
}

std::string session_in_use_message(const Record& node) {
  return fmt::format(
      "This command will remove the record [iface: {}, target: {}, portal: {},{}], but a "
      "session is using it. Logout session then rerun command to remove record.",
      node.get(keys::iface_name), node.get(keys::node_name), node.get(keys::conn_address),
      node.get(keys::conn_port));
}

namespace {

bool same_node(const Record& a, const Record& b) {
  return a.get(keys::node_name) == b.get(keys::node_name) &&
         a.get(keys::conn_address) == b.get(keys::conn_address) &&
         a.get(keys::conn_port) == b.get(keys::conn_port) &&
         a.get(keys::iface_name) == b.get(keys::iface_name);
}

// delete_stale_rec(): a record of the same discovery portal that the answer no longer lists.
void delete_stale(NodeDb& db, const SendTargetsInput& input, const std::vector<Record>& fresh,
                  const SessionProbe& has_session, Report& report) {
  for (const StoredNode& stored : db.all()) {
    const Record& rec = stored.record;
    if (rec.get(keys::disc_type) != "send_targets" ||
        rec.get(keys::disc_address) != input.discovery_address ||
        rec.get_int(keys::disc_port) != input.discovery_port) {
      continue;
    }
    bool listed = std::any_of(fresh.begin(), fresh.end(),
                              [&](const Record& r) { return same_node(r, rec); });
    if (listed) continue;
    if (has_session && has_session(rec)) {
      report.error(session_in_use_message(rec));
      continue;
    }
    db.remove(stored);
  }
}

}  // namespace

Report apply_sendtargets(NodeDb& db, const ConfFile& conf, const SendTargetsInput& input,
                         const SessionProbe& has_session) {
  Report report;
  if (input.portals.empty()) {
    report.error("No portals found");
    report.exit_code = exit_code(ErrorCode::no_objs_found);
    return report;
  }
  std::vector<Record> ifaces = input.ifaces;
  if (ifaces.empty()) ifaces.push_back(default_iface());
  std::vector<Record> fresh;
  for (const DiscoveredPortal& portal : input.portals) {
    for (const Record& iface : ifaces) {
      Record node = make_node(conf, portal, iface);
      node.set_raw(keys::disc_address, input.discovery_address);
      node.set_raw(keys::disc_port, std::to_string(input.discovery_port));
      node.set_raw(keys::disc_type, "send_targets");
      fresh.push_back(std::move(node));
    }
  }
  delete_stale(db, input, fresh, has_session, report);
  for (const Record& node : fresh) {
    if (auto error = db.write(node)) {
      // exec_disc_op_on_recs() names the record only; our reason follows on a line of its own.
      report.error(fmt::format("Could not add/update [{}:[hw={},ip={},net_if={},iscsi_if={}] "
                               "{},{},{} {}]",
                               node.get(keys::iface_transport), node.get(keys::iface_hwaddress),
                               node.get(keys::iface_ipaddress), node.get(keys::iface_netdev),
                               node.get(keys::iface_name), node.get(keys::conn_address),
                               node.get(keys::conn_port), node.get(keys::node_tpgt),
                               node.get(keys::node_name)));
      report.error(*error);
    }
  }
  for (const Record& node : fresh) report.say(flat_line(node));
  return report;
}

}  // namespace iscsi::initiator::iscsiadm
