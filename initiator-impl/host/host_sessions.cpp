// `-m session [-r SID] [-P N]` (usr/session_info.c): the flat list, or iscsiadm's tree with
// the lines iscsim can fill (no SCSI host, no sysfs).
#include <fmt/format.h>

#include "core/runtime/address.hpp"
#include "initiator-impl/host/host_core.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/portal.hpp"

namespace iscsi::initiator::host {
namespace {

namespace keys = iscsiadm::keys;
using iscsiadm::Report;

// iscsi_conn_state / iscsi_session_state names as iscsiadm prints them.
std::pair<std::string_view, std::string_view> state_words(client::Session::State state) {
  switch (state) {
    case client::Session::State::active: return {"LOGGED IN", "LOGGED_IN"};
    case client::Session::State::recovering: return {"TRANSPORT WAIT", "FAILED"};
    case client::Session::State::logging_out: return {"IN LOGOUT", "LOGGED_IN"};
    case client::Session::State::closed: return {"FREE", "FREE"};
  }
  return {"UNKNOWN", "UNKNOWN"};
}

std::string or_default(const std::string& value) { return value.empty() ? "default" : value; }

void negotiated_lines(const client::Session& session, Report& report) {
  const login::LoginResult& result = session.login_result();
  const auto& s = result.session;
  const auto& c = result.connection;
  const auto yes_no = [](bool value) { return value ? "Yes" : "No"; };
  report.say("\t\t************************");
  report.say("\t\tNegotiated iSCSI params:");
  report.say("\t\t************************");
  report.say(fmt::format("\t\tHeaderDigest: {}", c.header_digest == negotiation::Digest::crc32c
                                                     ? "CRC32C" : "None"));
  report.say(fmt::format("\t\tDataDigest: {}",
                         c.data_digest == negotiation::Digest::crc32c ? "CRC32C" : "None"));
  report.say(fmt::format("\t\tMaxRecvDataSegmentLength: {}",
                         c.initiator_max_recv_data_segment_length));
  report.say(fmt::format("\t\tMaxXmitDataSegmentLength: {}",
                         c.target_max_recv_data_segment_length));
  report.say(fmt::format("\t\tFirstBurstLength: {}", s.first_burst_length));
  report.say(fmt::format("\t\tMaxBurstLength: {}", s.max_burst_length));
  report.say(fmt::format("\t\tImmediateData: {}", yes_no(s.immediate_data)));
  report.say(fmt::format("\t\tInitialR2T: {}", yes_no(s.initial_r2t)));
  report.say(fmt::format("\t\tMaxOutstandingR2T: {}", s.max_outstanding_r2t));
}

void session_lines(const HostSession& entry, int level, Report& report) {
  const iscsiadm::SessionInfo info = session_info(entry);
  const iscsiadm::Record& node = entry.node;
  report.say(fmt::format("\tCurrent Portal: {},{}",
                         iscsiadm::format_portal(info.address, info.port), info.tpgt));
  report.say(fmt::format("\tPersistent Portal: {},{}",
                         iscsiadm::format_portal(node.get(keys::conn_address),
                                                 node.get_int(keys::conn_port)),
                         info.tpgt));
  report.say("\t\t**********");
  report.say("\t\tInterface:");
  report.say("\t\t**********");
  report.say("\t\tIface Name: " + info.iface);
  report.say("\t\tIface Transport: " + node.get(keys::iface_transport));
  report.say("\t\tIface Initiatorname: " + entry.initiator_name);
  report.say("\t\tIface IPaddress: " + runtime::format_ipv4(entry.session->key().initiator.ipv4));
  report.say("\t\tIface HWaddress: " + or_default(node.get(keys::iface_hwaddress)));
  report.say("\t\tIface Netdev: " + or_default(node.get(keys::iface_netdev)));
  report.say(fmt::format("\t\tSID: {}", info.sid));
  const auto [connection, session] = state_words(entry.session->state());
  report.say(fmt::format("\t\tiSCSI Connection State: {}", connection));
  report.say(fmt::format("\t\tiSCSI Session State: {}", session));
  report.say("\t\tInternal iscsid Session State: NO CHANGE");
  if (level >= 2) negotiated_lines(*entry.session, report);
}

}  // namespace

iscsiadm::SessionInfo session_info(const HostSession& entry) {
  iscsiadm::SessionInfo info;
  info.sid = entry.sid;
  info.target = entry.node.get(keys::node_name);
  // The portal of the current connection (after a redirection, the one it was sent to).
  const runtime::Endpoint portal = entry.session->key().target;
  info.address = runtime::format_ipv4(portal.ipv4);
  info.port = portal.port;
  const auto tag = entry.session->login_result().target_portal_group_tag;
  info.tpgt = tag ? *tag : entry.node.get_int(keys::node_tpgt);
  info.iface = entry.node.get(keys::iface_name);
  return info;
}

Report session_tree(const std::vector<const HostSession*>& sessions, int level) {
  Report report;
  std::string last_target;
  for (const HostSession* entry : sessions) {
    const std::string& target = entry->node.get(keys::node_name);
    if (target != last_target) report.say(fmt::format("Target: {} (non-flash)", target));
    last_target = target;
    session_lines(*entry, level, report);
  }
  return report;
}

Report HostCore::run_session_mode(const iscsiadm::Request& request) {
  Report report;
  if (request.print_level < -1 || request.print_level > 3) {
    report.error(fmt::format("Invalid info level {}. Try 0 - 3.", request.print_level));
    report.exit_code = iscsiadm::exit_code(iscsiadm::ErrorCode::inval);
    return report;
  }
  std::vector<const HostSession*> chosen;
  for (const auto& [sid, entry] : table()) {
    if (!request.sid || *request.sid == sid) chosen.push_back(&entry);
  }
  if (request.sid && chosen.empty()) {
    const int code = iscsiadm::exit_code(iscsiadm::ErrorCode::sess_not_found);
    report.error(fmt::format("Could not get session info for sid {}", *request.sid));
    report.error(fmt::format("initiator reported error ({} - {})", code,
                             iscsiadm::error_message(code)));
    report.exit_code = code;
    return report;
  }
  if (request.sid && request.ops == iscsiadm::op_show) {
    report.out += chosen.front()->node.show(request.show);
    return report;
  }
  if (request.ops != iscsiadm::op_noop) {
    report.error("operation is not supported.");
    report.exit_code = iscsiadm::exit_code(iscsiadm::ErrorCode::inval);
    return report;
  }
  if (!chosen.empty() && request.print_level >= 1) return session_tree(chosen, request.print_level);
  std::vector<iscsiadm::SessionInfo> infos;
  for (const HostSession* entry : chosen) infos.push_back(session_info(*entry));
  return iscsiadm::session_list(infos);
}

}  // namespace iscsi::initiator::host
