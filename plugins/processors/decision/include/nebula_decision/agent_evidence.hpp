// What the agents last concluded about each node and chain, from their
// `anomalies` (Analyst), `health` (Resonant) and `forecasts` (Archivist)
// insights, kept so a recommendation can cite it next to the pattern
// recognizer's incidents. Parsed defensively like every input: an entry
// without a node id or its main number is skipped. Bounded (LRU) by
// max_nodes / max_chains, and forgotten after agent_evidence_ttl_s of
// decision time (see expire()).
#pragma once

#include <cstddef>
#include <string>

#include <nebula/lru_map.hpp>
#include <nlohmann/json.hpp>

#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

// One agent's finding about one node or chain.
struct AgentFinding {
  std::string node_id;   // empty for a chain-wide finding
  std::string chain_id;
  double as_of = 0;      // record time the agent's finding is about
  nlohmann::json model_version;  // as the agent gave it (a number, or null)
  nlohmann::json cited;  // the finding's own fields, as a recommendation quotes them
};

struct AnalystFinding : AgentFinding {
  double score = 0;        // combined with the recognised patterns
  double autoencoder = 0;  // the model's own view, independent of the patterns
  bool calibrated = false;  // the agent's score distribution had warmed up
};

struct ResonantFinding : AgentFinding {
  double health = 1;
  std::string band;  // healthy | degraded | unhealthy
};

class AgentEvidence {
 public:
  AgentEvidence(std::size_t max_nodes, std::size_t max_chains);

  void take_anomalies(const nlohmann::json& doc);
  void take_health(const nlohmann::json& doc);
  void take_forecasts(const nlohmann::json& doc);
  // Forgets findings about records older than `cutoff`.
  void expire(double cutoff);

  // For a node target, the finding about that node; for a chain target, the
  // chain's most anomalous / least healthy node. nullptr: none.
  const AnalystFinding* analyst_for(const Recommendation& r) const;
  const ResonantFinding* resonant_for(const Recommendation& r) const;
  // The node's latest forecast check, else its chain's.
  const AgentFinding* archivist_for(const Recommendation& r) const;

  // {"analyst": …|null, "resonant": …|null, "archivist": …|null}, each with
  // its model_version, as_of and age_s (seconds before `now`).
  nlohmann::json cite(const Recommendation& r, double now) const;

 private:
  LruMap<AnalystFinding> analyst_;
  LruMap<ResonantFinding> resonant_;
  LruMap<AgentFinding> forecast_nodes_;
  LruMap<AgentFinding> forecast_chains_;
};

}  // namespace nebula::decision
