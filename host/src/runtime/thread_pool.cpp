#include "runtime/thread_pool.hpp"

#include <latch>

namespace nebula::host {

ThreadPool::ThreadPool(size_t workers) {
  if (workers == 0) workers = 1;
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run_all(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  std::latch done(static_cast<std::ptrdiff_t>(tasks.size()));
  {
    std::lock_guard lock(mu_);
    for (auto& t : tasks)
      tasks_.push_back([task = std::move(t), &done] {
        task();
        done.count_down();
      });
  }
  cv_.notify_all();
  done.wait();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace nebula::host
