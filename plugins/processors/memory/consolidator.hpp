// The Memory Consolidator's engine: long-term per-node and per-chain
// baselines plus compacted hourly history, bounded, serialisable, and the
// "kind":"memory" insight. Plain C++, no host: unit-testable.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nebula_processors/block_interval.hpp>
#include <nebula_processors/record_sample.hpp>
#include <nlohmann/json.hpp>

#include "baseline.hpp"
#include "hourly_history.hpp"
#include "memory_config.hpp"

namespace nebula::memory {

// The consolidator reads the processors' shared record row.
using processors::kMissing;
using processors::Sample;

struct NodeMemory {
  std::string chain;
  std::string node_type;
  Baseline baseline;
  HourlyHistory hours;
  // Previous counters, to turn cumulative values into rates.
  double last_ts = kMissing;
  double tx_count = kMissing, tx_ts = kMissing;
  processors::HeightClock height{};  // latest height and when it last changed: the block interval
  // How the latest sample compared with the baseline (not persisted).
  MetricValues last_values = no_values();
  Deviation last_deviation;
  std::set<std::string> anomaly_kinds;  // active per the latest patterns insight
  uint64_t anomaly_onsets = 0;          // times a kind became active
};

struct ChainMemory {
  Baseline baseline;
  HourlyHistory hours;
};

class Consolidator {
 public:
  explicit Consolidator(Config cfg);

  void ingest(const Sample& s);
  void ingest(const std::vector<Sample>& samples) {
    for (const auto& s : samples) ingest(s);
  }
  // {"active":[{"kind":..,"node_id":..} | {"kind":..,"nodes":[..]}]}; malformed entries skipped.
  bool on_patterns(std::string_view patterns_json);

  nlohmann::json insight() const;

  // Persisted state. from_json replaces everything or, when it throws
  // (damaged document), leaves the current state untouched.
  nlohmann::json to_json() const;
  void from_json(const nlohmann::json& doc);

  const Config& config() const { return cfg_; }
  const NodeMemory* node(const std::string& id) const { return nodes_.find(id); }
  const ChainMemory* chain(const std::string& id) const { return chains_.find(id); }
  double generated_at() const { return generated_at_; }
  size_t nodes_tracked() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }
  uint64_t nodes_evicted() const { return nodes_.evictions(); }
  uint64_t chains_evicted() const { return chains_.evictions(); }
  uint64_t late_samples_dropped() const { return late_dropped_; }
  uint64_t out_of_order() const { return out_of_order_; }

 private:
  // What insight() and on_patterns() need of the whole fleet, kept as nodes
  // change so that they cost what changed rather than a pass over every
  // node (issue 15: at the node cap that pass was most of this processor's
  // time, and it grows with the fleet).
  struct ChainTally {
    size_t nodes = 0;             // tracked nodes whose chain key this is (the chain may be evicted)
    uint64_t anomaly_onsets = 0;  // their anomaly onsets
  };

  nlohmann::json deviating_nodes() const;
  // A tracked node leaves the tallies: evicted, or reset because it moved chain.
  void forget(const std::string& id, const NodeMemory& node);
  void rebuild_tallies();

  Config cfg_;
  LruMap<NodeMemory> nodes_;
  LruMap<ChainMemory> chains_;
  std::unordered_map<std::string, ChainTally> chain_tallies_;
  std::set<std::string, std::less<>> anomalous_;  // nodes with active anomaly kinds
  std::set<std::string, std::less<>> deviating_;  // nodes whose latest sample deviated past the threshold
  double generated_at_ = kMissing;  // max record timestamp seen
  uint64_t late_dropped_ = 0;
  uint64_t out_of_order_ = 0;
};

}  // namespace nebula::memory
