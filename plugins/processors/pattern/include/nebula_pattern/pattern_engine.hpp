// The Pattern Recognizer's streaming core: feed samples batch by batch, get
// the incidents that started, ended and are active. No clocks, no I/O:
// the same samples always give the same report.
#pragma once

#include <list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

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
  // Chains point at nodes in this engine's node map: a copy would share them.
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
  void update_partition(ChainState& chain, BatchReport& report);
  bool refresh_partition(Incident& partition, bool formed, BatchReport& report);
  void supersede_eclipse(NodeState& node, double ts, BatchReport& report);
  void end_node_incidents(NodeState& node, double ts, const char* reason, BatchReport& report);
  void end_stale_nodes(BatchReport& report);
  void evict_oldest(BatchReport& report);
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

  using NodeMap = std::map<std::string, NodeState, std::less<>>;
  // nodes.find(id) that first walks a few entries on from `from`: ids visited
  // in ascending order sit next to each other in the map (or a few entries
  // apart), so the walk usually hits with one or two compares.
  static NodeMap::iterator find_ascending(NodeMap& nodes, NodeMap::iterator from, std::string_view id);

  NodeMap nodes_;  // ordered: deterministic output
  NodeMap::iterator touch_hint_;  // the node touch() returned last; reset per batch and on evictions
  std::map<std::string, ChainState, std::less<>> chains_;
  std::list<std::string> lru_;  // front = least recently seen node
  EngineStats stats_;
  double clock_ = kMissing;     // max timestamp seen
  std::size_t active_hint_ = 0;  // incidents open after the last batch
};

}  // namespace nebula::pattern
