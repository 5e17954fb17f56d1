#pragma once
// Completion of an in-memory backing store operation. BlockIo promises callbacks on the event
// loop, later (core/runtime/block_io.hpp): a store that answered inside the call would re-enter
// the SCSI layer while it is still issuing the request. So even memory stores hand their
// completion to the TimerService, with zero or a configured simulated latency.
#include <utility>

#include "core/runtime/block_io.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::target::scsi::backing {

inline void complete_later(runtime::TimerService& timers, runtime::Duration latency,
                           runtime::IoCallback done, Result<void> result) {
  timers.schedule_after(latency, [done = std::move(done), result = std::move(result)]() mutable {
    done(std::move(result));
  });
}

}  // namespace iscsi::target::scsi::backing
