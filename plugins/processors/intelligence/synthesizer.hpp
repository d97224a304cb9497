// The Intelligence Synthesizer's engine: folds samples from every chain into
// bounded per-node / per-chain state and builds the one combined
// "kind":"intelligence" insight. Plain C++, no host: unit-testable.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "chain_track.hpp"
#include "intelligence_config.hpp"

namespace nebula::intelligence {

class Synthesizer {
 public:
  explicit Synthesizer(Config cfg);

  void ingest(const Sample& s);
  void ingest(const std::vector<Sample>& samples) {
    for (const auto& s : samples) ingest(s);
  }

  // A `patterns` insight: {"active":[{"kind":"stall","node_id":"n1"},
  // {"kind":"partition","nodes":["a","b"]}, ...]}. The latest one replaces the
  // per-chain active-anomaly counts. Anything malformed is skipped; returns
  // false when the document had no usable "active" array.
  bool on_patterns(std::string_view patterns_json);

  // True when an insight should go out now: after every batch with new
  // samples (interval_s = 0), or once event time crossed the next interval.
  bool due() const;
  bool has_unreported() const { return since_emit_ > 0; }
  // Builds the insight and starts a new reporting window.
  nlohmann::json build_insight();

  const Config& config() const { return cfg_; }
  double generated_at() const { return generated_at_; }
  size_t nodes_tracked() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }
  size_t chains_tracked() const { return chains_.size(); }
  uint64_t nodes_evicted() const { return nodes_.evictions(); }
  uint64_t chains_evicted() const { return chains_.evictions(); }
  uint64_t out_of_order() const { return out_of_order_; }
  const ChainTrack* chain(const std::string& key) const { return chains_.find(key); }

 private:
  void update_height(ChainTrack& chain, const std::string& key, NodeTrack& node, const std::string& node_id,
                     const Sample& s);
  void update_tip(ChainTrack& chain, const std::string& key, const std::string& node_id, double height);

  Config cfg_;
  LruMap<NodeTrack> nodes_;
  LruMap<ChainTrack> chains_;
  double generated_at_ = kMissing;  // max record timestamp seen
  double window_from_ = kMissing;   // first timestamp of the current reporting window
  double window_start_ = kMissing;  // interval boundary the window started at (interval_s > 0)
  uint64_t since_emit_ = 0;
  std::map<std::string, std::map<std::string, uint64_t>> anomalies_;  // chain -> kind -> nodes
  uint64_t out_of_order_ = 0;
};

}  // namespace nebula::intelligence
