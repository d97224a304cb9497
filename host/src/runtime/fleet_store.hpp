// What the web console shows about the fleet, kept host-side because no
// processor keeps it: every node's chain, type and health, its metrics over
// its last hour of record time (one-minute buckets), and the pool's and the
// agents' own figures over the last hour of wall time (5 s samples).
//
// Bounded: at most kMaxNodes nodes, about 2.6 KB each (60 buckets of 40
// bytes, plus identity and latest values), so ~52 MB at the cap. A node
// beyond the cap is not tracked: counted in
// nebula_console_nodes_untracked_total and logged (throttled), never
// silent. Nodes silent for an hour are forgotten (sweep()).
//
// Threads: observe() on the dispatcher, on_insight() on emitting threads,
// sample_*() on the console sampler, the *_json() readers on admin API
// threads; one mutex guards everything (each call is short).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "ingest/record.hpp"
#include "metrics/metrics.hpp"
#include "runtime/log_throttle.hpp"
#include "runtime/owned_insight.hpp"

namespace nebula::host {

// The pool's counters at one sample (totals; rates are derived on output).
struct PoolSample {
  double time = 0;  // wall seconds since the epoch
  uint64_t records_accepted = 0;
  uint64_t records_processed = 0;
  uint64_t records_rejected = 0;
  uint64_t insights = 0;
  uint64_t queue_depth = 0;
  uint64_t wal_bytes = 0;
};

// Which nodes the fleet list answers, and which page of them.
struct FleetQuery {
  std::string chain_id;   // "" = any
  std::string node_type;  // "" = any
  std::string health;     // "" = any; healthy | degraded | incident | silent
  std::string search;     // "" = any; a substring of the node id
  size_t offset = 0;
  size_t limit = 100;
};

class FleetStore {
 public:
  static constexpr size_t kMaxNodes = 20000;
  static constexpr size_t kMinutes = 60;          // per-node history: one hour of record time
  static constexpr size_t kPoolSamples = 720;     // one hour at kSamplePeriod
  static constexpr std::chrono::seconds kSamplePeriod{5};
  static constexpr std::chrono::seconds kSilentAfter{120};    // no record for this long: "silent"
  static constexpr std::chrono::seconds kForgetAfter{3600};   // no record for this long: forgotten

  enum Metric : size_t { HeightLag, Peers, Latency, TxRate, Cpu, Memory, kMetricCount };
  static constexpr std::array<const char*, kMetricCount> kMetricNames = {"height_lag", "peers", "latency_ms",
                                                                         "tx_rate", "cpu_usage", "memory_usage"};

  explicit FleetStore(Metrics& metrics);

  // [dispatcher] One batch of records, as the pool dispatched them.
  void observe(const std::vector<const Record*>& records);
  // [any thread] A `patterns`, `health` or `anomalies` insight (others ignored).
  void on_insight(const OwnedInsight& insight);
  // [sampler] The pool's counters now, and one agent's stats() document.
  void sample_pool(const PoolSample& sample);
  void sample_agent(const std::string& agent, const nlohmann::json& stats, double now);
  // [sampler] Forgets nodes silent for kForgetAfter; refreshes the gauges.
  void sweep();

  // [any thread] Answers of the console's API (admin_fleet.cpp).
  nlohmann::json fleet_json(const FleetQuery& query) const;
  std::optional<nlohmann::json> node_json(const std::string& node_id) const;
  nlohmann::json history_json() const;

  size_t nodes() const;

 private:
  using SteadyClock = std::chrono::steady_clock;
  // One minute of one node: the mean of each metric over the records in it.
  struct Bucket {
    int32_t minute = std::numeric_limits<int32_t>::min();  // record time / 60
    std::array<float, kMetricCount> mean{};
    std::array<uint16_t, kMetricCount> count{};
  };
  struct Node {
    std::string chain_id;
    std::string node_type;
    double last_record = 0;  // record time of the newest record
    SteadyClock::time_point last_seen{};
    std::optional<int64_t> height;
    std::optional<int64_t> tx_count;
    double tx_count_at = 0;
    std::array<float, kMetricCount> latest;  // NaN when never reported
    std::array<Bucket, kMinutes> minutes{};  // ring by minute % kMinutes
    double analyst_score = std::numeric_limits<double>::quiet_NaN();
    std::string health_band;  // Resonant's latest band, "" before any
  };
  struct AgentPoint {
    double time = 0;
    nlohmann::json values;  // steps, losses, version, examples (the numbers stats() gave)
  };

  void observe_one(const Record& r, SteadyClock::time_point now);
  // Each returns false when part of the document was not in the expected
  // shape (that part is skipped; the caller logs it).
  bool on_patterns(simdjson::dom::element doc);
  bool on_health(simdjson::dom::element doc);
  bool on_anomalies(simdjson::dom::element doc);
  std::string health_of(const std::string& id, const Node& n, SteadyClock::time_point now) const;
  nlohmann::json node_summary(const std::string& id, const Node& n, SteadyClock::time_point now) const;

  Metrics& metrics_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Node> nodes_;
  std::unordered_map<std::string, int64_t> chain_height_;  // highest height seen per chain
  // node -> ids of the open incidents naming it (the newest `patterns` view).
  std::unordered_map<std::string, std::set<std::string>> in_incident_;
  uint64_t incidents_open_ = 0;
  uint64_t untracked_ = 0;
  LogThrottle untracked_log_{std::chrono::seconds(60)};
  std::deque<PoolSample> pool_;
  std::map<std::string, std::deque<AgentPoint>> agents_;
};

}  // namespace nebula::host
