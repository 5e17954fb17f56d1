#pragma once
// SCSI Command PDUs without immediate data held back to share one write (one send system call,
// one TCP segment) while the target still has enough commands of ours to work on. With a deep
// queue each completion frees room for one new command, so without this every command costs a
// send of its own; the kernel's work for a small loopback send (both TCP ends run in the
// sender's system call) was the largest part of our CPU per GB left above libiscsi's (issue 5,
// bench/initiator_perf, 64 KiB reads against tgtd, medians of 5: one command per write 0.359 s
// per GB, two 0.284, four 0.276, eight 0.242; iscsi-perf 0.376). A command is never held while
// fewer than `hold_while_at_target` earlier ones are at the target, so the target never waits
// for one of ours, and a queue of a few commands (iscsiadm, a single job) is never delayed.
#include <cstddef>

#include "core/common/bytes.hpp"

namespace iscsi::initiator::client {

struct CommandBatchSettings {
  // SCSI Command PDUs per write at most; 1 sends each one as it comes.
  std::size_t max_commands_per_write = 4;
  // Commands are held only while at least this many sent earlier are still unanswered.
  std::size_t hold_while_at_target = 8;
};

class CommandBatch {
 public:
  explicit CommandBatch(CommandBatchSettings settings) : settings_(settings) {}

  // Whether a new command may wait, with `at_target` earlier ones sent and unanswered.
  bool may_hold(std::size_t at_target) const {
    return settings_.max_commands_per_write > 1 && at_target >= settings_.hold_while_at_target;
  }
  // Keeps one encoded command; the caller writes the batch once full().
  void add(ByteView command);
  bool full() const { return count_ >= settings_.max_commands_per_write; }
  bool empty() const { return count_ == 0; }
  std::size_t count() const { return count_; }
  // The held commands' bytes, in the order they were added; clear() once written.
  ByteView bytes() const { return bytes_; }
  void clear();

 private:
  CommandBatchSettings settings_;
  Bytes bytes_;
  std::size_t count_ = 0;
};

}  // namespace iscsi::initiator::client
