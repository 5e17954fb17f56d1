#include "initiator-impl/iscsiadm/node_ops.hpp"

#include <fmt/format.h>

#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

Report fail(std::string_view message, ErrorCode code) {
  Report report;
  report.error(message);
  report.exit_code = exit_code(code);
  return report;
}

Report no_records() { return fail("No records found", ErrorCode::no_objs_found); }

bool has_filter(const Request& request) {
  return request.targetname || request.portal || !request.ifaces.empty();
}

// print_nodes(): -P 0 (or none) flat lines, -P 1 a Target/Portal/Iface Name tree.
Report list_nodes(const NodeDb& db, const Request& request) {
  if (request.print_level != -1 && request.print_level != 0 && request.print_level != 1) {
    return fail(fmt::format("Invalid info level {}. Try 0 or 1.", request.print_level),
                ErrorCode::inval);
  }
  std::vector<StoredNode> nodes = db.find(filter_from(request));
  if (nodes.empty()) return no_records();
  Report report;
  std::string last_target;
  for (const StoredNode& node : nodes) {
    const Record& rec = node.record;
    if (request.print_level < 1) {
      report.say(flat_line(rec));
      continue;
    }
    std::string portal = fmt::format(
        "{},{}", format_portal(rec.get(keys::conn_address), rec.get_int(keys::conn_port)),
        rec.get(keys::node_tpgt));
    if (rec.get(keys::node_name) != last_target) {
      report.say("Target: " + rec.get(keys::node_name));
      last_target = rec.get(keys::node_name);
    }
    // print_nodes_tree() prints the Portal line for every record, even a repeated one.
    report.say("\tPortal: " + portal);
    report.say("\t\tIface Name: " + rec.get(keys::iface_name));
  }
  return report;
}

Report show_nodes(const NodeDb& db, const Request& request) {
  std::vector<StoredNode> nodes = db.find(filter_from(request));
  if (nodes.empty()) return no_records();
  Report report;
  for (const StoredNode& node : nodes) report.out += node.record.show(request.show);
  return report;
}

// add_static_recs(): one record by hand, on the first -I iface (default when none).
Report new_node(NodeDb& db, const ConfFile& conf, const Request& request) {
  if (!request.targetname || request.targetname->empty() || !request.portal ||
      request.portal->address.empty()) {
    return fail(fmt::format("Error while adding record: {}",
                            error_message(ErrorCode::no_objs_found)),
                ErrorCode::no_objs_found);
  }
  std::string iface_name =
      request.ifaces.empty() ? std::string(kDefaultIface) : request.ifaces.front();
  auto iface = read_iface(db.files(), iface_name);
  if (!iface) {
    return fail(fmt::format("Could not read iface {}. Error {}", iface_name,
                            exit_code(ErrorCode::no_objs_found)),
                ErrorCode::no_objs_found);
  }
  DiscoveredPortal portal{*request.targetname, request.portal->address,
                          port_or_default(*request.portal), request.portal->tpgt};
  Record node = make_node(conf, portal, *iface);
  node.set_raw(keys::disc_type, "static");
  if (auto error = db.write(node)) {
    return fail(fmt::format("Error while adding record: {}", error_message(ErrorCode::idbm)),
                ErrorCode::idbm);
  }
  Report report;
  report.say(fmt::format("New iSCSI node [{}:[hw={},ip={},net_if={},iscsi_if={}] {},{},{} {}] "
                         "added",
                         node.get(keys::iface_transport), node.get(keys::iface_hwaddress),
                         node.get(keys::iface_ipaddress), node.get(keys::iface_netdev),
                         node.get(keys::iface_name), portal.address, portal.port, portal.tpgt,
                         portal.target));
  return report;
}

Report delete_nodes(NodeDb& db, const Request& request, const SessionProbe& has_session) {
  std::vector<StoredNode> nodes = db.find(filter_from(request));
  if (nodes.empty()) return no_records();
  Report report;
  for (const StoredNode& node : nodes) {
    const Record& rec = node.record;
    if (has_session && has_session(rec)) {
      report.error(session_in_use_message(rec));
      report.error(fmt::format("Could not execute operation on all records: {}",
                               error_message(ErrorCode::sess_exists)));
      report.exit_code = exit_code(ErrorCode::sess_exists);
      return report;
    }
    db.remove(node);
  }
  return report;
}

// verify_node_params(): the iface.* keys belong to iface mode.
std::optional<Report> verify_node_params(std::vector<std::pair<std::string, std::string>>& params) {
  if (params.empty()) return fail("update requires name and value", ErrorCode::inval);
  for (auto& [key, value] : params) {
    if (key == "node.transport_name") key = std::string(keys::iface_transport);
    if (key.rfind("iface.", 0) == 0 && key != keys::iface_transport) {
      return fail(fmt::format("Cannot modify {}. Use iface mode to update this value.", key),
                  ErrorCode::inval);
    }
  }
  return std::nullopt;
}

Report update_nodes(NodeDb& db, const Request& request) {
  auto params = request.params;
  if (auto refused = verify_node_params(params)) return *refused;
  std::vector<StoredNode> nodes = db.find(filter_from(request));
  if (nodes.empty()) return no_records();
  for (StoredNode& node : nodes) {
    for (const auto& [key, value] : params) {
      if (auto error = node.record.set_param(key, value)) {
        Report report = fail(*error, ErrorCode::inval);
        report.error(fmt::format("Could not execute operation on all records: {}",
                                 error_message(ErrorCode::inval)));
        return report;
      }
    }
    if (auto error = db.write(node.record)) {
      Report report = fail(*error, ErrorCode::idbm);
      return report;
    }
  }
  return {};
}

bool startup_matches(const Record& node, std::string_view mode) {
  if (mode == "all") return true;
  return node.get(keys::node_startup) == mode || node.get("node.conn[0].startup") == mode;
}

}  // namespace

bool is_record_operation(const Request& request) {
  return !request.login && !request.logout && !request.login_all && !request.logout_all &&
         !request.rescan && !request.stats;
}

Report run_node_records(NodeDb& db, const ConfFile& conf, const Request& request,
                        const SessionProbe& has_session) {
  if (request.ops == op_new) return new_node(db, conf, request);
  if (request.ops == op_noop && !has_filter(request)) return list_nodes(db, request);
  if (request.ops == op_noop || request.ops == op_show) return show_nodes(db, request);
  if (request.ops == op_update) return update_nodes(db, request);
  if (request.ops == op_delete) return delete_nodes(db, request, has_session);
  return fail("operation is not supported.", ErrorCode::inval);
}

Selection select_for_login(const NodeDb& db, const Request& request) {
  Selection selection;
  if (request.login_all) {
    for (StoredNode& node : db.all()) {
      if (startup_matches(node.record, *request.login_all)) {
        selection.nodes.push_back(std::move(node));
      }
    }
  } else {
    selection.nodes = db.find(filter_from(request));
  }
  if (selection.nodes.empty()) selection.report = no_records();
  return selection;
}

}  // namespace iscsi::initiator::iscsiadm
