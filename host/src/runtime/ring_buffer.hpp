// A FIFO in one growing array, for BoundedQueue. std::deque allocates a
// block per 512 bytes, which for a PoolItem (~280 bytes) is one malloc per
// record pushed and one free per record taken; this allocates only while it
// grows (doubling) and keeps its slots for reuse, so its memory is the
// queue's high-water mark (bounded by the queue's capacity).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace nebula::host {

template <class T>
class RingBuffer {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_back(T item) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) % slots_.size()] = std::move(item);
    ++size_;
  }

  // Moves the oldest item out. Not on an empty buffer.
  T take_front() {
    T item = std::move(slots_[head_]);
    slots_[head_] = T();  // release what the moved-from item may still hold
    head_ = (head_ + 1) % slots_.size();
    --size_;
    return item;
  }

 private:
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 16 : slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace nebula::host
