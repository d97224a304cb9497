// Turns one node's cumulative transaction counter into a rate (tx/s), robust
// to counter resets and out-of-order samples, and keeps an EWMA baseline of
// that rate (mean and variance) to flag bursts against.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nebula::transaction_analyzer {

struct BurstRule {
  double alpha = 0.2;
  size_t warmup = 5;
  double factor = 4.0;
  double z = 3.0;
};

struct RateUpdate {
  enum class Kind { First, Rate, OutOfOrder } kind = Kind::First;
  bool reset = false;     // counter went down: the new value is the delta since the reset
  int64_t delta = 0;      // transactions since the previous sample
  double rate = 0;        // tx/s over the interval
  bool burst = false;
  double baseline = 0;    // baseline before this sample was folded in
  double z = 0;           // (rate - baseline) / baseline deviation
};

class CounterRate {
 public:
  RateUpdate add(double time, int64_t count, const BurstRule& rule);

  bool has_rate() const { return rate_samples_ > 0; }
  double rate() const { return rate_; }
  double baseline() const { return mean_; }
  double last_time() const { return last_time_; }
  bool started() const { return started_; }
  int64_t last_count() const { return last_count_; }
  uint64_t resets() const { return resets_; }
  uint64_t out_of_order() const { return out_of_order_; }

 private:
  bool started_ = false;
  double last_time_ = 0;
  int64_t last_count_ = 0;
  double rate_ = 0;
  uint64_t rate_samples_ = 0;
  double mean_ = 0;
  double variance_ = 0;
  uint64_t resets_ = 0;
  uint64_t out_of_order_ = 0;
};

}  // namespace nebula::transaction_analyzer
