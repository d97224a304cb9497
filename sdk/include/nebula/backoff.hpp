// Exponential backoff with full jitter: the n-th wait is uniform in
// [0, min(max, initial * 2^n)]. Full jitter spreads many clients that lost
// the same server at the same moment, so they do not come back as one
// thundering herd. Header-only; used by the node client (delivery retries)
// and the Redis transport (reconnects).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <random>

namespace nebula {

class Backoff {
 public:
  // initial is raised to at least 1 ms (a zero ceiling would never grow),
  // max to at least initial. The seed defaults to std::random_device.
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
          std::uint64_t seed = std::random_device{}())
      : initial_(std::max(initial, std::chrono::milliseconds(1))), max_(std::max(max, initial_)), rng_(seed) {}

  // The next wait, drawn below the current ceiling; grows the ceiling for
  // the following one.
  std::chrono::milliseconds next() {
    const std::int64_t top = ceiling().count();
    if (attempt_ != std::numeric_limits<unsigned>::max()) ++attempt_;
    std::uniform_int_distribution<std::int64_t> pick(0, top);
    return std::chrono::milliseconds(pick(rng_));
  }

  // The current ceiling (what next() draws below): initial * 2^attempts, at most max.
  std::chrono::milliseconds ceiling() const {
    // Doubling stops once at max, so it never overflows however long the outage.
    std::int64_t c = initial_.count();
    for (unsigned i = 0; i < attempt_ && c < max_.count(); ++i) c *= 2;
    return std::chrono::milliseconds(std::min<std::int64_t>(c, max_.count()));
  }

  void reset() { attempt_ = 0; }
  // next() calls since construction or the last reset().
  unsigned attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  unsigned attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nebula
