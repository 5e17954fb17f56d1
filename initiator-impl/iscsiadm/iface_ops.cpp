#include "initiator-impl/iscsiadm/iface_ops.hpp"

#include <fmt/format.h>

#include "initiator-impl/iscsiadm/error_codes.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

std::string iface_path(std::string_view name) { return "ifaces/" + std::string(name); }

Report fail(std::string_view message, ErrorCode code) {
  Report report;
  report.error(message);
  report.exit_code = exit_code(code);
  return report;
}

// iface_print_flat(): "name transport,hwaddress,ipaddress,net_ifacename,initiatorname".
std::string flat_iface(const Record& iface) {
  auto or_empty = [&](std::string_view key) {
    const std::string& value = iface.get(key);
    return value.empty() ? std::string("<empty>") : value;
  };
  return fmt::format("{} {},{},{},{},{}", iface.get(keys::iface_name),
                     or_empty(keys::iface_transport), or_empty(keys::iface_hwaddress),
                     or_empty(keys::iface_ipaddress), or_empty(keys::iface_netdev),
                     or_empty(keys::iface_initiatorname));
}

Report list_ifaces(const FileStore& files) {
  Report report;
  report.say(flat_iface(default_iface()));
  std::size_t count = 0;
  for (const std::string& name : files.list("ifaces")) {
    if (++count > kMaxIfaces) break;
    if (auto iface = read_iface(files, name)) report.say(flat_iface(*iface));
  }
  return report;
}

Report new_iface(NodeDb& db, std::string_view name) {
  if (name == kDefaultIface || db.files().exists(iface_path(name))) {
    // iface_conf_write() refuses to replace an existing or built-in iface.
    return fail(fmt::format("Could not create new interface {}.", name), ErrorCode::inval);
  }
  Record iface(iface_schema());
  iface.set_raw(keys::iface_name, std::string(name));
  if (auto error = db.files().write(iface_path(name), iface.serialize())) {
    return fail(fmt::format("Could not create new interface {}.", name), ErrorCode::idbm);
  }
  Report report;
  report.say(fmt::format("New interface {} added", name));
  return report;
}

Report delete_iface(NodeDb& db, std::string_view name, const SessionProbe& has_session) {
  if (name == kDefaultIface) {
    Report report = fail(fmt::format("iface {} is a special interface and cannot be deleted.",
                                     name),
                         ErrorCode::inval);
    report.error(fmt::format("Could not delete iface {}: {}", name,
                             error_message(ErrorCode::inval)));
    return report;
  }
  if (!db.files().exists(iface_path(name))) {
    return fail(fmt::format("Could not delete iface {}: {}", name,
                            error_message(ErrorCode::no_objs_found)),
                ErrorCode::no_objs_found);
  }
  NodeFilter filter;
  filter.iface = std::string(name);
  for (const StoredNode& node : db.find(filter)) {
    if (has_session && has_session(node.record)) {
      return fail(fmt::format("Could not delete iface {}: {}", name,
                              error_message(ErrorCode::sess_exists)),
                  ErrorCode::sess_exists);
    }
    db.remove(node);
  }
  db.files().remove(iface_path(name));
  Report report;
  report.say(fmt::format("{} unbound and deleted.", name));
  return report;
}

Report update_iface(NodeDb& db, const Request& request, std::string_view name) {
  if (request.params.empty()) return fail("Update requires name, value, and iface.", ErrorCode::inval);
  auto iface = read_iface(db.files(), name);
  if (!iface || name == kDefaultIface) {
    return fail(fmt::format("Could not update iface {}: {}", name,
                            error_message(iface ? ErrorCode::inval : ErrorCode::no_objs_found)),
                iface ? ErrorCode::inval : ErrorCode::no_objs_found);
  }
  for (const auto& [key, value] : request.params) {
    if (key == keys::iface_name) {
      return fail("Can not update iface.iscsi_ifacename. Delete it, and then create a new one.",
                  ErrorCode::inval);
    }
    if (auto error = iface->set_param(key, value)) {
      Report report = fail(*error, ErrorCode::inval);
      report.error(fmt::format("Could not update iface {}: {}", name,
                               error_message(ErrorCode::inval)));
      return report;
    }
  }
  db.files().write(iface_path(name), iface->serialize());
  // The node records bound to this iface carry copies of its values (idbm_node_set_param).
  NodeFilter filter;
  filter.iface = std::string(name);
  for (StoredNode& node : db.find(filter)) {
    for (const auto& param : request.params) node.record.set_raw(param.first, iface->get(param.first));
    db.write(node.record);
  }
  Report report;
  report.say(fmt::format("{} updated.", name));
  return report;
}

Report show_iface(const FileStore& files, const Request& request, std::string_view name) {
  auto iface = read_iface(files, name);
  if (!iface) {
    return fail(fmt::format("Could not read iface {} ({}).", name,
                            exit_code(ErrorCode::no_objs_found)),
                ErrorCode::no_objs_found);
  }
  Report report;
  report.out += iface->show(request.show);
  return report;
}

}  // namespace

Record default_iface() {
  Record iface(iface_schema());
  iface.set_raw(keys::iface_name, std::string(kDefaultIface));
  return iface;
}

std::optional<Record> read_iface(const FileStore& files, std::string_view name) {
  if (name == kDefaultIface) return default_iface();
  if (!is_safe_component(name)) return std::nullopt;
  auto text = files.read(iface_path(name));
  if (!text) return std::nullopt;
  Record iface = parse_record(iface_schema(), *text, nullptr);
  // The file name is the iface's identity (iface_conf_read), whatever the file says.
  iface.set_raw(keys::iface_name, std::string(name));
  return iface;
}

Report run_iface(NodeDb& db, const Request& request, const SessionProbe& has_session) {
  if (request.ifaces.empty()) {
    if (request.ops == op_noop || request.ops == op_show) return list_ifaces(db.files());
    if (request.ops == op_new) {
      return fail("Could not add interface. No interface passed in.", ErrorCode::inval);
    }
    if (request.ops == op_delete) {
      return fail("Could not delete interface. No interface passed in.", ErrorCode::inval);
    }
    return fail("Update requires name, value, and iface.", ErrorCode::inval);
  }
  const std::string& name = request.ifaces.front();
  Report report;
  if (request.ifaces.size() > 1) {
    report.error(fmt::format(
        "iface mode only accepts one interface. Using the first one {}.", name));
  }
  if (!is_safe_component(name)) {
    report.append(fail(fmt::format("Could not read iface {} ({}).", name,
                                   exit_code(ErrorCode::inval)),
                       ErrorCode::inval));
    return report;
  }
  switch (request.ops) {
    case op_new: report.append(new_iface(db, name)); break;
    case op_delete: report.append(delete_iface(db, name, has_session)); break;
    case op_update: report.append(update_iface(db, request, name)); break;
    case op_noop:
    case op_show: report.append(show_iface(db.files(), request, name)); break;
    default: report.append(fail("Invalid operation.", ErrorCode::inval)); break;
  }
  return report;
}

}  // namespace iscsi::initiator::iscsiadm
