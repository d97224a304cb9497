// A string-keyed map that holds at most `capacity` entries: touching a new key
// in a full map evicts the least recently touched one. Keeps per-node and
// per-chain state bounded however many distinct ids senders invent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <ranges>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace nebula {

template <class Value>
class LruMap {
 public:
  using Entry = std::pair<const std::string, Value>;

  explicit LruMap(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  // The index points into entries_' nodes: moving keeps them, copying would not.
  LruMap(const LruMap&) = delete;
  LruMap& operator=(const LruMap&) = delete;
  LruMap(LruMap&&) noexcept = default;
  LruMap& operator=(LruMap&&) noexcept = default;

  Value* find(std::string_view key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  const Value* find(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // The value for `key` (default-constructed if new), now the most recent.
  // `created` (optional) tells a new entry from one that was already there.
  Value& touch(std::string_view key, bool* created = nullptr) {
    if (auto it = index_.find(key); it != index_.end()) {
      entries_.splice(entries_.begin(), entries_, it->second);
      if (created) *created = false;
      return it->second->second;
    }
    if (created) *created = true;
    if (entries_.size() >= capacity_) {
      index_.erase(std::string_view(entries_.back().first));
      entries_.pop_back();
      ++evictions_;
    }
    entries_.emplace_front(std::string(key), Value{});
    // The key lives in the list node, which never moves: a stable view.
    index_.emplace(std::string_view(entries_.front().first), entries_.begin());
    return entries_.front().second;
  }

  // The entry a new key would evict now, or nullptr while there is room
  // (lets an owner flush what the victim holds before it goes).
  Entry* next_victim() { return entries_.size() >= capacity_ ? &entries_.back() : nullptr; }

  // Removes every entry for which pred(key, value) is true; returns how many.
  template <class Pred>
  size_t erase_if(Pred pred) {
    size_t removed = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (pred(it->first, it->second)) {
        index_.erase(std::string_view(it->first));
        it = entries_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  // Most recently touched first. Iterating does not change the order.
  auto begin() { return entries_.begin(); }
  auto end() { return entries_.end(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  // Least recently touched first: touching the keys again in this order
  // rebuilds the same recency (persisted state), and scans that break ties
  // by first match stay deterministic across replays.
  auto oldest_first() { return std::ranges::subrange(entries_.rbegin(), entries_.rend()); }
  auto oldest_first() const { return std::ranges::subrange(entries_.rbegin(), entries_.rend()); }
  size_t size() const { return entries_.size(); }
  size_t capacity() const { return capacity_; }
  uint64_t evictions() const { return evictions_; }

 private:
  size_t capacity_;
  uint64_t evictions_ = 0;
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace nebula
