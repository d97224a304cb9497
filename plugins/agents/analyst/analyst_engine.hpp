// Analyst: an autoencoder over per-node feature vectors, trained only on
// examples the pattern recognizer did not flag, so unusual behaviour
// reconstructs badly. Inputs are the Learning Engine's normalised features
// plus each feature's deviation from the node's own slow baseline (a hash
// rate that is normal for the fleet can be a collapse for this node). The
// reconstruction error, standardised by its running distribution on normal
// data, gives an anomaly score; an active recognised pattern raises it.
// Plain C++ over the shared model (no ABI).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "nebula_agents/agent_inputs.hpp"
#include "nebula_agents/agent_settings.hpp"
#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/federation.hpp"
#include "nebula_agents/running_stat.hpp"
#include "nebula_agents/shared_model.hpp"
#include "nebula_agents/training_examples.hpp"
#include "pattern_update.hpp"

namespace nebula::analyst {

inline constexpr const char* kAgentId = "nebula.agent.analyst";
inline constexpr size_t kDeviations = 9;
inline constexpr size_t kInputs = agents::kFeatureCount + kDeviations;

struct Config {
  agents::AgentSettings agent;
  double baseline_alpha = 0.02;  // per-node baseline smoothing per example
  double pattern_weight = 0.7;   // an active recognised pattern lifts the score to at least this
  size_t drivers = 3;            // features reported per node
  size_t max_pattern_sources = 16;  // upstream pattern recognisers whose active incidents are kept
};

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
Config parse_config(const nlohmann::json& cfg);

struct Driver {
  std::string feature;
  double error = 0;  // squared reconstruction error of that input
};

struct Score {
  double score = 0;              // combined, in [0,1]
  double autoencoder = 0;        // from the reconstruction error alone, in [0,1]
  double reconstruction_z = 0;   // log error standardised by its running distribution
  double reconstruction_error = 0;
  std::vector<std::string> patterns;
  std::vector<Driver> drivers;   // largest per-input errors first
};

class AnalystEngine {
 public:
  explicit AnalystEngine(Config cfg);

  size_t learn_batch(std::vector<agents::AgentInput<PatternUpdate>> batch);
  // Scores every example (before learning from it), updates node baselines,
  // and trains on the examples that were not flagged anomalous. With
  // train=false only the node state moves (held-out evaluation).
  size_t learn(const std::vector<agents::TrainingExample>& examples, bool train = true);
  void on_patterns(PatternUpdate update, const std::string& source);

  // The score this example gets now (pure: nothing is updated).
  Score score(const agents::TrainingExample& e) const;

  nlohmann::json query(const nlohmann::json& request);

  // The `anomalies` insight (nebula_agents/evidence_publisher.hpp): the nodes
  // scored since the last published one, highest score first.
  std::optional<double> unpublished_as_of() const;
  nlohmann::json evidence_document(size_t max_nodes) const;
  void mark_published();

  // Scored nodes whose latest score is anomalous (>= 0.5, as the
  // `anomalies` insight counts them): anomalous_nodes on /metrics.
  size_t anomalous_nodes() const;

  nlohmann::json evaluate(const std::vector<agents::TrainingExample>& examples);
  nlohmann::json stats() const;
  // The per-node table, for the plugin's cap report (nebula/state_caps.hpp).
  StateTable node_table() const;
  StateTable pattern_source_table() const;
  void save(std::ostream& out);
  void load(std::istream& in);

  agents::SharedModel& model() { return model_; }
  // Where federation rounds report (the plugin passes the host's log).
  void set_logger(agents::Federation::Logger log) { federation_.set_logger(std::move(log)); }

  // Names of the autoencoder's inputs (features, then "<feature> vs node baseline").
  static const std::array<std::string, kInputs>& input_names();

 private:
  struct NodeState {
    std::string chain_id;
    double timestamp = 0;
    std::array<agents::RunningStat, kDeviations> baseline;
    Score last;
    bool scored = false;
    bool unpublished = false;  // scored since the last `anomalies` insight
  };

  std::vector<float> inputs(const agents::TrainingExample& e, const NodeState* node) const;
  Score score_with(const agents::DenseSnapshot& net, const agents::TrainingExample& e, const NodeState* node) const;
  std::vector<std::string> patterns_for(const agents::TrainingExample& e) const;
  nlohmann::json node_json(const std::string& id, const NodeState& n) const;
  nlohmann::json state_json() const;

  Config cfg_;
  agents::SharedModel model_;
  mutable std::mutex mu_;
  agents::RunningStat log_error_;        // of log reconstruction error on normal examples (in use)
  agents::RunningStat local_log_error_;  // the same, this host's examples only (what federation members combine)
  LruMap<NodeState> nodes_;
  // Latest `active` list per pattern source: node -> kinds.
  // source -> node -> active kinds, from each source's latest patterns insight.
  LruMap<std::map<std::string, std::set<std::string>>> patterns_;
  agents::NewEvidence new_evidence_;  // scored since the last `anomalies` insight
  uint64_t examples_ = 0, skipped_ = 0, trained_on_ = 0, flagged_ = 0, pattern_insights_ = 0;
  agents::Federation federation_;  // after model_: its rounds run under the model lock
};

}  // namespace nebula::analyst
