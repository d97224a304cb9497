// Exponential backoff with full jitter: the n-th wait is uniform in
// [0, min(max, initial * 2^n)]. Full jitter spreads a fleet that lost the
// pool at the same moment, so it does not come back as one thundering herd.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace nebula::node {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed);

  // The next wait; grows the ceiling for the following one.
  std::chrono::milliseconds next();
  // The current ceiling (what next() draws below).
  std::chrono::milliseconds ceiling() const;
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  unsigned attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nebula::node
