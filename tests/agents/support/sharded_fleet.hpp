// One simulated fleet split between hosts the way a multi-host pool splits
// it: every node belongs to one shard, each shard runs its own processors
// (so its own Learning Engine normalisation), and a whole-fleet view gives
// held-out data from every node, which no single host sees.
#pragma once

#include <vector>

#include "fleet_feed.hpp"

namespace nebula::agents::testing {

class ShardedFleet {
 public:
  struct Step {
    std::vector<std::vector<TopicDoc>> shards;  // what each host's processors produced
    std::vector<TopicDoc> whole;                // the same step seen by one pool with every node
  };

  // Node i (in the fleet's node order) belongs to shard i % shards, so every
  // shard gets the same mix of chains and node types.
  ShardedFleet(const nebula_sim::FleetConfig& cfg, size_t shards) : fleet_(cfg), shards_(shards) {}

  Step step() {
    const auto records = fleet_.step();
    std::vector<std::vector<nebula_sim::SimRecord>> split(shards_.size());
    for (size_t i = 0; i < records.size(); ++i) split[i % split.size()].push_back(records[i]);
    Step out;
    for (size_t k = 0; k < shards_.size(); ++k) out.shards.push_back(shards_[k].process(split[k]));
    out.whole = whole_.process(records);
    return out;
  }

  const nebula_sim::Fleet& fleet() const { return fleet_; }

 private:
  nebula_sim::Fleet fleet_;
  std::vector<FleetProcessors> shards_;
  FleetProcessors whole_;
};

}  // namespace nebula::agents::testing
