// Fixed-size worker pool; run_all() runs a set of tasks in parallel and
// waits for all of them (one stage of processors).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nebula::host {

class ThreadPool {
 public:
  explicit ThreadPool(size_t workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs every task (in parallel up to the worker count) and returns when
  // all have finished. Tasks must not throw (callers wrap plugin calls).
  void run_all(std::vector<std::function<void()>> tasks);

  size_t size() const { return workers_.size(); }

 private:
  void work();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace nebula::host
