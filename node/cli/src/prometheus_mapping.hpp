// Maps scraped Prometheus samples to record fields, as a small YAML file says:
//
//   blockchain.current_height: chain_head_block          # field: selector
//   performance.cpu_usage:                               # or the long form
//     metric: node_cpu_seconds_total{mode="idle"}        # a selector or a list of them
//     rate: true         # per-second growth between two scrapes (counters)
//     aggregate: avg     # sum (default) | avg | min | max over matching series
//     scale: -100        # value = offset + scale * (aggregate - minus) / divide_by
//     offset: 100
//     minus: ...         # optional selector(s), matching gauges summed
//     divide_by: ...     # optional selector(s), matching gauges summed (0 -> no value)
//
// Canonical integer fields (current_height, peer_count, ...) are rounded and
// canonical fields are never negative, as the pool requires; other fields
// are passed on as extras.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "prometheus_text.hpp"

namespace nebula::node::collect {

enum class Aggregate { Sum, Avg, Min, Max };

struct FieldRule {
  std::string field;  // dotted record field, e.g. "network.peer_count"
  std::vector<PromSelector> metric;
  std::vector<PromSelector> minus;      // empty: nothing subtracted
  std::vector<PromSelector> divide_by;  // empty: no division
  bool rate = false;
  Aggregate aggregate = Aggregate::Sum;
  double scale = 1.0;
  double offset = 0.0;
};

// Throws std::invalid_argument naming the line and the problem.
std::vector<FieldRule> parse_mapping(std::string_view yaml_text);
std::vector<FieldRule> load_mapping_file(const std::filesystem::path& file);

// Sets record["a"]["b"] for "a.b", creating objects on the way.
void set_dotted(nlohmann::json& record, std::string_view dotted, nlohmann::json value);

class PrometheusMapper {
 public:
  explicit PrometheusMapper(std::vector<FieldRule> rules);
  // The mapped fields of one scrape, nested. A rule with no matching series
  // (or, for rates, no previous scrape yet) sets nothing.
  nlohmann::json apply(const std::vector<PromSample>& samples, std::chrono::steady_clock::time_point now);
  const std::vector<FieldRule>& rules() const { return rules_; }

 private:
  std::vector<FieldRule> rules_;
  std::map<std::string, double> previous_;  // series key -> value, for rate rules
  std::optional<std::chrono::steady_clock::time_point> previous_at_;
};

}  // namespace nebula::node::collect
