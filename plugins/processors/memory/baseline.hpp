// Long-term baseline of one node or chain: an exponentially weighted mean and
// variance per metric, sample counts and first/last seen.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "metrics.hpp"

namespace nebula::memory {

struct Ewma {
  double mean = 0;
  double var = 0;
  uint64_t count = 0;
  // The first value seeds the mean; later ones move it by alpha (West 1979 update for the variance).
  void add(double x, double alpha);
  double stddev() const;
};

// How one sample compared with the baseline as it was before the sample.
struct Deviation {
  MetricValues z = no_values();          // NaN: metric absent or baseline too young
  MetricValues reference_mean = no_values();
  MetricValues reference_spread = no_values();
};

struct Baseline {
  std::array<Ewma, kMetricCount> metrics{};
  uint64_t samples = 0;
  double first_seen = std::numeric_limits<double>::quiet_NaN();
  double last_seen = std::numeric_limits<double>::quiet_NaN();

  // Folds one sample in and returns each value's z-score against the
  // baseline as it was BEFORE this sample (NaN when the metric is absent or
  // has fewer than min_samples values). The spread used is at least 5% of
  // the mean, so a near-constant series does not turn noise into alarms.
  Deviation observe(const MetricValues& values, double ts, double alpha, uint64_t min_samples);

  // {"samples","first_seen","last_seen","metrics":{"latency_ms":{"mean","std","count"},...}}
  nlohmann::json summary() const;
  nlohmann::json to_json() const;
  static Baseline from_json(const nlohmann::json& doc);  // throws on a malformed document
};

}  // namespace nebula::memory
