// Resonant: predicts each node's latency and peer count from its context
// (everything except the network features themselves, plus the node's own
// slow baseline and its chain's latency median from `network` insights).
// The residual, scaled by its running spread, becomes a network-health score
// in [0,1]: 1 = as expected, towards 0 = worse latency / fewer peers than the
// context explains. Plain C++ over the shared model (no ABI).
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
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

namespace nebula::resonant {

inline constexpr const char* kAgentId = "nebula.agent.resonant";
inline constexpr size_t kInputs = 14;

struct Config {
  agents::AgentSettings agent;
  double baseline_alpha = 0.02;  // per-node baseline smoothing per example
  double health_alpha = 0.3;     // smoothing of a node's reported health
};

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
Config parse_config(const nlohmann::json& cfg);

// The words for a health score, in the `health` insight: "healthy" (>= 0.8,
// within about 2.3 residual spreads), "degraded" (>= 0.4), else "unhealthy".
const char* health_band(double health);
inline constexpr std::array<const char*, 3> kHealthBands = {"healthy", "degraded", "unhealthy"};

struct Assessment {
  double expected_latency = 0, expected_peers = 0;
  double z_latency = 0, z_peers = 0;  // standardised residuals (+ = higher than expected)
  double health = 1;                  // of this example alone
};

class ResonantEngine {
 public:
  explicit ResonantEngine(Config cfg);

  size_t learn_batch(std::vector<agents::DomInput> batch);
  size_t learn(const std::vector<agents::TrainingExample>& examples);
  void on_network(const nlohmann::json& doc);

  // Expected latency / peers for an example with the published model.
  Assessment assess(const agents::TrainingExample& e) const;

  nlohmann::json query(const nlohmann::json& request);

  // The `health` insight (nebula_agents/evidence_publisher.hpp): the nodes
  // assessed since the last published one, least healthy first.
  std::optional<double> unpublished_as_of() const;
  nlohmann::json evidence_document(size_t max_nodes) const;
  void mark_published();

  // Every assessed node's current health, counted per band in kHealthBands
  // order (nodes_by_health on /metrics).
  std::array<size_t, kHealthBands.size()> nodes_by_band() const;

  nlohmann::json evaluate(const std::vector<agents::TrainingExample>& examples);
  nlohmann::json stats() const;
  // The per-node table, for the plugin's cap report (nebula/state_caps.hpp).
  StateTable node_table() const;
  void save(std::ostream& out);
  void load(std::istream& in);

  agents::SharedModel& model() { return model_; }
  // Where federation rounds report (the plugin passes the host's log).
  void set_logger(agents::Federation::Logger log) { federation_.set_logger(std::move(log)); }

 private:
  struct NodeState {
    std::string chain_id;
    double timestamp = 0;
    agents::RunningStat log_latency, log_peers;  // baselines
    double health = 1;
    bool assessed = false;
    bool unpublished = false;  // assessed since the last `health` insight
    Assessment last;
    double observed_latency = -1, observed_peers = -1;  // -1: not reported
  };
  struct Scales {
    agents::RunningStat latency, peers;         // of the log targets
    agents::RunningStat residual_latency, residual_peers;  // of standardised residuals (mean of r^2 in var)
  };

  std::vector<float> inputs(const agents::TrainingExample& e, const NodeState* node) const;
  agents::Sample to_sample(const agents::TrainingExample& e, const NodeState* node) const;
  Assessment assess_with(const agents::DenseSnapshot& net, const agents::TrainingExample& e, const NodeState* node) const;
  nlohmann::json node_json(const std::string& id, const NodeState& n) const;
  nlohmann::json state_json() const;

  Config cfg_;
  agents::SharedModel model_;
  mutable std::mutex mu_;
  Scales scales_;        // in use: targets, baseline inputs and residual z-scores are in these units
  Scales local_scales_;  // this host's own observations only (what federation members combine)
  LruMap<NodeState> nodes_;
  std::map<std::string, double> chain_log_latency_;  // log p50 from the latest network insight
  agents::NewEvidence new_evidence_;  // assessed since the last `health` insight
  uint64_t examples_ = 0, skipped_ = 0, network_insights_ = 0;
  agents::Federation federation_;  // after model_: its rounds run under the model lock
};

}  // namespace nebula::resonant
