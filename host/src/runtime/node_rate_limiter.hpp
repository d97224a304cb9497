// Records per second per node (limits.records_per_second_per_node): a token
// bucket per node that may go into debt by one payload, so a batch larger
// than the burst still gets through once the bucket is full. A payload is
// admitted for all its nodes or refused with the wait until it would fit.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "nebula/lru_map.hpp"

namespace nebula::host {

class NodeRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  NodeRateLimiter(double per_second, double burst, size_t max_nodes = 100000);
  bool enabled() const { return per_second_ > 0; }

  // Records per node of one payload. Returns 0 when admitted (tokens taken),
  // else the milliseconds to wait before a retry can succeed.
  uint32_t admit(const std::map<std::string, uint32_t>& per_node, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at{};
    bool fresh = true;
  };
  double refill(Bucket& b, Clock::time_point now) const;

  double per_second_;
  double burst_;
  LruMap<Bucket> buckets_;
};

}  // namespace nebula::host
