// A string-keyed table with a hard size cap: touching an entry makes it the
// most recent; inserting into a full table evicts the least recently touched.
// Recency is by arrival order, not wall clock, so replays evict identically.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace nebula::intelligence {

template <class V>
class LruTable {
 public:
  explicit LruTable(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  // The entry for key, created (value-initialised) when absent.
  V& touch(const std::string& key, bool* created = nullptr) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.end(), order_, it->second);
      if (created) *created = false;
      return it->second->second;
    }
    if (index_.size() >= capacity_) {
      index_.erase(order_.front().first);
      order_.pop_front();
      ++evicted_;
    }
    order_.emplace_back(key, V());
    index_.emplace(key, std::prev(order_.end()));
    if (created) *created = true;
    return order_.back().second;
  }

  const V* find(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // Visits entries from least to most recently touched.
  template <class F>
  void for_each(F&& fn) const {
    for (const auto& [k, v] : order_) fn(k, v);
  }

  size_t size() const { return index_.size(); }
  uint64_t evicted() const { return evicted_; }

 private:
  using List = std::list<std::pair<std::string, V>>;
  size_t capacity_;
  List order_;  // front = least recent
  std::unordered_map<std::string, typename List::iterator> index_;
  uint64_t evicted_ = 0;
};

}  // namespace nebula::intelligence
