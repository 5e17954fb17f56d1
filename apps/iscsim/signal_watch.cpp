#include "apps/iscsim/signal_watch.hpp"

#include <pthread.h>

#include <ctime>

namespace iscsim {

SignalWatch::SignalWatch() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

void SignalWatch::finish() {
  done_ = true;
  if (thread_.joinable()) thread_.join();
}

void SignalWatch::start(iscsi::asio::AsioRuntime& runtime) {
  thread_ = std::thread([this, &runtime] {
    const timespec poll{0, 200'000'000};
    while (!done_) {
      const int signal = sigtimedwait(&set_, nullptr, &poll);
      if (signal == SIGINT || signal == SIGTERM) {
        caught_ = signal;
        runtime.stop();
        return;
      }
    }
  });
}

}  // namespace iscsim
