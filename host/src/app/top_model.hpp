// What `nebula-pool top` shows, computed from two snapshots of the admin API
// (GET /api/v1/pool/stats and /metrics) taken a refresh apart: rates are
// the counters' differences over the time between them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::host {

// One Prometheus sample: family name, labels, value.
struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The text exposition format, samples only (comments skipped).
std::vector<MetricSample> parse_prometheus_text(const std::string& text);

struct TopSnapshot {
  nlohmann::json stats;                // /api/v1/pool/stats
  std::vector<MetricSample> metrics;  // /metrics
  double taken_at = 0;                 // steady seconds
};

struct ComponentRow {
  std::string id;
  std::string kind;  // transport, processor, agent, sink
  std::optional<double> in_rate;   // records/s (transports), calls/s (processors), delivered/s (sinks)
  std::optional<double> out_rate;  // insights/s emitted
  std::optional<double> queue;     // inbox, training queue, sink queue
  std::optional<double> errors;    // rejected records, failed calls, dead-lettered insights (totals)
  std::string note;                // not ready, failing: why
};

struct IncidentRow {
  std::string kind, chain, component;
  double active = 0;
};

struct TopFrame {
  std::string status;  // ready, degraded, draining
  double uptime_s = 0;
  double queue_depth = 0, queue_capacity = 0;
  double accepted_rate = 0, processed_rate = 0, insight_rate = 0;
  double rejected = 0, retries = 0;
  std::vector<ComponentRow> components;
  std::vector<IncidentRow> incidents;  // active only
};

// `before` may be null (the first refresh): rates then read 0.
TopFrame make_frame(const TopSnapshot* before, const TopSnapshot& now);

}  // namespace nebula::host
