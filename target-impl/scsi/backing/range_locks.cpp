#include "target-impl/scsi/backing/range_locks.hpp"

#include <iterator>
#include <utility>

namespace iscsi::target::scsi::backing {

bool RangeLocks::conflicts(const Entry& a, const Entry& b) {
  const bool overlap = a.first < b.end && b.first < a.end;
  return overlap && (a.mode == LockMode::exclusive || b.mode == LockMode::exclusive);
}

bool RangeLocks::may_run(std::list<Entry>::const_iterator it) const {
  // Without any exclusive entry nothing can conflict: the common read/write path stays O(1).
  if (exclusive_count_ == 0) return true;
  for (auto earlier = entries_.begin(); earlier != it; ++earlier) {
    if (conflicts(*earlier, *it)) return false;
  }
  return true;
}

RangeLocks::Ticket RangeLocks::acquire(std::uint64_t lba, std::uint64_t count, LockMode mode,
                                       Granted granted) {
  if (entries_.size() >= kMaxRangeLocks) return 0;
  const Ticket ticket = next_ticket_++;
  // A zero-length range still orders the command behind conflicting ones: give it one block.
  // A range that would wrap past 2^64 is cut there.
  const std::uint64_t length = count == 0 ? 1 : count;
  const std::uint64_t end = lba + length < lba ? ~std::uint64_t{0} : lba + length;
  entries_.push_back(Entry{ticket, lba, end, mode, false, std::move(granted)});
  if (mode == LockMode::exclusive) ++exclusive_count_;
  auto it = std::prev(entries_.end());
  if (may_run(it)) {
    it->held = true;
    auto run = std::move(it->granted);
    run(ticket);
  }
  return ticket;
}

void RangeLocks::release(Ticket ticket) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->ticket != ticket) continue;
    if (it->mode == LockMode::exclusive) --exclusive_count_;
    entries_.erase(it);
    break;
  }
  // Grant every waiter that may now run; call them after the scan, because a granted command
  // may acquire or release locks itself.
  std::vector<std::pair<Ticket, Granted>> to_run;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->held || !may_run(it)) continue;
    it->held = true;
    to_run.emplace_back(it->ticket, std::move(it->granted));
  }
  for (auto& [granted_ticket, run] : to_run) run(granted_ticket);
}

}  // namespace iscsi::target::scsi::backing
