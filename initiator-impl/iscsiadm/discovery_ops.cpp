#include "initiator-impl/iscsiadm/discovery_ops.hpp"

#include <fmt/format.h>

#include "initiator-impl/iscsiadm/error_codes.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

DiscoveryPlan finished(std::string_view message, ErrorCode code) {
  DiscoveryPlan plan;
  if (!message.empty()) plan.report.error(message);
  plan.report.exit_code = exit_code(code);
  return plan;
}

// idbm_print_all_discovery() at -P 0: "IP:PORT via sendtargets"; nothing found is exit 21
// without a message, as iscsiadm.
DiscoveryPlan list_discovery(const NodeDb& db) {
  DiscoveryPlan plan;
  std::vector<Record> records = db.all_discovery();
  if (records.empty()) return finished("", ErrorCode::no_objs_found);
  for (const Record& rec : records) {
    plan.report.say(fmt::format("{} via sendtargets",
                                format_portal(rec.get(keys::st_address), rec.get_int(keys::st_port))));
  }
  return plan;
}

// idbm_delete_discovery(): the record and the node records it found.
DiscoveryPlan delete_discovery(NodeDb& db, const std::string& address, int port) {
  for (const StoredNode& node : db.all()) {
    const Record& rec = node.record;
    if (rec.get(keys::disc_type) == "send_targets" && rec.get(keys::disc_address) == address &&
        rec.get_int(keys::disc_port) == port) {
      db.remove(node);
    }
  }
  if (!db.files().remove(discovery_path(address, port))) {
    return finished("Unable to delete record!", ErrorCode::idbm);
  }
  return {};
}

DiscoveryPlan stored_discovery_op(NodeDb& db, const Request& request) {
  const std::string& address = request.portal->address;
  int port = port_or_default(*request.portal);
  auto stored = is_safe_component(address) ? db.read_discovery(address, port) : std::nullopt;
  if (!stored) {
    return finished(fmt::format("Discovery record [{},{}] not found!", address, port),
                    ErrorCode::inval);
  }
  if (request.discover || request.login) {
    DiscoveryPlan plan;
    plan.sendtargets = std::move(*stored);
    return plan;
  }
  if (request.ops == op_noop || request.ops == op_show) {
    DiscoveryPlan plan;
    plan.report.out += stored->show(request.show);
    return plan;
  }
  if (request.ops == op_delete) return delete_discovery(db, address, port);
  if ((request.ops & (op_new | op_update)) != 0 && request.mode == Mode::discovery) {
    return finished(
        "Operations new and update for discovery mode is not supported. Use discoverydb mode.",
        ErrorCode::inval);
  }
  return finished("Invalid operation.", ErrorCode::inval);
}

// The record operations of `-m discoverydb -t st -p IP` without -D (exec_disc2_op()'s
// do_db_op): show, delete, or update with -n/-v.
DiscoveryPlan discoverydb_record_op(NodeDb& db, Record stored, const Request& request) {
  const std::string& address = request.portal->address;
  const int port = port_or_default(*request.portal);
  if (request.ops == op_noop || request.ops == op_show) {
    DiscoveryPlan plan;
    plan.report.out += stored.show(request.show);
    return plan;
  }
  if (request.ops == op_delete) return delete_discovery(db, address, port);
  if (request.ops != op_update) return finished("Operation is not supported.", ErrorCode::inval);
  if (request.params.empty()) return finished("Update requires name and value.", ErrorCode::inval);
  for (const auto& [key, value] : request.params) {
    if (auto error = stored.set_param(key, value)) return finished(*error, ErrorCode::inval);
  }
  if (db.write_discovery(stored)) {
    return finished(error_message(ErrorCode::idbm), ErrorCode::idbm);
  }
  return {};
}

// exec_discover(): -o new (without -D) only adds the record; an existing record is used as
// stored; a missing one is an error unless -D asks for a discovery, which then creates it.
DiscoveryPlan discoverydb_plan(NodeDb& db, const ConfFile& conf, const Request& request) {
  const std::string& address = request.portal->address;
  const int port = port_or_default(*request.portal);
  if ((request.ops & op_new) != 0 && !request.discover) {
    if (db.write_discovery(discovery_from_conf(conf, address, port))) {
      return finished("Could not add new discovery record.", ErrorCode::idbm);
    }
    DiscoveryPlan plan;
    plan.report.say(fmt::format("New discovery record for [{},{}] added.", address, port));
    return plan;
  }
  std::optional<Record> stored = db.read_discovery(address, port);
  if (stored && !request.discover) return discoverydb_record_op(db, std::move(*stored), request);
  if (!stored) {
    if (!request.discover) {
      return finished(fmt::format("Discovery record [{},{}] not found.", address, port),
                      ErrorCode::idbm);
    }
    stored = discovery_from_conf(conf, address, port);
    if ((request.ops & op_nonpersistent) == 0 && db.write_discovery(*stored)) {
      return finished("Could not add new discovery record.", ErrorCode::idbm);
    }
  }
  DiscoveryPlan plan;
  plan.sendtargets = std::move(stored);
  return plan;
}

DiscoveryPlan sendtargets_plan(NodeDb& db, const ConfFile& conf, const Request& request) {
  if (!request.portal || request.portal->address.empty()) {
    return finished("Please specify portal as <ipaddr>[:<ipport>]", ErrorCode::inval);
  }
  if (request.mode == Mode::discoverydb) return discoverydb_plan(db, conf, request);
  // exec_disc_op(): discovery mode starts from iscsid.conf every time (sync_drec).
  Record record = discovery_from_conf(conf, request.portal->address,
                                      port_or_default(*request.portal));
  if ((request.ops & op_nonpersistent) == 0 && db.write_discovery(record)) {
    return finished("Could not add new discovery record.", ErrorCode::idbm);
  }
  DiscoveryPlan plan;
  plan.sendtargets = std::move(record);
  return plan;
}

}  // namespace

DiscoveryPlan plan_discovery(NodeDb& db, const ConfFile& conf, const Request& request) {
  if (request.type) {
    switch (*request.type) {
      case DiscoveryType::sendtargets: return sendtargets_plan(db, conf, request);
      case DiscoveryType::slp:
        return finished("SLP discovery is not fully implemented yet.", ErrorCode::inval);
      case DiscoveryType::isns:
      case DiscoveryType::fw:
        return finished(fmt::format("Could not perform discovery: {}",
                                    error_message(ErrorCode::op_not_supp)),
                        ErrorCode::op_not_supp);
    }
  }
  if (request.portal) return stored_discovery_op(db, request);
  if (request.ops == op_noop || request.ops == op_show) return list_discovery(db);
  return finished("Invalid operation.", ErrorCode::inval);
}

}  // namespace iscsi::initiator::iscsiadm
