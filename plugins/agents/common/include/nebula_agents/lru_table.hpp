// Per-node state bounded by count: touching an entry makes it the newest;
// beyond `capacity` the least recently touched entry is evicted (counted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace nebula::agents {

template <class T>
class LruTable {
 public:
  explicit LruTable(size_t capacity = 10000) : capacity_(capacity ? capacity : 1) {}

  T& touch(const std::string& key) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.end(), order_, it->second);
      return it->second->second;
    }
    order_.emplace_back(key, T{});
    index_[key] = std::prev(order_.end());
    if (order_.size() > capacity_) {
      index_.erase(order_.front().first);
      order_.pop_front();
      ++evicted_;
    }
    return order_.back().second;
  }
  const T* find(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  size_t size() const { return order_.size(); }
  uint64_t evicted() const { return evicted_; }
  void clear() {
    order_.clear();
    index_.clear();
  }
  // Oldest touched first.
  auto begin() const { return order_.begin(); }
  auto end() const { return order_.end(); }

 private:
  size_t capacity_;
  uint64_t evicted_ = 0;
  std::list<std::pair<std::string, T>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, T>>::iterator> index_;
};

}  // namespace nebula::agents
