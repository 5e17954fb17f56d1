#pragma once
// What executing a tgtadm request needs from the running target, and what it asks the running
// target to do. The executor itself never touches files, sockets or sessions: the server
// implements ExecutionHost and applies the returned Effects.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "target-impl/config/model.hpp"

namespace iscsi::target::config {

struct ConnectionInfo {
  std::uint16_t cid = 0;
  std::string address;  // the initiator's address as tgt prints it: "127.0.0.1"
};

// One I_T nexus (session) of a target, for `--op show` and for refusing to delete a busy
// target.
struct NexusInfo {
  std::uint64_t nexus_id = 0;  // tgt prints the TSIH here
  std::string initiator;       // InitiatorName
  std::string alias;           // InitiatorAlias; empty prints as "none"
  std::vector<ConnectionInfo> connections;
};

// Run-time LUN state that the SCSI layer owns and `--op show` prints.
struct LunRuntimeState {
  bool prevent_removal = false;  // PREVENT ALLOW MEDIUM REMOVAL in force
  bool swp = false;              // software write protect (MODE SELECT control page)
};

class ExecutionHost {
 public:
  virtual ~ExecutionHost() = default;
  // Checks that an rdwr/aio backing store can be opened (read-write unless the LUN is
  // read-only) and returns its size in bytes. Any failure makes tgtadm answer "invalid
  // request", as tgtd does for a missing file or a directory.
  virtual Result<std::uint64_t> probe_backing_store(const LunConfig& lun) = 0;
  // The live sessions of a target (empty when none).
  virtual std::vector<NexusInfo> sessions(std::uint32_t tid) const = 0;
  virtual LunRuntimeState lun_state(std::uint32_t /*tid*/, std::uint32_t /*lun*/) const {
    return {};
  }
  // `--mode portal --op show` lines: "127.0.0.1:3260,1".
  virtual std::vector<std::string> portals() const { return {}; }
};

// What the server must do after a successful request.
enum class EffectKind : std::uint8_t {
  target_added,
  target_removed,    // close the target's sessions (only with --force while it has any)
  target_updated,    // ACL, accounts or parameters changed: they apply to new logins
  lun_added,         // open the backing store and attach a SCSI port
  lun_removed,
  lun_updated,       // parameters or backing store of an existing LUN changed
  accounts_changed,  // an account was created or deleted, or discovery accounts changed
  system_shutdown,   // `--mode system --op delete`: stop serving and exit
};

struct Effect {
  EffectKind kind = EffectKind::target_updated;
  std::uint32_t tid = 0;
  std::uint32_t lun = 0;

  bool operator==(const Effect&) const = default;
};

}  // namespace iscsi::target::config
