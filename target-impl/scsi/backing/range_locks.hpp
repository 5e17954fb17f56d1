#pragma once
// LBA range locks of one logical unit. COMPARE AND WRITE, ORWRITE and WRITE ATOMIC must appear
// indivisible to every other command (SBC-3 §5.2, §5.10; SBC-4 §4.29): between their read and
// their write no other write may touch the range, and no read may see half of their write. The
// stores move data on a thread pool (files) or at call time with a later completion (memory),
// so the SBC layer serializes by range: ordinary reads and writes take shared locks, the
// indivisible commands exclusive ones. Waiters are granted in arrival order, so an exclusive
// request is not starved by a stream of shared ones.
#include <cstdint>
#include <functional>
#include <list>
#include <vector>

namespace iscsi::target::scsi::backing {

// Most locks held or waiting per LU: well above any command window a session negotiates.
inline constexpr std::size_t kMaxRangeLocks = 4096;

enum class LockMode : std::uint8_t { shared, exclusive };

class RangeLocks {
 public:
  using Ticket = std::uint64_t;

  using Granted = std::function<void(Ticket)>;

  // Asks for [lba, lba + count). `granted` runs with the ticket once the lock is held: before
  // acquire() returns when nothing conflicts, else later from inside the release() that frees
  // the way. Returns 0 (and never calls `granted`) when kMaxRangeLocks are already held or
  // waiting.
  Ticket acquire(std::uint64_t lba, std::uint64_t count, LockMode mode, Granted granted);
  // Releases a held lock (or withdraws a waiting one) and grants whoever may now run.
  void release(Ticket ticket);

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Ticket ticket;
    std::uint64_t first;
    std::uint64_t end;
    LockMode mode;
    bool held;
    Granted granted;
  };
  static bool conflicts(const Entry& a, const Entry& b);
  // Whether `it` may run: no earlier entry (held or waiting) conflicts with it.
  bool may_run(std::list<Entry>::const_iterator it) const;

  std::list<Entry> entries_;  // in arrival order
  Ticket next_ticket_ = 1;
  std::size_t exclusive_count_ = 0;
};

}  // namespace iscsi::target::scsi::backing
