// What the Pattern Recognizer knows about one chain: the tip (highest height
// any of its nodes reported), the measured block interval, its nodes, and
// the partition incidents open on it (a chain can split more than once).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nebula_pattern/incident.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

struct NodeState;

struct ChainTip {
  double height = kMissing;
  double advanced_at = kMissing;  // timestamp of the sample that raised the tip
};

class ChainState {
 public:
  ChainState(std::string chain_id, double expected_interval);

  // Raises the tip when `height` is above it and refreshes the measured interval.
  void observe_height(double height, double ts);

  const std::string& chain_id() const { return chain_id_; }
  const ChainTip& tip() const { return tip_; }
  double expected_interval() const { return expected_interval_; }
  // Seconds per block over the last ~20 expected intervals; NaN until measured.
  double observed_interval() const { return observed_interval_; }

  // Member ids, ordered (deterministic scans), each with its node in the
  // engine's node map (stable: a node leaves here before it is erased there).
  std::map<std::string, NodeState*, std::less<>> nodes;
  // The members whose degradation episode is active, what partitions are
  // formed from, in the same order; kept by the engine as episodes change
  // (PatternEngine::sync_degraded), so that a batch during a partition does
  // not scan every member per sample. Keys view the nodes' own ids.
  std::map<std::string_view, const NodeState*> degraded;
  std::vector<Incident> partitions;   // open partition incidents, oldest first
  // Something update_partition reads changed since it last ran: a member's
  // or a degraded node's sample, the degraded set, a partition's members.
  // Without it a run changes nothing, so a sample of any other node of the
  // chain skips it (it ran per sample of the chain: ~60 % of the engine's
  // samples while a partition was open, perf #15).
  bool partitions_stale = false;

  // The open partition that lists node_id, or nullptr.
  const Incident* partition_of(std::string_view node_id) const;

 private:
  std::string chain_id_;
  double expected_interval_;
  ChainTip tip_;
  double anchor_height_ = kMissing;
  double anchor_ts_ = kMissing;
  double observed_interval_ = kMissing;
};

}  // namespace nebula::pattern
