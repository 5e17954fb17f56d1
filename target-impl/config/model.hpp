#pragma once
// The reference target's configuration: what tgtadm's commands (or the structured YAML form)
// build, and what the login engine, discovery and the SCSI ports read. Plain data with value
// semantics: the server keeps the live copy, applies tgtadm commands to it, and hands each new
// login a const reference. Names follow tgt 1.0.85's vocabulary (tid, lun, bstype, account).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::target::config {

// Which documented behaviour the target follows (DESIGN.md "Quirk profiles").
enum class Profile : std::uint8_t {
  rfc,  // RFC 7143 as written: ACL denial 0x0202, standard CHAP algorithms
  tgt,  // tgt 1.0.85: ACL denial 0x0203, SHA-1 as CHAP_A 7, digests/ERL answered None/0 ...
};

std::string_view to_string(Profile profile);
std::optional<Profile> parse_profile(std::string_view text);

// tgtadm --bstype. `aio` is accepted as tgt accepts it and behaves as rdwr here.
enum class BackingType : std::uint8_t {
  rdwr,  // a file or block device path (pread/pwrite; UNMAP punches holes)
  aio,
  null,  // no storage: reads return zeros, writes are discarded (tgt's bs_null)
  ram,   // sparse memory; --backing-store gives the size ("64M", "1G", bytes)
};

struct LunParams {
  bool readonly = false;           // --params readonly=1: writes fail with DATA PROTECT
  bool removable = false;          // --params removable=1: RMB set, START STOP ejects
  bool thin_provisioning = false;  // --params thin_provisioning=1: LBPME, UNMAP, GET LBA STATUS
  // Added by the config part (tgt's other `--op update --mode logicalunit --params` keys).
  bool online = true;              // online=0: the medium is absent (NOT READY)
  std::uint8_t sense_format = 0;   // sense_format=1: descriptor-format sense data
  // Empty: tgt's defaults (vendor "IET", product "VIRTUAL-DISK", revision "0001").
  std::string vendor_id;
  std::string product_id;
  std::string product_rev;
  // Block Limits / READ CAPACITY tuning as tgt's lbppbe, la_lba, optimal_xfer_gran and
  // optimal_xfer_len; absent means "the device emulation's default".
  std::optional<std::uint32_t> lbppbe;
  std::optional<std::uint32_t> la_lba;
  std::optional<std::uint32_t> optimal_xfer_gran;
  std::optional<std::uint32_t> optimal_xfer_len;
  // iscsim's own key, sanitize_ms=N: a SANITIZE lasts at least N milliseconds. A RAM LUN
  // sanitizes in milliseconds where a drive takes minutes, too fast to watch it in progress
  // (labs, libiscsi's Sanitize.Reset). Absent: as fast as the store allows.
  std::optional<std::uint32_t> sanitize_ms;
};

struct LunConfig {
  std::uint32_t lun = 0;      // 1..N for disks (LUN 0 is the controller, never configured)
  std::string backing_store;  // path for rdwr/aio, size text for ram, anything for null
  BackingType bstype = BackingType::rdwr;
  // Size in bytes: for ram parsed from backing_store; for files filled in by the server when
  // it opens the backing store; for null tgt reports 0 unless a size is given.
  std::uint64_t size_bytes = 0;
  LunParams params;
  // INQUIRY identity. Empty: tgt's defaults ("IET     %04x%04x" from tid and lun for the SCSI
  // ID, "beaf" followed by tid and lun digits for the serial number).
  std::string scsi_id;
  std::string scsi_sn;
  // Added by the config part: --blocksize (logical block size in bytes; tgt ignores values
  // that are not a power of two of at least 512) and --bsoflags ("sync", "direct",
  // "sync:direct"), both as tgtadm accepts them.
  std::uint32_t block_size = 512;
  std::string bsoflags;
};

// One entry of a target's initiator-address ACL: "ALL", an IPv4 address, or a CIDR.
struct AddressRule {
  bool all = false;
  std::uint32_t network = 0;  // host byte order, already masked
  std::uint8_t prefix_length = 32;
  std::string text;  // as the user typed it, for --op show
};

struct Account {
  std::string user;
  std::string password;
  // Added by the config part: creation order (tgtadm --op show --mode account lists the
  // newest account first, as tgt does).
  std::uint64_t creation_order = 0;
};

struct TargetConfig {
  std::uint32_t tid = 0;
  std::string name;  // the IQN
  std::map<std::uint32_t, LunConfig> luns;
  std::vector<AddressRule> initiator_addresses;
  std::vector<std::string> initiator_names;
  std::vector<std::string> incoming_users;  // accounts bound to this target (CHAP required)
  std::optional<std::string> outgoing_user;  // mutual CHAP credentials of the target
  // `--op update --name K --value V`: negotiation keys (HeaderDigest, DataDigest,
  // MaxRecvDataSegmentLength, ...) and RedirectAddress/RedirectPort/RedirectReason. Only keys
  // set by an update are present; the key is spelled as tgt's table spells it and the value is
  // canonical ("65536", "No"; digests as the offer list "CRC32C,None" or "None", because tgt
  // always allows None); target_params.hpp gives the effective value of every key, defaults
  // included.
  std::map<std::string, std::string, std::less<>> params;
  // Added by the config part: tgt's per-target NOP-In settings (`--name nop_interval` and
  // `--name nop_count`); 0 disables the target's own pings.
  std::uint32_t nop_interval = 0;
  std::uint32_t nop_count = 0;
};

struct SystemConfig {
  std::map<std::uint32_t, TargetConfig> targets;  // by tid
  std::map<std::string, Account, std::less<>> accounts;  // by user name
  // Accounts that must authenticate a Discovery session (none: no CHAP on discovery).
  std::vector<std::string> discovery_incoming_users;
  std::optional<std::string> discovery_outgoing_user;

  const TargetConfig* find_target(std::string_view name) const;
  const Account* find_account(std::string_view user) const;
};

// tgt's ACL rule: admitted when the initiator's address matches an address rule or its name is
// bound; with nothing bound, nobody is admitted (peer-behaviour.md).
bool admits(const TargetConfig& target, std::uint32_t initiator_ipv4,
            std::string_view initiator_name);

}  // namespace iscsi::target::config
