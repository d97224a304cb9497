#include "runtime/node_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace nebula::host {

NodeRateLimiter::NodeRateLimiter(double per_second, double burst, size_t max_nodes)
    : per_second_(per_second), burst_(burst > 0 ? burst : per_second * 10), buckets_(max_nodes) {}

double NodeRateLimiter::refill(Bucket& b, Clock::time_point now) const {
  if (b.fresh) {
    b = Bucket{burst_, now, false};
    return b.tokens;
  }
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
  b.at = now;
  return b.tokens;
}

uint32_t NodeRateLimiter::admit(const std::map<std::string, uint32_t>& per_node, Clock::time_point now) {
  if (!enabled()) return 0;
  double wait_s = 0;
  for (const auto& [node, count] : per_node) {
    const double tokens = refill(buckets_.touch(node), now);
    if (tokens <= 0) wait_s = std::max(wait_s, (1 - tokens) / per_second_);
  }
  if (wait_s > 0) return static_cast<uint32_t>(std::ceil(wait_s * 1000));
  for (const auto& [node, count] : per_node) buckets_.touch(node).tokens -= count;
  return 0;
}

}  // namespace nebula::host
