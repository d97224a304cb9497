// The fields of one record the data stream processor reads.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include <nebula/record_fields.hpp>

namespace nebula::data_stream {

// Metrics summarised per window (mean/min/max), in this order.
inline constexpr std::array<std::string_view, 8> kMetrics = {
    fields::blocks_processed, fields::hash_rate,          fields::peer_count, fields::latency,
    fields::bandwidth,        fields::connection_quality, fields::cpu_usage,  fields::memory_usage,
};

struct StreamSample {
  double timestamp = 0;
  std::string_view node_id;   // borrowed for the call
  std::string_view chain_id;  // empty is reported as "unknown"
  std::optional<int64_t> seq;
  std::array<double, kMetrics.size()> metrics;  // NaN where not reported

  StreamSample() { metrics.fill(std::numeric_limits<double>::quiet_NaN()); }
};

}  // namespace nebula::data_stream
