#pragma once
// Command numbering at the target (RFC 7143 §4.2.2.1): non-immediate commands are delivered in
// CmdSN order; one that arrives ahead of a gap waits in a bounded queue; one outside
// [ExpCmdSN, MaxCmdSN], or a CmdSN already received, is ignored without a response. ABORT TASK
// of a command that has not arrived yet marks its CmdSN so that the command is discarded on
// arrival (RFC 7143 §11.5.1) while ExpCmdSN still moves past it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/pdu/pdu.hpp"

namespace iscsi::target::session {

class CommandWindow {
 public:
  enum class Admission : std::uint8_t {
    deliver,        // CmdSN == ExpCmdSN: process it now (ExpCmdSN has moved past it)
    queued,         // ahead of a gap: held until the gap closes
    discarded,      // aborted before it arrived: consumed without processing
    too_low,        // CmdSN below ExpCmdSN: already received (C117)
    duplicate,      // CmdSN already queued
    out_of_window,  // CmdSN above MaxCmdSN (C116), or the queue is full
  };

  CommandWindow(std::uint32_t exp_cmd_sn, std::size_t max_pending);

  // A non-immediate command. `max_cmd_sn` is the window's upper edge as advertised. When the
  // result is `queued` the PDU has been moved into the queue.
  Admission admit(std::uint32_t cmd_sn, std::uint32_t max_cmd_sn, pdu::Pdu& pdu);

  // The queued command whose CmdSN is ExpCmdSN, if any; ExpCmdSN moves past it (and past any
  // discarded ones on the way).
  std::optional<pdu::Pdu> pop_ready();

  // ABORT TASK for a command that is not being processed: a queued one is marked to be
  // discarded, a missing one is remembered until it arrives. False when the command was not
  // queued and the memory of withheld aborts is full (kMaxWithheldAborts).
  bool abort_command(std::uint32_t cmd_sn);
  // Marks every queued command for which `match` holds as discarded; returns how many.
  std::size_t discard_queued(const std::function<bool(const pdu::Pdu&)>& match);

  // Whether a queued (not discarded) command carries this ITT.
  bool has_queued_itt(std::uint32_t itt) const;
  bool is_queued(std::uint32_t cmd_sn) const;

  std::uint32_t exp_cmd_sn() const { return exp_cmd_sn_; }
  std::size_t queued() const { return pending_.size(); }

 private:
  struct Entry {
    std::uint32_t cmd_sn;
    pdu::Pdu pdu;
    bool discard = false;
  };
  bool take_withheld(std::uint32_t cmd_sn);
  void advance();

  std::uint32_t exp_cmd_sn_;
  std::size_t max_pending_;
  std::vector<Entry> pending_;
  std::vector<std::uint32_t> withheld_;  // CmdSNs aborted before they arrived
};

}  // namespace iscsi::target::session
