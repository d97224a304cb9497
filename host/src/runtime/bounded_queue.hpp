// A bounded multi-producer multi-consumer queue. Producers learn when it is
// full (try_push_all is all-or-nothing, push_for waits a bounded time) so no
// caller ever drops silently; consumers take batches by size or deadline.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "runtime/ring_buffer.hpp"

namespace nebula::host {

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  size_t capacity() const { return capacity_; }
  size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }

  // Whether `n` more items fit now (and the queue is open).
  bool has_room(size_t n) const {
    std::lock_guard lock(mu_);
    return !closed_ && items_.size() + n <= capacity_;
  }

  // Waits up to `timeout` until `n` more items fit; false when they do not.
  template <class Rep, class Period>
  bool wait_for_room(size_t n, std::chrono::duration<Rep, Period> timeout) {
    std::unique_lock lock(mu_);
    return not_full_.wait_for(lock, timeout, [&] { return closed_ || items_.size() + n <= capacity_; }) && !closed_;
  }

  // Pushes every item or none (so a payload is never half-accepted).
  bool try_push_all(std::vector<T>& items) {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      if (closed_ || items_.size() + items.size() > capacity_) return false;
      for (auto& i : items) items_.push_back(std::move(i));
      wake = consumer_would_take();
    }
    if (wake) not_empty_.notify_all();
    return true;
  }

  // Waits up to `timeout` for room; false when still full or closed.
  template <class Rep, class Period>
  bool push_for(T item, std::chrono::duration<Rep, Period> timeout) {
    bool wake = false;
    {
      std::unique_lock lock(mu_);
      if (!not_full_.wait_for(lock, timeout, [&] { return closed_ || items_.size() < capacity_; })) return false;
      if (closed_) return false;
      items_.push_back(std::move(item));
      wake = consumer_would_take();
    }
    if (wake) not_empty_.notify_all();
    return true;
  }

  // Takes up to max_items. Returns when max_items are there, when max_wait
  // has passed since the call (with whatever is there, possibly nothing, so
  // callers can do periodic work such as checkpoints), when the queue is
  // closed, or when wake() is called.
  std::vector<T> pop_batch(size_t max_items, std::chrono::milliseconds max_wait) {
    std::vector<T> out;
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + max_wait;
    wanted_ = waiters_++ ? std::min(wanted_, max_items) : max_items;
    not_empty_.wait_until(lock, deadline, [&] { return closed_ || woken_ || items_.size() >= max_items; });
    if (--waiters_ == 0) wanted_ = 0;
    woken_ = false;
    const size_t n = std::min(max_items, items_.size());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(items_.take_front());
    lock.unlock();
    if (n) not_full_.notify_all();
    return out;
  }

  // Makes a waiting pop_batch return what it has now (possibly nothing).
  void wake() {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    not_empty_.notify_all();
  }

  // No more pushes; consumers drain what is left.
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

 private:
  // Under mu_: whether a waiting pop_batch would return now. Pushes wake
  // consumers only then: one woken for every payload of a 1000-record batch
  // would find too few items and sleep again, a context switch each time
  // (the deadline wakes it with fewer). All of them, as they may wait for
  // different sizes; the usual one consumer makes that one.
  bool consumer_would_take() const { return waiters_ && items_.size() >= wanted_; }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  RingBuffer<T> items_;
  bool closed_ = false;
  bool woken_ = false;
  size_t waiters_ = 0;  // consumers inside pop_batch
  size_t wanted_ = 0;   // the fewest items one of them returns for (conservative while several wait)
};

}  // namespace nebula::host
