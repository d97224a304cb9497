// From open incidents (and each node's recent history) to candidate
// recommendations: stall -> resync, eclipse -> add_peers, partition ->
// investigate the chain (+ add_peers for members), tx_flood and hash rate
// changes -> investigate, resource_exhaustion -> scale_resources, and
// quarantine only for repeated or severe misbehaviour.
#pragma once

#include <vector>

#include "nebula_decision/decision_config.hpp"
#include "nebula_decision/incident_history.hpp"
#include "nebula_decision/incident_view.hpp"
#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

std::vector<Recommendation> recommend_for_incidents(const IncidentRefs& active,
                                                    const IncidentHistory& history, const DecisionConfig& config,
                                                    double now);

// Kinds that say something about the node's own trustworthiness (resource
// exhaustion and partitions do not: they are capacity and network problems).
bool counts_towards_quarantine(const std::string& kind);

}  // namespace nebula::decision
