// What an agent learns from when training cannot keep up: a uniform random
// sample of everything offered to it, not whatever survived a full queue.
//
// Time is cut into rounds by the training thread: take() ends a round and
// hands over what the reservoir holds. Within a round the reservoir keeps a
// uniform sample (Algorithm R, Vitter 1985) of the insights offered during it:
// the first `capacity` are kept; the n-th after that replaces a random kept
// one with probability capacity/n, else it is skipped. So when a round offers
// n > capacity, every one of the n had the same chance, capacity/n, to be
// learned from; when it offers no more than capacity, none is skipped.
//
// Every offered item is counted exactly once, as taken, skipped, or still
// held: offered == taken + skipped + held at all times (under the lock).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

namespace nebula::host {

struct ReservoirCounts {
  uint64_t offered = 0;  // every offer while open
  uint64_t taken = 0;    // handed to the training thread by take()
  uint64_t skipped = 0;  // replaced, not admitted, or refused: never taken
  size_t held = 0;       // in the reservoir now
};

template <class T>
class TrainingReservoir {
 public:
  enum class Offer {
    Kept,              // admitted into a free slot; nothing skipped
    KeptInPlaceOfOne,  // admitted; a kept item was replaced (skipped)
    Skipped,           // not admitted (sampled away, or refused: no room in time)
    Closed,            // not counted: the reservoir no longer takes anything
  };

  struct Round {
    std::vector<T> items;  // a uniform sample of the round's offers, in random order
    uint64_t offered = 0;  // how many were offered during the round
  };

  // `seed` makes the sample reproducible (one per agent; tests pick theirs).
  TrainingReservoir(size_t capacity, uint64_t seed)
      : capacity_(std::max<size_t>(capacity, 1)),
        offer_rng_(seed),
        take_rng_(seed ^ 0x9e3779b97f4a7c15ull) {
    items_.reserve(capacity_);
  }

  size_t capacity() const { return capacity_; }

  // [any thread] Never waits. Algorithm R: see the top of this file.
  Offer offer(T item) {
    Offer verdict;
    bool wake = false;
    [[maybe_unused]] T replaced{};  // destroyed after the lock is released
    {
      std::lock_guard lock(mu_);
      if (closed_) return Offer::Closed;
      ++offered_;
      const uint64_t n = ++round_offered_;
      if (items_.size() < capacity_) {
        items_.push_back(std::move(item));
        wake = items_.size() == ready_at_;
        verdict = Offer::Kept;
      } else if (const uint64_t slot = std::uniform_int_distribution<uint64_t>(0, n - 1)(offer_rng_);
                 slot < capacity_) {
        replaced = std::exchange(items_[slot], std::move(item));
        ++skipped_;
        verdict = Offer::KeptInPlaceOfOne;
      } else {
        ++skipped_;
        verdict = Offer::Skipped;
      }
    }
    if (wake) ready_.notify_one();
    return verdict;
  }

  // [any thread] Never replaces: waits up to `timeout` for a free slot (the
  // training thread frees them all at its next take). Skipped = still full
  // in time, so it is the caller's to refuse; counted as skipped.
  template <class Rep, class Period>
  Offer offer_waiting(T item, std::chrono::duration<Rep, Period> timeout) {
    bool wake = false;
    {
      std::unique_lock lock(mu_);
      const bool room = room_.wait_for(lock, timeout, [&] { return closed_ || items_.size() < capacity_; });
      if (closed_) return Offer::Closed;
      // Counted once decided, so the counts add up even while offers wait,
      // and the offer belongs to the round it lands in.
      ++offered_;
      ++round_offered_;
      if (!room) {
        ++skipped_;
        return Offer::Skipped;
      }
      items_.push_back(std::move(item));
      wake = items_.size() == ready_at_;
    }
    if (wake) ready_.notify_one();
    return Offer::Kept;
  }

  // [training thread] Ends the round: waits until `ready_at` are held (the
  // producers wake it then, not on every offer), the reservoir is closed, or
  // `max_wait` has passed (so the caller can do periodic work), then takes
  // everything held, shuffled, so any part of it is a uniform sample too.
  Round take(size_t ready_at, std::chrono::milliseconds max_wait) {
    Round round;
    {
      std::unique_lock lock(mu_);
      ready_at_ = std::clamp<size_t>(ready_at, 1, capacity_);
      ready_.wait_for(lock, max_wait, [&] { return closed_ || items_.size() >= ready_at_; });
      round.items.swap(items_);
      round.offered = std::exchange(round_offered_, 0);
      taken_ += round.items.size();
    }
    room_.notify_all();
    std::shuffle(round.items.begin(), round.items.end(), take_rng_);
    return round;
  }

  // [any thread] No more offers (they return Closed); take() no longer waits.
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
  }

  // [thread-safe]
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }
  ReservoirCounts counts() const {
    std::lock_guard lock(mu_);
    return {offered_, taken_, skipped_, items_.size()};
  }

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable ready_;  // ready_at_ reached, or closed
  std::condition_variable room_;   // a take freed the slots, or closed
  std::vector<T> items_;
  size_t ready_at_ = 1;        // what the training thread waits for
  std::mt19937_64 offer_rng_;  // under mu_
  std::mt19937_64 take_rng_;   // training thread only
  uint64_t round_offered_ = 0;
  uint64_t offered_ = 0;
  uint64_t taken_ = 0;
  uint64_t skipped_ = 0;
  bool closed_ = false;
};

}  // namespace nebula::host
