// Network analysis per chain: peer-count and latency distributions (streaming
// quantiles), bandwidth totals, connection quality, isolated nodes and
// suspected partitions. Plain values in, one JSON summary per batch out; no
// ABI types.
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

#include "network_config.hpp"
#include "node_health.hpp"
#include "windowed_distribution.hpp"

namespace nebula::network_monitor {

// The fields of one record this processor reads (views borrowed for the call).
struct NetworkSample {
  double timestamp = 0;
  std::string_view node_id;
  std::string_view chain_id;  // empty is reported as "unknown"
  std::optional<double> peer_count;
  std::optional<double> latency_ms;
  std::optional<double> bandwidth;
  std::optional<double> connection_quality;
};

class NetworkMonitor {
 public:
  explicit NetworkMonitor(Config config);

  // Folds one record in; false if it was skipped (no node id or timestamp).
  bool observe(const NetworkSample& sample);

  // Summary of the chains seen since the last call (kind "network"), or
  // nullopt if nothing was observed. Also forgets expired nodes.
  std::optional<nlohmann::json> take_insight();

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
    double last_seen = 0;
    std::optional<double> peers, latency, bandwidth, quality;  // latest reported
    NodeHealth health;
  };
  struct ChainState {
    double last_seen = 0;
    std::optional<WindowedDistribution> peers;    // set when the chain is first seen
    std::optional<WindowedDistribution> latency;
  };
  struct BatchChain {
    uint64_t records = 0;
    uint64_t out_of_order = 0;
  };

  nlohmann::json chain_summary(const ChainState& chain, const std::vector<const NodeState*>& nodes,
                               const BatchChain& batch) const;

  Config config_;
  LruMap<NodeState> nodes_;  // key: chain_id '\x1f' node_id
  LruMap<ChainState> chains_;
  std::map<std::string, BatchChain, std::less<>> batch_;
  uint64_t batch_records_ = 0;
  uint64_t batch_skipped_ = 0;
  uint64_t expired_nodes_ = 0;
  processors::ExpiryGate expiry_;  // skips the expiry sweep while no node can have expired
  std::optional<double> generated_at_;
  std::string key_;
};

}  // namespace nebula::network_monitor
