#pragma once
// The target's sessions: TSIH allocation (RFC 7143 §11.12.6: non-zero, unique among the
// target's live sessions), I_T nexus ids, session reinstatement (§6.3.5: a new leading login
// with the same InitiatorName, ISID and target replaces the old session), the sessions a task
// management function reaches (all sessions of one target), and the I_T nexus listing of
// tgtadm --op show. Plain bookkeeping: the server acts on what it returns.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/pdu/isid.hpp"
#include "core/runtime/stream.hpp"
#include "target-impl/login/login_engine.hpp"
#include "target-impl/scsi/port.hpp"

namespace iscsi::target::server {

// How the server reaches a live session (the connection driver implements it).
class SessionHandle {
 public:
  virtual ~SessionHandle() = default;
  // Ends the session at once: its connection is reset and its tasks are aborted.
  virtual void close_session(std::string_view reason) = 0;
  // Another session's task management reached this one (RFC 7143 §11.5.1, SAM-5 §7).
  virtual void abort_tasks(std::optional<pdu::Lun> lun) = 0;
};

struct SessionInfo {
  std::uint16_t tsih = 0;
  scsi::NexusId nexus = 0;          // 0 for a Discovery session
  std::optional<std::uint32_t> tid;  // nullopt for a Discovery session
  std::string target_name;
  std::string initiator_name;
  std::string initiator_alias;
  pdu::Isid isid{};
  std::uint16_t cid = 0;
  runtime::Endpoint initiator;
  SessionHandle* handle = nullptr;
};

// Sessions served at once by default; TSIHs are 16 bits, so never more than 65535.
inline constexpr std::size_t kDefaultMaxSessions = 1024;

class SessionRegistry {
 public:
  explicit SessionRegistry(std::size_t max_sessions = kDefaultMaxSessions);

  // A TSIH no live session uses, drawn round-robin so a value is not reused at once (a late
  // PDU of an old session then cannot meet a new one); nullopt when max_sessions are live.
  std::optional<std::uint16_t> allocate_tsih();
  login::TsihLookup lookup(std::uint16_t tsih) const;
  // A fresh I_T nexus id, never reused in this registry's lifetime.
  scsi::NexusId next_nexus_id() { return next_nexus_++; }

  // Records a session that reached full feature phase. Normal sessions with the same
  // InitiatorName, ISID and target are removed and returned: the caller closes them
  // (reinstatement). A TSIH already in use is replaced the same way.
  std::vector<SessionInfo> add(const SessionInfo& info);
  // Forgets the session; false when no session has that TSIH.
  bool remove(std::uint16_t tsih);
  const SessionInfo* find(std::uint16_t tsih) const;

  // The normal sessions of target `tid`, oldest first (tgtadm lists its I_T nexuses so).
  std::vector<SessionInfo> sessions_of(std::uint32_t tid) const;
  std::vector<SessionInfo> all() const;
  std::size_t size() const { return sessions_.size(); }
  std::size_t max_sessions() const { return max_sessions_; }

 private:
  std::size_t max_sessions_;
  std::uint16_t next_tsih_ = 1;
  scsi::NexusId next_nexus_ = 1;
  std::map<std::uint16_t, SessionInfo> sessions_;  // by TSIH
};

}  // namespace iscsi::target::server
