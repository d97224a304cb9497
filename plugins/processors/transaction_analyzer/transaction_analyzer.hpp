// Transaction throughput per node and per chain from the cumulative
// blockchain.transaction_count counter, each node's share of its chain, and
// bursts against each node's own baseline. Plain values in, one JSON summary
// per batch out; no ABI types.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula_processors/expiry_gate.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "counter_rate.hpp"
#include "fee_market.hpp"
#include "transaction_config.hpp"

namespace nebula::transaction_analyzer {

// The fields of one record this processor reads (views borrowed for the call).
struct TxSample {
  double timestamp = 0;
  std::string_view node_id;
  std::string_view chain_id;  // empty is reported as "unknown"
  std::optional<int64_t> transaction_count;
  // What a full node reports of its own mempool (its `transaction_analysis`
  // extra, docs/transports.md); absent for other nodes.
  std::optional<double> mempool_size;
  std::optional<double> average_fee;
  // The `economics` group (fees, mempool) where the node sends one
  // (`nebula-node run --ethereum`); all NaN otherwise.
  processors::Economics economics;
  // Blocks the node counted since its previous sample, where it says: a
  // sample without a new block cannot show transactions, so it is no rate
  // sample (on a chain slower than the sampling, it would make every block
  // look like a burst); the next block's rate spans both.
  std::optional<int64_t> blocks_processed;
};

struct NodeShare {
  std::string node_id;
  double tps = 0;
  double baseline_tps = 0;
  double share = 0;  // tps / chain throughput; 0 when the chain has none
};

class TransactionAnalyzer {
 public:
  explicit TransactionAnalyzer(Config config);

  // Folds one record in; false if it was skipped (no node id or timestamp).
  bool observe(const TxSample& sample);

  // Summary of the chains seen since the last call (kind "transactions"), or
  // nullopt if nothing was observed. Also forgets expired nodes.
  std::optional<nlohmann::json> take_insight();

  // Current throughput of a chain: the sum of its active nodes' latest rates.
  double throughput(std::string_view chain_id) const;
  // Active nodes of a chain that have a rate, largest share first.
  std::vector<NodeShare> shares(std::string_view chain_id) const;

  size_t tracked_nodes() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }
  uint64_t evicted_nodes() const { return nodes_.evictions(); }

 private:
  struct NodeState {
    std::string node_id;
    std::string chain_id;
    CounterRate counter;
    NodeFees fees;
  };
  struct ChainState {
    double last_seen = 0;
  };
  struct Burst {
    double tps = 0;
    double baseline_tps = 0;
    double z = 0;
    processors::Demand cause = processors::Demand::Unknown;  // by the node's fees
    double tip_gwei = processors::kMissing;
    double usual_tip_gwei = processors::kMissing;
  };
  struct BatchChain {
    uint64_t records = 0;
    uint64_t rate_samples = 0;
    int64_t transactions = 0;
    uint64_t resets = 0;
    uint64_t out_of_order = 0;
    uint64_t between_blocks = 0;  // samples without a new block, left out of the rates
    std::map<std::string, Burst> bursts;  // strongest per node
    // Node-reported mempool figures (full nodes' transaction_analysis).
    uint64_t mempool_reports = 0, fee_reports = 0;
    double mempool_sum = 0, fee_sum = 0;
    std::map<std::string, FeeReport> economics;  // latest `economics` report per node
  };

  // What a chain summary lists: the first `top_nodes` shares in shares_of
  // order, how many nodes have a rate, and their throughput summed in that order.
  struct Ranking {
    std::vector<NodeShare> top;
    size_t nodes = 0;
    double throughput = 0;
  };

  bool active(const NodeState& node) const;
  std::vector<NodeShare> shares_of(const std::vector<const NodeState*>& nodes) const;
  Ranking rank(const std::vector<const NodeState*>& nodes) const;
  nlohmann::json chain_summary(const Ranking& ranking, const BatchChain& batch) const;

  Config config_;
  BurstRule rule_;
  processors::FeeRule fee_rule_;
  LruMap<NodeState> nodes_;  // key: chain_id '\x1f' node_id
  LruMap<ChainState> chains_;
  std::map<std::string, BatchChain, std::less<>> batch_;
  uint64_t batch_records_ = 0;
  uint64_t batch_skipped_ = 0;
  uint64_t total_resets_ = 0;
  uint64_t total_out_of_order_ = 0;
  uint64_t expired_nodes_ = 0;
  processors::ExpiryGate expiry_;  // skips the expiry sweep while no node can have expired
  std::optional<double> generated_at_;
  std::string key_;
};

}  // namespace nebula::transaction_analyzer
