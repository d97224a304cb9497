// The Decision Optimizer's core: insights in, a ranked recommendation list
// out. Time is the latest `generated_at` found inside the inputs (never the
// wall clock), so the same inputs give the same output.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "nebula_decision/agent_evidence.hpp"
#include "nebula_decision/chain_facts.hpp"
#include "nebula_decision/decision_config.hpp"
#include "nebula_decision/incident_history.hpp"
#include "nebula_decision/incident_view.hpp"
#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

struct DecisionStats {
  std::uint64_t patterns = 0;
  std::uint64_t network = 0;
  std::uint64_t block_data = 0;
  std::uint64_t anomalies = 0;  // the Analyst's
  std::uint64_t health = 0;     // the Resonant's
  std::uint64_t forecasts = 0;  // the Archivist's
  std::uint64_t ignored = 0;    // other kinds/topics
  std::uint64_t malformed = 0;  // not a JSON object
  std::uint64_t evicted_chains = 0;
  std::uint64_t evicted_sources = 0;
};

class DecisionEngine {
 public:
  explicit DecisionEngine(DecisionConfig config);

  // Takes one insight into the inputs; false when it was not relevant
  // (another kind, or not a JSON object: counted in stats()).
  bool take(std::string_view topic, std::string_view source, std::string_view json);
  // Ranks what the inputs taken so far call for; returns the `decisions`
  // document to publish, or nullopt when nothing changed since the last
  // decision (unless emit_unchanged). The plugin decides once per cycle.
  std::optional<nlohmann::json> decide_if_changed();
  // One input, one decision: take() then, if relevant, decide_if_changed().
  std::optional<nlohmann::json> ingest(std::string_view topic, std::string_view source, std::string_view json);

  // The last decision's list; each one's evidence went into its document.
  const std::vector<Recommendation>& current() const { return current_; }
  const DecisionStats& stats() const { return stats_; }
  const DecisionConfig& config() const { return config_; }
  double clock() const { return clock_; }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 3> state_tables() const;

 private:
  enum class Input { Patterns, Network, BlockData, Anomalies, Health, Forecasts, Other };
  // By the document's "kind", else by its topic.
  static Input classify(std::string_view topic, const std::string& kind);

  // The incident lists, read from the insight's tape.
  void take_patterns(const std::string& source, const simdjson::dom::element& doc);
  void advance_clock(const nlohmann::json& doc);
  void expire_inputs();
  template <class Facts>
  void store_chains(std::map<std::string, Facts>& into, std::map<std::string, Facts> facts);
  void touch_chain(const std::string& chain_id);
  IncidentRefs all_active() const;
  nlohmann::json decide();

  struct SourceState {
    double at = 0;
    IncidentsById active;
  };

  DecisionConfig config_;
  double clock_ = 0;
  bool has_clock_ = false;
  std::map<std::string, SourceState> sources_;
  IncidentHistory history_;
  std::map<std::string, PatternChainFacts> pattern_chains_;
  std::map<std::string, NetworkFacts> network_;
  std::map<std::string, BlockFacts> blocks_;
  AgentEvidence agents_;
  LruMap<char> chain_recency_;  // which chain to forget first (its facts live in the maps above)
  std::vector<Recommendation> current_;
  std::string last_signature_;
  DecisionStats stats_;
};

}  // namespace nebula::decision
