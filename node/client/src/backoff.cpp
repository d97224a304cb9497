#include "backoff.hpp"

#include <algorithm>

namespace nebula::node {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed)
    : initial_(initial), max_(std::max(max, initial)), rng_(seed) {}

std::chrono::milliseconds Backoff::ceiling() const {
  // Doubling stops once past max, so the shift never overflows.
  std::int64_t c = initial_.count();
  for (unsigned i = 0; i < attempt_ && c < max_.count(); ++i) c *= 2;
  return std::chrono::milliseconds(std::min<std::int64_t>(c, max_.count()));
}

std::chrono::milliseconds Backoff::next() {
  const auto top = ceiling().count();
  ++attempt_;
  std::uniform_int_distribution<std::int64_t> pick(0, top);
  return std::chrono::milliseconds(pick(rng_));
}

}  // namespace nebula::node
