// Compacted history: one summary per hour of event time, in a bounded ring
// (e.g. the last 168 hours of a chain, 24 of a node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics.hpp"

namespace nebula::memory {

struct Aggregate {
  uint64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  void add(double x);
  double mean() const;  // NaN when empty
};

struct HourSummary {
  double hour_start = 0;  // floor(ts / 3600) * 3600
  uint64_t samples = 0;
  double blocks = 0;        // sum of blocks processed reported in the hour
  double transactions = 0;  // sum of reset-robust counter increases
  std::array<Aggregate, kMetricCount> metrics{};

  void add(const MetricValues& values, double blocks, double transactions);
  // {"hour_start","samples","blocks","transactions","metrics":{"latency_ms":{"count","mean","min","max"},...}}
  nlohmann::json summary() const;
  nlohmann::json to_json() const;
  static HourSummary from_json(const nlohmann::json& doc);
};

class HourlyHistory {
 public:
  HourlyHistory() : HourlyHistory(24) {}
  explicit HourlyHistory(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  static double hour_of(double ts);

  // Adds the sample to its hour. A new hour opens a new summary (dropping the
  // oldest beyond capacity); a late sample merges into its hour if still
  // kept. Returns false when that hour has already been compacted away.
  bool add(double ts, const MetricValues& values, double blocks, double transactions);

  const HourSummary* latest() const { return hours_.empty() ? nullptr : &hours_.back(); }
  const std::vector<HourSummary>& hours() const { return hours_; }
  size_t capacity() const { return capacity_; }

  nlohmann::json to_json() const;
  // Keeps the newest `capacity` hours of the document; throws when malformed.
  void from_json(const nlohmann::json& doc);

 private:
  size_t capacity_;
  // Oldest first. A vector: at most `capacity_` (24) entries, changed once
  // an hour, and an empty std::deque allocates ~600 bytes per node.
  std::vector<HourSummary> hours_;
};

}  // namespace nebula::memory
