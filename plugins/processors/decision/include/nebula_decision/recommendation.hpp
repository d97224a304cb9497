// One ranked, explained recommendation, and how duplicates combine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_decision/action.hpp"

namespace nebula::decision {

struct Recommendation {
  Action action = Action::Investigate;
  std::string target;           // node id, or chain id for chain targets
  bool chain_target = false;
  std::string chain_id;
  double score = 0;             // 0..1, higher first
  std::string reason;           // one sentence citing the evidence
  nlohmann::json evidence = nlohmann::json::object();  // {"incidents":[...], "sources":[...], ...}
  // evidence["metrics"] of a recommendation made from an incident: the
  // incident's own evidence, shared until to_json() writes it in, so the
  // candidates a ranking drops never copy it.
  std::shared_ptr<const nlohmann::json> metrics;
  double since = 0;             // earliest start among the supporting signals
  int rank = 0;                 // 1-based after ranking

  std::string key() const;      // "<action>|<target>": the de-duplication key
};

// Folds `extra` into `into` (same key): the stronger reason leads, evidence
// lists are united, and a second independent source raises the score a little.
void merge_into(Recommendation& into, const Recommendation& extra);

// De-duplicates by key, sorts by score (then action, target), ranks 1..n and cuts at `max`.
std::vector<Recommendation> rank(std::vector<Recommendation> candidates, std::size_t max, std::size_t* dropped);

nlohmann::json to_json(const Recommendation& rec);
// The same, with the evidence moved in (for a caller that keeps `rec`
// without it, as the engine's current list does).
nlohmann::json to_json(const Recommendation& rec, nlohmann::json&& evidence);

}  // namespace nebula::decision
