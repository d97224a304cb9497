// Candidate recommendations from the optional `network` and `blockchain`
// insights: isolated nodes -> add_peers, reported partitions -> investigate,
// stalled nodes -> resync. Merged with the incident-driven ones by key.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nebula_decision/chain_facts.hpp"
#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

std::vector<Recommendation> recommend_from_network(const std::map<std::string, NetworkFacts>& network);
std::vector<Recommendation> recommend_from_blocks(const std::map<std::string, BlockFacts>& blocks);

}  // namespace nebula::decision
