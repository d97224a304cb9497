// What one tumbling window of one chain has seen, and its JSON summary.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "stream_sample.hpp"

namespace nebula::data_stream {

struct FieldStats {
  uint64_t count = 0;
  double sum = 0, min = 0, max = 0;
  void add(double value);
  nlohmann::json to_json() const;
};

struct MetricStats {
  uint64_t records = 0;
  std::array<FieldStats, kMetrics.size()> fields;
  void add(const StreamSample& sample);
  nlohmann::json fields_json() const;  // only fields that had values
};

class WindowAggregate {
 public:
  WindowAggregate(double start, double end, size_t max_distinct_nodes);

  void add(const StreamSample& sample);       // an on-time, first-seen sample
  void add_late(const StreamSample& sample);  // "tally" policy
  void count_duplicate() { ++duplicates_; }
  void count_late() { ++late_; }

  double start() const { return start_; }
  double end() const { return end_; }
  uint64_t records() const { return on_time_.records; }
  nlohmann::json to_json(bool with_late_tally) const;

 private:
  double start_, end_;
  size_t max_distinct_nodes_;
  MetricStats on_time_;
  MetricStats late_tally_;
  uint64_t duplicates_ = 0;
  uint64_t late_ = 0;
  // 64-bit hashes, not names: counting needs no more, and memory stays small.
  std::unordered_set<uint64_t> nodes_;
  bool nodes_capped_ = false;
};

}  // namespace nebula::data_stream
