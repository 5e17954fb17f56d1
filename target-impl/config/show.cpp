#include "target-impl/config/show.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "target-impl/config/target_params.hpp"

namespace iscsi::target::config {
namespace {

constexpr std::string_view tab1 = "    ";
constexpr std::string_view tab2 = "        ";
constexpr std::string_view tab3 = "            ";
constexpr std::string_view tab4 = "                ";

const char* yes_no(bool value) { return value ? "Yes" : "No"; }

// The fields of one "LUN: N" block in tgt's order.
struct LunView {
  std::uint64_t lun = 0;
  std::string_view type;
  std::string scsi_id;
  std::string scsi_sn;
  std::uint64_t size = 0;
  std::uint32_t block_size = 512;
  bool online = true;
  bool removable = false;
  bool prevent_removal = false;
  bool readonly = false;
  bool swp = false;
  bool thin = false;
  std::string_view bstype;
  std::string path;
  std::string flags;
};

void append_lun(std::string& out, const LunView& v) {
  out += fmt::format("{}LUN: {}\n", tab2, v.lun);
  out += fmt::format("{}Type: {}\n", tab3, v.type);
  out += fmt::format("{}SCSI ID: {}\n", tab3, v.scsi_id);
  out += fmt::format("{}SCSI SN: {}\n", tab3, v.scsi_sn);
  out += fmt::format("{}Size: {}, Block size: {}\n", tab3, format_disk_size(v.size), v.block_size);
  out += fmt::format("{}Online: {}\n", tab3, yes_no(v.online));
  out += fmt::format("{}Removable media: {}\n", tab3, yes_no(v.removable));
  out += fmt::format("{}Prevent removal: {}\n", tab3, yes_no(v.prevent_removal));
  out += fmt::format("{}Readonly: {}\n", tab3, yes_no(v.readonly));
  out += fmt::format("{}SWP: {}\n", tab3, yes_no(v.swp));
  out += fmt::format("{}Thin-provisioning: {}\n", tab3, yes_no(v.thin));
  out += fmt::format("{}Backing store type: {}\n", tab3, v.bstype);
  out += fmt::format("{}Backing store path: {}\n", tab3, v.path);
  out += fmt::format("{}Backing store flags: {}\n", tab3, v.flags);
}

// LUN 0: the controller tgt creates with every target (TYPE_RAID on bs_null).
LunView controller_view(std::uint32_t tid) {
  LunView v;
  v.lun = 0;
  v.type = "controller";
  v.scsi_id = default_scsi_id(tid, 0);
  v.scsi_sn = default_scsi_sn(tid, 0);
  v.block_size = 1;
  v.bstype = "null";
  v.path = "None";
  return v;
}

LunView disk_view(std::uint32_t tid, const LunConfig& lun, const LunRuntimeState& state) {
  LunView v;
  v.lun = lun.lun;
  v.type = "disk";
  v.scsi_id = lun.scsi_id.empty() ? default_scsi_id(tid, lun.lun) : lun.scsi_id;
  v.scsi_sn = lun.scsi_sn.empty() ? default_scsi_sn(tid, lun.lun) : lun.scsi_sn;
  v.size = lun.size_bytes;
  v.block_size = lun.block_size;
  v.online = lun.params.online;
  v.removable = lun.params.removable;
  v.prevent_removal = state.prevent_removal;
  v.readonly = lun.params.readonly;
  v.swp = state.swp;
  v.thin = lun.params.thin_provisioning;
  v.bstype = to_string(lun.bstype);
  v.path = lun.backing_store.empty() ? "None" : lun.backing_store;
  v.flags = lun.bsoflags;
  return v;
}

void append_nexus(std::string& out, const NexusInfo& nexus) {
  out += fmt::format("{}I_T nexus: {}\n", tab2, nexus.nexus_id);
  out += fmt::format("{}Initiator: {} alias: {}\n", tab3, nexus.initiator,
                     nexus.alias.empty() ? "none" : nexus.alias);
  for (const ConnectionInfo& conn : nexus.connections) {
    out += fmt::format("{}Connection: {}\n", tab3, conn.cid);
    out += fmt::format("{}IP Address: {}\n", tab4, conn.address);
  }
}

void append_target(std::string& out, const TargetConfig& target, const ExecutionHost& host) {
  out += fmt::format("Target {}: {}\n", target.tid, target.name);
  out += fmt::format("{}System information:\n{}Driver: iscsi\n{}State: ready\n", tab1, tab2, tab2);
  if (target.nop_interval != 0) {
    out += fmt::format("{}Nop interval: {}\n{}Nop count: {}\n", tab2, target.nop_interval, tab2,
                       target.nop_count);
  }
  out += fmt::format("{}I_T nexus information:\n", tab1);
  for (const NexusInfo& nexus : host.sessions(target.tid)) append_nexus(out, nexus);
  out += fmt::format("{}LUN information:\n", tab1);
  append_lun(out, controller_view(target.tid));
  for (const auto& [number, lun] : target.luns) {
    append_lun(out, disk_view(target.tid, lun, host.lun_state(target.tid, number)));
  }
  out += fmt::format("{}Account information:\n", tab1);
  for (const std::string& user : target.incoming_users) out += fmt::format("{}{}\n", tab2, user);
  if (target.outgoing_user) out += fmt::format("{}{} (outgoing)\n", tab2, *target.outgoing_user);
  out += fmt::format("{}ACL information:\n", tab1);
  for (const AddressRule& rule : target.initiator_addresses) {
    out += fmt::format("{}{}\n", tab2, rule.text);
  }
  for (const std::string& name : target.initiator_names) out += fmt::format("{}{}\n", tab2, name);
}

}  // namespace

std::string_view to_string(BackingType type) {
  switch (type) {
    case BackingType::rdwr: return "rdwr";
    case BackingType::aio: return "aio";
    case BackingType::null: return "null";
    case BackingType::ram: return "ram";
  }
  return "rdwr";
}

std::string format_disk_size(std::uint64_t size_bytes) {
  // tgt: mb = ((size / 512) - (((size / 512) / 625) - 974)) / 1950, in unsigned 64-bit
  // arithmetic (the inner subtraction wraps for small sizes and the outer one wraps back).
  std::uint64_t blocks = size_bytes / 512U;
  std::uint64_t mb = (blocks - ((blocks / 625U) - 974U)) / 1950U;
  return fmt::format("{} MB", mb);
}

std::string default_scsi_id(std::uint32_t tid, std::uint32_t lun) {
  return fmt::format("IET     {:04x}{:04x}", tid, lun);
}

std::string default_scsi_sn(std::uint32_t tid, std::uint32_t lun) {
  return fmt::format("beaf{}{}", tid, lun);
}

std::string show_targets(const SystemConfig& config, const ExecutionHost& host) {
  std::string out;
  for (const auto& [tid, target] : config.targets) append_target(out, target, host);
  return out;
}

std::string show_target_params(const TargetConfig& target) {
  auto address = target.params.find("RedirectAddress");
  if (address != target.params.end() && !address->second.empty()) {
    auto port = target.params.find("RedirectPort");
    auto reason = target.params.find("RedirectReason");
    return fmt::format("RedirectAddress={}\nRedirectPort={}\nRedirectReason={}\n",
                       address->second, port != target.params.end() ? port->second : "",
                       reason != target.params.end() ? reason->second : "Unknown");
  }
  std::string out = fmt::format("nop_interval={}\nnop_count={}\n", target.nop_interval,
                                target.nop_count);
  for (const auto& [key, value] : effective_params(target)) {
    out += key + "=" + display_param_value(*find_param_spec(key), value) + "\n";
  }
  return out;
}

std::string show_accounts(const SystemConfig& config) {
  std::vector<const Account*> accounts;
  for (const auto& [user, account] : config.accounts) accounts.push_back(&account);
  if (accounts.empty()) return {};
  std::sort(accounts.begin(), accounts.end(), [](const Account* a, const Account* b) {
    return a->creation_order > b->creation_order;
  });
  std::string out = "Account list:\n";
  for (const Account* account : accounts) out += fmt::format("{}{}\n", tab1, account->user);
  return out;
}

std::string show_system(const SystemConfig& config) {
  std::string out = fmt::format("System:\n{0}State: ready\n{0}debug: off\n", tab1);
  out += fmt::format("LLDs:\n{}iscsi: ready\n", tab1);
  out += fmt::format("Backing stores:\n{0}ram\n{0}null\n{0}rdwr (bsoflags sync:direct)\n{0}aio\n",
                     tab1);
  out += fmt::format("Device types:\n{0}disk\n{0}controller\n", tab1);
  // tgt prints the discovery (global target) accounts only when an incoming one exists, with
  // a stray empty line after the heading.
  if (!config.discovery_incoming_users.empty()) {
    out += fmt::format("{}Account information:\n\n", tab1);
    for (const std::string& user : config.discovery_incoming_users) {
      out += fmt::format("{}{}\n", tab1, user);
    }
    if (config.discovery_outgoing_user) {
      out += fmt::format("{}{} (outgoing)\n", tab1, *config.discovery_outgoing_user);
    }
  }
  out += fmt::format("iSNS:\n{0}iSNS=Off\n{0}iSNSServerIP=\n{0}iSNSServerPort=3205\n"
                     "{0}iSNSAccessControl=Off\n", tab1);
  return out;
}

std::string show_lld(const SystemConfig& config) {
  std::string out = fmt::format("LLDs:\n{}iscsi: ready\n", tab1);
  for (const auto& [tid, target] : config.targets) {
    out += fmt::format("{}Target {}: {}\n", tab2, tid, target.name);
  }
  // tgt lists its iSER driver too; it is not available here, as on a host without RDMA.
  out += fmt::format("{}iser: error\n", tab1);
  return out;
}

std::string show_portals(const ExecutionHost& host) {
  std::string out;
  for (const std::string& portal : host.portals()) out += "Portal: " + portal + "\n";
  return out;
}

}  // namespace iscsi::target::config
