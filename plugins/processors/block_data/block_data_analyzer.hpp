// Block data analysis: chain tips, per-node lag, observed vs expected block
// interval, stalled nodes and blocks processed per interval. Plain values in,
// one JSON summary per batch out; no ABI types.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "block_data_config.hpp"

namespace nebula::block_data {

// The fields of one record this processor reads (views borrowed for the call).
struct BlockSample {
  double timestamp = 0;
  std::string_view node_id;
  std::string_view chain_id;  // empty is reported as "unknown"
  std::optional<int64_t> height;
  std::optional<int64_t> blocks_processed;
};

class BlockDataAnalyzer {
 public:
  explicit BlockDataAnalyzer(Config config);

  // Folds one record in; false if it was skipped (no node id or timestamp).
  bool observe(const BlockSample& sample);

  // Summary of the chains seen since the last call (kind "block_data"), or
  // nullopt if nothing was observed. Also forgets expired nodes.
  std::optional<nlohmann::json> take_insight();

  size_t tracked_nodes() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }
  size_t tracked_chains() const { return chains_.size(); }
  uint64_t evicted_nodes() const { return nodes_.evictions(); }
  uint64_t evicted_chains() const { return chains_.evictions(); }

 private:
  struct NodeState {
    std::string node_id;
    std::string chain_id;
    int64_t height = 0;
    double height_since = 0;  // record time the node first reported `height`
    double last_seen = 0;     // newest record time of this node
  };
  struct TipAdvance {
    double time;
    int64_t height;
  };
  struct ChainState {
    bool has_tip = false;
    int64_t tip = 0;
    double tip_time = 0;  // record time the current tip was first seen
    double last_seen = 0;
    std::deque<TipAdvance> advances;  // bounded by interval_samples + 1
    int64_t blocks_processed_total = 0;
  };
  // What this batch added per chain.
  struct BatchChain {
    uint64_t records = 0;
    uint64_t blocks_samples = 0;
    int64_t blocks_sum = 0;
  };

  void advance_tip(ChainState& chain, int64_t height, double time);
  nlohmann::json chain_summary(const std::string& chain_id, const ChainState& chain,
                               const std::vector<const NodeState*>& nodes, const BatchChain& batch) const;

  Config config_;
  LruMap<NodeState> nodes_;  // key: chain_id '\x1f' node_id
  LruMap<ChainState> chains_;
  std::map<std::string, BatchChain, std::less<>> batch_;
  uint64_t batch_records_ = 0;
  uint64_t batch_skipped_ = 0;
  uint64_t expired_nodes_ = 0;
  std::optional<double> generated_at_;  // newest record time ever seen
  std::string key_;                     // scratch, avoids an allocation per record
};

}  // namespace nebula::block_data
