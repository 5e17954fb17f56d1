#include "target-impl/session/command_window.hpp"

#include <algorithm>

#include "core/common/serial.hpp"
#include "target-impl/session/session_limits.hpp"

namespace iscsi::target::session {

CommandWindow::CommandWindow(std::uint32_t exp_cmd_sn, std::size_t max_pending)
    : exp_cmd_sn_(exp_cmd_sn), max_pending_(std::min(max_pending, kMaxPendingCommands)) {}

CommandWindow::Admission CommandWindow::admit(std::uint32_t cmd_sn, std::uint32_t max_cmd_sn,
                                              pdu::Pdu& pdu) {
  if (serial_lt(cmd_sn, exp_cmd_sn_)) return Admission::too_low;
  // RFC 7143 §4.2.2.1: outside [ExpCmdSN, MaxCmdSN] the command is silently ignored. A value
  // whose comparison is undefined (2^31 away) is outside too.
  if (!serial_in_window(cmd_sn, exp_cmd_sn_, max_cmd_sn)) return Admission::out_of_window;
  if (cmd_sn == exp_cmd_sn_) {
    const bool discard = take_withheld(cmd_sn);
    advance();
    return discard ? Admission::discarded : Admission::deliver;
  }
  if (is_queued(cmd_sn)) return Admission::duplicate;
  if (pending_.size() >= max_pending_) return Admission::out_of_window;
  const bool discard = take_withheld(cmd_sn);
  pending_.push_back(Entry{cmd_sn, std::move(pdu), discard});
  return Admission::queued;
}

std::optional<pdu::Pdu> CommandWindow::pop_ready() {
  // Each pass removes one entry, so the loop ends after at most pending_.size() passes.
  while (!pending_.empty()) {
    const auto it = std::find_if(pending_.begin(), pending_.end(),
                                 [this](const Entry& e) { return e.cmd_sn == exp_cmd_sn_; });
    if (it == pending_.end()) return std::nullopt;
    Entry entry = std::move(*it);
    pending_.erase(it);
    advance();
    if (!entry.discard) return std::move(entry.pdu);
  }
  return std::nullopt;
}

bool CommandWindow::abort_command(std::uint32_t cmd_sn) {
  for (Entry& entry : pending_) {
    if (entry.cmd_sn == cmd_sn) {
      entry.discard = true;
      return true;
    }
  }
  if (std::find(withheld_.begin(), withheld_.end(), cmd_sn) != withheld_.end()) return true;
  if (withheld_.size() >= kMaxWithheldAborts) return false;
  withheld_.push_back(cmd_sn);
  return true;
}

std::size_t CommandWindow::discard_queued(const std::function<bool(const pdu::Pdu&)>& match) {
  std::size_t count = 0;
  for (Entry& entry : pending_) {
    if (!entry.discard && match(entry.pdu)) {
      entry.discard = true;
      ++count;
    }
  }
  return count;
}

bool CommandWindow::has_queued_itt(std::uint32_t itt) const {
  return std::any_of(pending_.begin(), pending_.end(), [itt](const Entry& e) {
    return !e.discard && pdu::itt(e.pdu) == itt;
  });
}

bool CommandWindow::is_queued(std::uint32_t cmd_sn) const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [cmd_sn](const Entry& e) { return e.cmd_sn == cmd_sn; });
}

bool CommandWindow::take_withheld(std::uint32_t cmd_sn) {
  const auto it = std::find(withheld_.begin(), withheld_.end(), cmd_sn);
  if (it == withheld_.end()) return false;
  withheld_.erase(it);
  return true;
}

void CommandWindow::advance() {
  exp_cmd_sn_ = serial_add(exp_cmd_sn_, 1);
  // A withheld CmdSN that ExpCmdSN has passed can no longer arrive in order.
  std::erase_if(withheld_, [this](std::uint32_t sn) { return serial_lt(sn, exp_cmd_sn_); });
}

}  // namespace iscsi::target::session
