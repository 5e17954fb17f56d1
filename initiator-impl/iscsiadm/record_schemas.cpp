// The keys of open-iscsi 2.1.8's node, discovery and iface records that iscsim honours, in
// the order `iscsiadm -o show` prints them (usr/idbm.c idbm_recinfo_node/_discovery/_iface),
// with idbm_node_setup_defaults()'s defaults. Keys iscsim has no use for are left out rather
// than printed with values that would mean nothing here.
#include <array>

#include "initiator-impl/iscsiadm/record.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

constexpr std::array<std::string_view, 3> kStartup{"manual", "automatic", "onboot"};
constexpr std::array<std::string_view, 2> kNoYes{"No", "Yes"};
constexpr std::array<std::string_view, 2> kAuth{"None", "CHAP"};
constexpr std::array<std::string_view, 6> kDiscType{
    "send_targets", "isns", "offload_send_targets", "slp", "static", "fw"};
constexpr std::array<std::string_view, 4> kDigest{"None", "CRC32C", "CRC32C,None", "None,CRC32C"};
constexpr std::array<std::string_view, 2> kDiscStartup{"manual", "automatic"};
constexpr std::array<std::string_view, 6> kDiscRecType{
    "sendtargets", "isns", "offload_send_targets", "slp", "static", "fw"};

constexpr std::span<const std::string_view> none{};
constexpr FieldKind S = FieldKind::string;
constexpr FieldKind I = FieldKind::integer;
constexpr FieldKind C = FieldKind::choice;
constexpr Visibility masked = Visibility::masked;

constexpr std::array<FieldSpec, 44> kNode{{
    {"node.name", S, "", none, false},
    {"node.tpgt", I, "-1", none, false},
    {"node.startup", C, "manual", kStartup, true},
    {"node.leading_login", C, "No", kNoYes, true},
    {"iface.iscsi_ifacename", S, "default", none, true},
    {"iface.net_ifacename", S, "", none, true},
    {"iface.ipaddress", S, "", none, true},
    {"iface.hwaddress", S, "", none, true},
    {"iface.transport_name", S, "tcp", none, true},
    {"iface.initiatorname", S, "", none, true},
    {"node.discovery_address", S, "", none, false},
    {"node.discovery_port", I, "0", none, false},
    {"node.discovery_type", C, "static", kDiscType, false},
    {"node.session.initial_cmdsn", I, "0", none, true},
    {"node.session.initial_login_retry_max", I, "8", none, true},
    {"node.session.cmds_max", I, "128", none, true},
    {"node.session.queue_depth", I, "32", none, true},
    {"node.session.nr_sessions", I, "1", none, true},
    {"node.session.auth.authmethod", C, "None", kAuth, true},
    {"node.session.auth.username", S, "", none, true},
    {"node.session.auth.password", S, "", none, true, masked},
    {"node.session.auth.username_in", S, "", none, true},
    {"node.session.auth.password_in", S, "", none, true, masked},
    {"node.session.auth.chap_algs", FieldKind::chap_list, "MD5", none, true},
    {"node.session.timeo.replacement_timeout", I, "120", none, true},
    {"node.session.iscsi.InitialR2T", C, "No", kNoYes, true},
    {"node.session.iscsi.ImmediateData", C, "Yes", kNoYes, true},
    {"node.session.iscsi.FirstBurstLength", I, "262144", none, true},
    {"node.session.iscsi.MaxBurstLength", I, "16776192", none, true},
    {"node.session.iscsi.DefaultTime2Retain", I, "0", none, true},
    {"node.session.iscsi.DefaultTime2Wait", I, "2", none, true},
    {"node.session.iscsi.MaxConnections", I, "1", none, true},
    {"node.session.iscsi.MaxOutstandingR2T", I, "1", none, true},
    {"node.session.iscsi.ERL", I, "0", none, true},
    {"node.conn[0].address", S, "", none, false},
    {"node.conn[0].port", I, "3260", none, false},
    {"node.conn[0].startup", C, "manual", kStartup, true},
    {"node.conn[0].timeo.logout_timeout", I, "15", none, true},
    {"node.conn[0].timeo.login_timeout", I, "15", none, true},
    {"node.conn[0].timeo.noop_out_interval", I, "5", none, true},
    {"node.conn[0].timeo.noop_out_timeout", I, "5", none, true},
    {"node.conn[0].iscsi.MaxRecvDataSegmentLength", I, "262144", none, true},
    {"node.conn[0].iscsi.HeaderDigest", C, "None", kDigest, true},
    {"node.conn[0].iscsi.DataDigest", C, "None", kDigest, true},
}};

constexpr std::array<FieldSpec, 12> kDiscovery{{
    {"discovery.startup", C, "manual", kDiscStartup, true},
    {"discovery.type", C, "sendtargets", kDiscRecType, false},
    {"discovery.sendtargets.address", S, "", none, false},
    {"discovery.sendtargets.port", I, "3260", none, false},
    {"discovery.sendtargets.auth.authmethod", C, "None", kAuth, true},
    {"discovery.sendtargets.auth.username", S, "", none, true},
    {"discovery.sendtargets.auth.password", S, "", none, true, masked},
    {"discovery.sendtargets.auth.username_in", S, "", none, true},
    {"discovery.sendtargets.auth.password_in", S, "", none, true, masked},
    {"discovery.sendtargets.timeo.login_timeout", I, "15", none, true},
    {"discovery.sendtargets.reopen_max", I, "5", none, true},
    {"discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", I, "32768", none, true},
}};

constexpr std::array<FieldSpec, 6> kIface{{
    {"iface.iscsi_ifacename", S, "", none, false},
    {"iface.net_ifacename", S, "", none, true},
    {"iface.ipaddress", S, "", none, true},
    {"iface.hwaddress", S, "", none, true},
    {"iface.transport_name", S, "tcp", none, true},
    {"iface.initiatorname", S, "", none, true},
}};

}  // namespace

Schema node_schema() { return kNode; }
Schema discovery_schema() { return kDiscovery; }
Schema iface_schema() { return kIface; }

}  // namespace iscsi::initiator::iscsiadm
