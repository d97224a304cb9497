// Per-chain block-time and consensus observations, and observe_chain
// recommendations for chains that look unhealthy as a whole.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_decision/chain_facts.hpp"
#include "nebula_decision/decision_config.hpp"
#include "nebula_decision/incident_view.hpp"
#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

struct ChainInputs {
  const PatternChainFacts* patterns = nullptr;
  const BlockFacts* blocks = nullptr;
  const NetworkFacts* network = nullptr;
};

struct ChainObservations {
  nlohmann::json observations = nlohmann::json::array();  // one object per chain, by chain id
  std::vector<Recommendation> recommendations;            // observe_chain
};

ChainObservations observe_chains(const std::map<std::string, ChainInputs>& chains,
                                 const IncidentRefs& active, const DecisionConfig& config);

}  // namespace nebula::decision
