#pragma once
// Graceful stop of an `iscsim` daemon (the target, the session daemon) on SIGINT or SIGTERM.
#include <signal.h>

#include <atomic>
#include <thread>

#include "core/asio/runtime.hpp"

namespace iscsim {

// SIGINT and SIGTERM are blocked in every thread and taken by one waiting thread, which stops
// the event loop: nothing runs inside a signal handler.
class SignalWatch {
 public:
  // Blocks both signals in the calling thread: make it before any other thread exists, so
  // every thread inherits the mask.
  SignalWatch();
  ~SignalWatch() { finish(); }
  // Ends the waiting thread; signals stay blocked, so a late SIGTERM cannot touch the runtime
  // while it is being destroyed.
  void finish();
  // Starts the waiting thread; a caught signal stops `runtime`.
  void start(iscsi::asio::AsioRuntime& runtime);
  int caught() const { return caught_; }

 private:
  sigset_t set_{};
  std::atomic<bool> done_{false};
  std::atomic<int> caught_{0};
  std::thread thread_;
};

}  // namespace iscsim
