// The Pattern Recognizer's streaming core: feed samples batch by batch, get
// the incidents that started, ended and are active. No clocks, no I/O:
// the same samples always give the same report.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nebula/lru_map.hpp>

#include "nebula_pattern/batch_report.hpp"
#include "nebula_pattern/chain_state.hpp"
#include "nebula_pattern/eclipse_detector.hpp"
#include "nebula_pattern/hashrate_detector.hpp"
#include "nebula_pattern/node_state.hpp"
#include "nebula_pattern/partition_detector.hpp"
#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/resource_detector.hpp"
#include "nebula_pattern/stall_detector.hpp"
#include "nebula_pattern/tx_flood_detector.hpp"

namespace nebula::pattern {

class PatternEngine {
 public:
  explicit PatternEngine(PatternConfig config);
  // Chains and with_incidents_ point at nodes in this engine's node table: a
  // copy would share them (a move keeps them: the table's entries never move).
  PatternEngine(const PatternEngine&) = delete;
  PatternEngine& operator=(const PatternEngine&) = delete;
  PatternEngine(PatternEngine&&) = default;
  PatternEngine& operator=(PatternEngine&&) = default;

  // Processes one batch (any order; sorted by timestamp, node here).
  // `invalid_records`: rows the reader already left out (no node or time),
  // counted in the stats as if they had been passed in.
  BatchReport process(std::vector<Sample> samples, std::size_t invalid_records = 0);

  // Introspection for tests and metrics.
  const NodeState* node(std::string_view node_id) const;
  const ChainState* chain(std::string_view chain_id) const;
  std::vector<Incident> active() const;
  const EngineStats& stats() const { return stats_; }
  const PatternConfig& config() const { return config_; }

 private:
  void process_sample(const Sample& s, BatchReport& report);
  NodeState& touch(const Sample& s, BatchReport& report);
  ChainState& chain_named(std::string_view chain_id, const std::string& node_type);
  ChainState& chain_for(NodeState& node, const Sample& s, BatchReport& report);
  void apply(NodeState& node, Kind kind, const Verdict& v, double ts, int sustain, BatchReport& report);
  // A node's incident of `kind` opened or closed: keeps with_incidents_.
  void opened(NodeState& node, Kind kind);
  void closed(NodeState& node, Kind kind);
  // Puts the node in, or takes it out of, its chain's degraded members.
  void sync_degraded(NodeState& node);
  void update_partition(ChainState& chain, BatchReport& report);
  bool refresh_partition(Incident& partition, bool formed, BatchReport& report);
  void supersede_eclipse(NodeState& node, double ts, BatchReport& report);
  void end_node_incidents(NodeState& node, double ts, const char* reason, BatchReport& report);
  void end_stale_nodes(BatchReport& report);
  // Ends what the node has open and takes it out of its chain: it is about
  // to be evicted.
  void retire(NodeState& node, BatchReport& report);
  // A partition's member: always in the table (a node leaves its chain's
  // partitions before it is evicted). Throws std::logic_error if not.
  NodeState& member(std::string_view node_id);
  void drop_from_chain(NodeState& node, BatchReport& report);
  // `expected`: how many incidents to reserve room for (the last count).
  std::vector<Incident> snapshot_active(std::size_t expected) const;
  std::vector<ChainSummary> chain_summaries() const;

  PatternConfig config_;
  StallDetector stall_;
  EclipseDetector eclipse_;
  PartitionDetector partition_;
  TxFloodDetector tx_flood_;
  HashrateDetector hashrate_;
  ResourceDetector resource_;

  // Node id -> its state, least recently seen evicted first (the shared
  // nebula::LruMap: one hash probe per sample, the entry inline in its slot).
  // Optional only because a NodeState needs the config to be built.
  LruMap<std::optional<NodeState>> nodes_;
  std::map<std::string, ChainState, std::less<>> chains_;
  // The nodes with an open incident: the active snapshot after every batch
  // reads these, not every node (perf: 22 % of the plugin at 5,000 nodes,
  // growing with the fleet). Entries point into nodes_; a node leaves
  // before it is erased (its incidents end when it is evicted).
  std::unordered_set<const NodeState*> with_incidents_;
  EngineStats stats_;
  double clock_ = kMissing;     // max timestamp seen
  // At most the oldest last_ts of the nodes not yet stale: while the stale
  // cutoff is below it, end_stale_nodes skips its scan of every node (it
  // ran per batch: 1.5 % of the pool's CPU at 2,000 nodes, growing with the
  // fleet). A node's last_ts only rises, so only a sample older than this
  // (a new node's late data) lowers it.
  double oldest_fresh_ts_ = std::numeric_limits<double>::infinity();
  std::size_t active_hint_ = 0;  // incidents open after the last batch
};

}  // namespace nebula::pattern
