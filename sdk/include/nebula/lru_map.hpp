// A string-keyed map that holds at most `capacity` entries: touching a new key
// in a full map evicts the least recently touched one. Keeps per-node and
// per-chain state bounded however many distinct ids senders invent.
//
// Layout (issue #15: every processor keeps ~12 of these per node, so their
// overhead is per-node memory and a share of the pool's CPU):
//  - entries live in slots of fixed-size chunks that are allocated as the map
//    grows and never move, so a reference from touch() or find() stays valid
//    until that entry is erased or evicted (as with the std::list before);
//    erased slots go on a free list and are reused first;
//  - the recency order is a doubly linked list of 32-bit slot numbers inside
//    the slots: no allocation per entry besides the key's own;
//  - the index is an open-addressing table (linear probing, power-of-two
//    size, load ≤ 0.8, backward-shift deletion so no tombstones) of
//    {32-bit hash, slot number}: a probe compares keys only on equal hashes.
// Nothing is allocated for `capacity` up front: chunks and the index grow
// with the entries.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace nebula {

template <class Value>
class LruMap {
 public:
  using Entry = std::pair<const std::string, Value>;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Slot {
    union {
      Entry entry;  // alive while the slot is in the recency list
    };
    uint32_t prev;  // towards the most recent; kNone at the head
    uint32_t next;  // towards the least recent; kNone at the tail (free slots: the next free one)
    uint32_t hash;
    Slot() {}  // NOLINT: storage only, the entry is constructed on use
    ~Slot() {}
  };

  // ~8 KiB per chunk: few allocations for big tables, little unused room in
  // the many small ones (a handful of chains).
  static constexpr uint32_t kChunkBits =
      std::clamp<uint32_t>(std::bit_width(std::max<size_t>(8192 / sizeof(Slot), 1)) - 1, 3, 8);
  static constexpr uint32_t kChunkSlots = 1u << kChunkBits;

  struct Bucket {
    uint32_t hash;
    uint32_t slot;  // kNone: empty
  };

  template <bool Const, bool Backward>
  class Cursor {
    using Map = std::conditional_t<Const, const LruMap, LruMap>;

   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using iterator_concept = std::bidirectional_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const Entry&, Entry&>;
    using pointer = std::conditional_t<Const, const Entry*, Entry*>;

    Cursor() = default;
    Cursor(Map* map, uint32_t at) : map_(map), at_(at) {}

    reference operator*() const { return map_->slot(at_).entry; }
    pointer operator->() const { return &map_->slot(at_).entry; }
    Cursor& operator++() {
      at_ = Backward ? map_->slot(at_).prev : map_->slot(at_).next;
      return *this;
    }
    Cursor operator++(int) {
      Cursor before = *this;
      ++*this;
      return before;
    }
    // From end(), steps onto the last entry, as a list iterator does.
    Cursor& operator--() {
      if (at_ == kNone)
        at_ = Backward ? map_->head_ : map_->tail_;
      else
        at_ = Backward ? map_->slot(at_).next : map_->slot(at_).prev;
      return *this;
    }
    Cursor operator--(int) {
      Cursor before = *this;
      --*this;
      return before;
    }
    friend bool operator==(const Cursor& a, const Cursor& b) { return a.at_ == b.at_; }

   private:
    Map* map_ = nullptr;
    uint32_t at_ = kNone;
  };

 public:
  using iterator = Cursor<false, false>;
  using const_iterator = Cursor<true, false>;
  using reverse_iterator = Cursor<false, true>;
  using const_reverse_iterator = Cursor<true, true>;

  // Slot numbers are 32-bit: a larger capacity could never be reached in memory anyway.
  explicit LruMap(size_t capacity) : capacity_(std::clamp<size_t>(capacity, 1, kNone - 1)) {}
  // Entries are constructed in place in the chunks: moving hands the chunks
  // over (references stay valid), copying would need a deep copy nobody uses.
  LruMap(const LruMap&) = delete;
  LruMap& operator=(const LruMap&) = delete;
  LruMap(LruMap&& other) noexcept { take(other); }
  LruMap& operator=(LruMap&& other) noexcept {
    if (this != &other) {
      destroy_entries();
      take(other);
    }
    return *this;
  }
  ~LruMap() { destroy_entries(); }

  Value* find(std::string_view key) {
    const uint32_t at = slot_of(key, hash_of(key));
    return at == kNone ? nullptr : &slot(at).entry.second;
  }
  const Value* find(std::string_view key) const {
    const uint32_t at = slot_of(key, hash_of(key));
    return at == kNone ? nullptr : &slot(at).entry.second;
  }

  // The value for `key` (default-constructed if new), now the most recent.
  // `created` (optional) tells a new entry from one that was already there.
  Value& touch(std::string_view key, bool* created = nullptr) {
    const uint32_t hash = hash_of(key);
    if (const uint32_t at = slot_of(key, hash); at != kNone) {
      if (created) *created = false;
      if (at != head_) {
        unlink(at);
        link_front(at);
      }
      return slot(at).entry.second;
    }
    if (created) *created = true;
    if (size_ >= capacity_) {
      remove(tail_);
      ++evictions_;
    }
    if ((size_ + 1) * 5 > buckets_.size() * 4) grow_index();
    const uint32_t at = take_free_slot();
    Slot& s = slot(at);
    try {
      ::new (static_cast<void*>(&s.entry)) Entry(std::piecewise_construct, std::forward_as_tuple(key), std::tuple<>());
    } catch (...) {
      s.next = free_;
      free_ = at;
      throw;
    }
    s.hash = hash;
    link_front(at);
    insert_bucket(hash, at);
    ++size_;
    return s.entry.second;
  }

