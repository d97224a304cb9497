// The Learning Engine: turns each node's consecutive samples into training
// examples (features of interval t, targets observed at t+1) and packs them
// into "training_examples" insights, the agents' input contract.
// Plain C++, no host: unit-testable.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nebula/json_writer.hpp>
#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nebula_processors/record_sample.hpp>
#include <nlohmann/json.hpp>

#include "anomaly_book.hpp"
#include "features.hpp"
#include "learning_config.hpp"
#include "normalizer.hpp"

namespace nebula::learning {

// The engine reads the processors' shared record row.
using processors::kMissing;
using processors::Sample;

// What happened in the interval after the example's sample. NaN = not reported.
struct Targets {
  double next_blocks = kMissing;
  double next_transactions = kMissing;  // reset-robust counter increase
  double next_latency = kMissing;
  double next_peers = kMissing;
};

struct Example {
  std::string node_id;
  std::string chain_id;  // chain key: chain_id, else node_type
  std::string node_type;
  double timestamp = kMissing;
  FeatureVector raw{};
  Targets targets;
};

class LearningEngine {
 public:
  explicit LearningEngine(Config cfg);

  // Returns the examples these samples completed (in arrival order).
  std::vector<Example> ingest(const std::vector<Sample>& samples);
  std::optional<Example> ingest(const Sample& s);

  bool on_patterns(std::string_view patterns_json, const std::string& source) {
    return anomalies_.update(patterns_json, source);
  }

  // One insight per max_examples_per_insight examples, normalised with the
  // current scales (the same ones each insight publishes).
  // Returned as JSON text, written directly (the per-record cost of a
  // nlohmann document dominated this processor's profile).
  std::vector<std::string> insights(const std::vector<Example>& examples) const;

  Normalizer& normalizer() { return normalizer_; }
  const Normalizer& normalizer() const { return normalizer_; }
  const Config& config() const { return cfg_; }
  double generated_at() const { return generated_at_; }
  size_t nodes_tracked() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }
  uint64_t nodes_evicted() const { return nodes_.evictions(); }
  uint64_t out_of_order() const { return out_of_order_; }
  uint64_t gaps() const { return gaps_; }

 private:
  struct ChainTip {
    double tip = kMissing;
    std::string holder;
  };
  struct NodeState {
    std::string chain;
    double last_ts = kMissing;
    double tx_count = kMissing, tx_ts = kMissing;
    double height = kMissing;
    std::optional<Example> pending{};  // waits for the next sample's targets
  };

  FeatureVector features_of(const Sample& s, const std::string& chain, NodeState& node);
  double lag_behind_tip(const std::string& chain, const std::string& node_id, double height);
  void write_example(JsonWriter& w, const Example& e) const;

  Config cfg_;
  Normalizer normalizer_;
  AnomalyBook anomalies_;
  LruMap<NodeState> nodes_;
  LruMap<ChainTip> chains_;
  double generated_at_ = kMissing;  // max record timestamp seen
  uint64_t out_of_order_ = 0;
  uint64_t gaps_ = 0;
};

}  // namespace nebula::learning
