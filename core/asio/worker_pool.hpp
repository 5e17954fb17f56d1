#pragma once
// A small fixed pool of threads for blocking file I/O, so a slow backing store never stalls the
// event loop (DESIGN.md, runtime interfaces). Jobs run in submission order per worker.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace iscsi::asio {

class WorkerPool {
 public:
  // Jobs waiting for a thread; submit() refuses more so memory stays bounded.
  static constexpr std::size_t kMaxPendingJobs = 4096;

  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();  // finishes queued jobs, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Returns false (and drops the job) when kMaxPendingJobs are already waiting.
  bool submit(std::function<void()> job);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace iscsi::asio
