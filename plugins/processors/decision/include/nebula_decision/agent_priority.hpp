// How the agents' evidence enters a recommendation: cited in
// evidence.agents (null per agent that has nothing on the target), named in
// the reason, and, conservatively, moving the score of a node target by at
// most two steps of `step`:
//   +step  the Analyst's autoencoder (its own view, not the recognised
//          patterns it also folds in) scores the node >= 0.9, once calibrated;
//   +step  the Resonant rates the node's network health "unhealthy";
//   -step  both see the node as normal (autoencoder < 0.2, calibrated, and
//          health "healthy"), except for a quarantine.
// The Archivist's forecast errors are cited only: at 5 s intervals block
// counts are mostly chance, so a single miss says little about a node.
#pragma once

#include "nebula_decision/agent_evidence.hpp"
#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

// The score change the agents' findings warrant for `r` (0 without findings).
double agent_score_change(const Recommendation& r, const AnalystFinding* analyst, const ResonantFinding* resonant,
                          double step);

// Cites the agents' evidence on `r` as of `now` and applies agent_score_change.
void apply_agent_evidence(Recommendation& r, const AgentEvidence& evidence, double now, double step);

}  // namespace nebula::decision
