#include "window_aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

namespace nebula::data_stream {

void FieldStats::add(double value) {
  if (!std::isfinite(value)) return;
  min = count ? std::min(min, value) : value;
  max = count ? std::max(max, value) : value;
  sum += value;
  ++count;
}

nlohmann::json FieldStats::to_json() const {
  return {{"count", count}, {"mean", sum / static_cast<double>(count)}, {"min", min}, {"max", max}};
}

void MetricStats::add(const StreamSample& s) {
  ++records;
  for (size_t i = 0; i < kMetrics.size(); ++i) fields[i].add(s.metrics[i]);
}

nlohmann::json MetricStats::fields_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < kMetrics.size(); ++i)
    if (fields[i].count) out[std::string(kMetrics[i])] = fields[i].to_json();
  return out;
}

WindowAggregate::WindowAggregate(double start, double end, size_t max_distinct_nodes)
    : start_(start), end_(end), max_distinct_nodes_(max_distinct_nodes) {}

void WindowAggregate::add(const StreamSample& s) {
  on_time_.add(s);
  const uint64_t h = std::hash<std::string_view>{}(s.node_id);
  if (nodes_.size() < max_distinct_nodes_) nodes_.insert(h);
  else if (!nodes_.count(h)) nodes_capped_ = true;
}

void WindowAggregate::add_late(const StreamSample& s) { late_tally_.add(s); }

nlohmann::json WindowAggregate::to_json(bool with_late_tally) const {
  nlohmann::json doc = {{"start", start_},
                        {"end", end_},
                        {"records", on_time_.records},
                        {"distinct_nodes", nodes_.size()},
                        {"distinct_nodes_capped", nodes_capped_},
                        {"duplicates", duplicates_},
                        {"late", late_},
                        {"fields", on_time_.fields_json()}};
  if (with_late_tally) doc["late_tally"] = {{"records", late_tally_.records}, {"fields", late_tally_.fields_json()}};
  return doc;
}

}  // namespace nebula::data_stream
