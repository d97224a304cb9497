// Backoff: exponential delays with full jitter.
#include <algorithm>

#include "redis_connection.hpp"

namespace nebula::redis {

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds max)
    : first_(std::max(first, std::chrono::milliseconds(1))), max_(std::max(max, first_)), random_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  // first * 2^attempt, without overflowing once the cap is reached.
  long long cap = first_.count();
  for (unsigned i = 0; i < attempt_ && cap < max_.count(); ++i) cap *= 2;
  cap = std::min<long long>(cap, max_.count());
  if (cap < max_.count()) ++attempt_;
  std::uniform_int_distribution<long long> pick(0, cap);
  return std::chrono::milliseconds(pick(random_));
}

}  // namespace nebula::redis
