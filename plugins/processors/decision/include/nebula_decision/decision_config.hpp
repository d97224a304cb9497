// Decision Optimizer settings, read from the component's JSON config.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "nebula/host.hpp"

namespace nebula::decision {

struct DecisionConfig {
  std::string topic = "decisions";
  int max_recommendations = 50;     // ranked list is cut here
  int max_nodes = 10000;            // incident history kept for at most this many nodes
  int max_chains = 256;             // chains with observations / enrichment facts
  int max_sources = 16;             // distinct upstream components remembered
  double repeat_window_s = 3600;    // "repeated" = within this window
  int quarantine_after = 3;         // incidents in the window before quarantine
  double quarantine_severity = 0.85;  // or one incident this severe (security-relevant kinds)
  double input_ttl_s = 600;         // forget an upstream's view after this long without news
  double slow_chain_factor = 1.5;   // observed/expected block interval that counts as slow
  double chain_incident_share = 0.3;  // share of a chain's nodes with incidents that makes it "degraded"
  bool emit_unchanged = false;      // emit even when the ranked list did not change
  double agent_evidence_ttl_s = 300;  // an agent's finding about a record older than this is not cited
  double agent_score_step = 0.05;     // how far one agent's finding moves a node's score (agent_priority.hpp)

  static DecisionConfig parse(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);
};

}  // namespace nebula::decision