  // The entry a new key would evict now, or nullptr while there is room
  // (lets an owner flush what the victim holds before it goes).
  Entry* next_victim() { return size_ >= capacity_ ? &slot(tail_).entry : nullptr; }

  // Removes every entry for which pred(key, value) is true; returns how many.
  // Visits the entries most recent first.
  template <class Pred>
  size_t erase_if(Pred pred) {
    size_t removed = 0;
    for (uint32_t at = head_; at != kNone;) {
      Slot& s = slot(at);
      const uint32_t next = s.next;
      if (pred(s.entry.first, s.entry.second)) {
        remove(at);
        ++removed;
      }
      at = next;
    }
    return removed;
  }

  // Most recently touched first. Iterating does not change the order.
  iterator begin() { return {this, head_}; }
  iterator end() { return {this, kNone}; }
  const_iterator begin() const { return {this, head_}; }
  const_iterator end() const { return {this, kNone}; }
  // Least recently touched first: touching the keys again in this order
  // rebuilds the same recency (persisted state), and scans that break ties
  // by first match stay deterministic across replays.
  auto oldest_first() { return std::ranges::subrange(reverse_iterator(this, tail_), reverse_iterator(this, kNone)); }
  auto oldest_first() const {
    return std::ranges::subrange(const_reverse_iterator(this, tail_), const_reverse_iterator(this, kNone));
  }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  uint64_t evictions() const { return evictions_; }

 private:
  static uint32_t hash_of(std::string_view key) {
    const uint64_t h = std::hash<std::string_view>{}(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }

  Slot& slot(uint32_t at) { return chunks_[at >> kChunkBits][at & (kChunkSlots - 1)]; }
  const Slot& slot(uint32_t at) const { return chunks_[at >> kChunkBits][at & (kChunkSlots - 1)]; }

  uint32_t slot_of(std::string_view key, uint32_t hash) const {
    if (buckets_.empty()) return kNone;
    const size_t mask = buckets_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Bucket& b = buckets_[i];
      if (b.slot == kNone) return kNone;
      if (b.hash == hash && slot(b.slot).entry.first == key) return b.slot;
    }
  }

  void insert_bucket(uint32_t hash, uint32_t at) {
    const size_t mask = buckets_.size() - 1;
    size_t i = hash & mask;
    while (buckets_[i].slot != kNone) i = (i + 1) & mask;
    buckets_[i] = {hash, at};
  }

  // Backward-shift deletion: later members of the probe run move into the
  // hole unless that would put them before their home bucket.
  void erase_bucket(uint32_t hash, uint32_t at) {
    const size_t mask = buckets_.size() - 1;
    size_t hole = hash & mask;
    while (buckets_[hole].slot != at) hole = (hole + 1) & mask;
    for (size_t j = (hole + 1) & mask; buckets_[j].slot != kNone; j = (j + 1) & mask) {
      const size_t home = buckets_[j].hash & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        buckets_[hole] = buckets_[j];
        hole = j;
      }
    }
    buckets_[hole].slot = kNone;
  }

  void grow_index() {
    std::vector<Bucket> old(std::max<size_t>(buckets_.size() * 2, 16), Bucket{0, kNone});
    old.swap(buckets_);
    for (const Bucket& b : old)
      if (b.slot != kNone) insert_bucket(b.hash, b.slot);
  }

  uint32_t take_free_slot() {
    if (free_ != kNone) {
      const uint32_t at = free_;
      free_ = slot(at).next;
      return at;
    }
    if ((used_ >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Slot[]>(kChunkSlots));
    return used_++;
  }

  void link_front(uint32_t at) {
    Slot& s = slot(at);
    s.prev = kNone;
    s.next = head_;
    if (head_ != kNone) slot(head_).prev = at;
    head_ = at;
    if (tail_ == kNone) tail_ = at;
  }

  void unlink(uint32_t at) {
    Slot& s = slot(at);
    (s.prev == kNone ? head_ : slot(s.prev).next) = s.next;
    (s.next == kNone ? tail_ : slot(s.next).prev) = s.prev;
  }

  void remove(uint32_t at) {
    Slot& s = slot(at);
    erase_bucket(s.hash, at);
    unlink(at);
    s.entry.~Entry();
    s.next = free_;
    free_ = at;
    --size_;
  }

  void destroy_entries() {
    for (uint32_t at = head_; at != kNone;) {
      Slot& s = slot(at);
      at = s.next;
      s.entry.~Entry();
    }
  }

  // Takes everything from `other` and leaves it empty (still usable).
  void take(LruMap& other) {
    capacity_ = other.capacity_;
    evictions_ = std::exchange(other.evictions_, 0);
    chunks_ = std::move(other.chunks_);
    buckets_ = std::move(other.buckets_);
    other.chunks_.clear();
    other.buckets_.clear();
    size_ = std::exchange(other.size_, 0);
    used_ = std::exchange(other.used_, 0);
    head_ = std::exchange(other.head_, kNone);
    tail_ = std::exchange(other.tail_, kNone);
    free_ = std::exchange(other.free_, kNone);
  }

  size_t capacity_ = 1;
  uint64_t evictions_ = 0;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<Bucket> buckets_;  // power-of-two size, or empty before the first touch
  size_t size_ = 0;
  uint32_t used_ = 0;  // slots handed out so far (live or free)
  uint32_t head_ = kNone;  // most recent
  uint32_t tail_ = kNone;  // least recent
  uint32_t free_ = kNone;
};

}  // namespace nebula
