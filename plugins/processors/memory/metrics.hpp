// The quantities memory keeps baselines and hourly summaries for.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <string_view>

namespace nebula::memory {

inline constexpr std::array<std::string_view, 6> kMetricNames = {
    "latency_ms", "peers", "tx_rate", "block_interval_s", "cpu_usage", "memory_usage"};
inline constexpr size_t kMetricCount = kMetricNames.size();

enum Metric : size_t { kLatency, kPeers, kTxRate, kBlockInterval, kCpu, kMemory };

// One value per metric; NaN = not observed in this sample.
using MetricValues = std::array<double, kMetricCount>;

inline MetricValues no_values() {
  MetricValues v;
  v.fill(std::numeric_limits<double>::quiet_NaN());
  return v;
}

}  // namespace nebula::memory
