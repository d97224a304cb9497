// The distribution of one metric of one chain over recent event time: a
// sketch for the current window and one for the previous, reported merged, so
// quantiles describe the last one to two windows rather than all history.
#pragma once

#include <cstdint>

#include "kll_sketch.hpp"

namespace nebula::network_monitor {

struct DistributionSummary {
  uint64_t count = 0;
  double min = 0, max = 0, mean = 0;
  double p50 = 0, p95 = 0, p99 = 0;
};

class WindowedDistribution {
 public:
  // window_s <= 0 keeps one cumulative distribution.
  WindowedDistribution(uint32_t k, double window_s);

  void add(double time, double value);
  DistributionSummary summary() const;  // count 0 when empty

 private:
  struct Part {
    explicit Part(uint32_t k) : sketch(k) {}
    KllSketch sketch;
    double sum = 0;
  };

  uint32_t k_;
  double window_s_;
  int64_t window_ = 0;  // index of the current window
  bool started_ = false;
  Part current_;
  Part previous_;
};

}  // namespace nebula::network_monitor
