// Archivist: forecasts each node's next-interval blocks and transactions
// from the Learning Engine's example features, and measures itself against
// the naive "same as last interval" forecast on the same recent examples.
// Plain C++ over the shared model (no ABI): unit-testable.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "forecast_check.hpp"
#include "nebula_agents/agent_inputs.hpp"
#include "nebula_agents/agent_settings.hpp"
#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/federation.hpp"
#include "nebula_agents/mae_window.hpp"
#include "nebula_agents/running_stat.hpp"
#include "nebula_agents/shared_model.hpp"
#include "nebula_agents/training_examples.hpp"

namespace nebula::archivist {

inline constexpr const char* kAgentId = "nebula.agent.archivist";

struct Config {
  agents::AgentSettings agent;
  size_t mae_window = 200;                  // recent predictions per node / chain
  uint64_t freeze_target_scale_after = 2000;  // target log-scales stop moving (keeps the reservoir consistent)
};

std::vector<std::string> extra_config_keys();
void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
Config parse_config(const nlohmann::json& cfg);

struct Forecast {
  double next_blocks = 0;
  double next_transactions = 0;
};

class ArchivistEngine {
 public:
  explicit ArchivistEngine(Config cfg);

  // Scores each example with the current model (before training on it, so
  // recent MAE is always out-of-sample), then trains. Returns gradient steps.
  size_t learn(const std::vector<agents::TrainingExample>& examples);
  // One training batch as the host delivers it: `learning` documents are
  // parsed and learned from; `blockchain` documents are counted (the
  // per-node features the model needs already arrive via `learning`).
  size_t learn_batch(std::vector<agents::DomInput> batch);

  // Where federation rounds report (the plugin passes the host's log).
  void set_logger(agents::Federation::Logger log) { federation_.set_logger(std::move(log)); }

  // Forecast from one example's features with the published model.
  Forecast forecast(const agents::TrainingExample& e) const;

  nlohmann::json query(const nlohmann::json& request);

  // The `forecasts` insight (nebula_agents/evidence_publisher.hpp): forecasts
  // against actuals since the last published one, per chain and for the nodes
  // whose latest forecast missed most (relative to their chain's running MAE).
  std::optional<double> unpublished_as_of() const;
  nlohmann::json evidence_document(size_t max_nodes) const;
  void mark_published();

  // Loss of the current model on examples it does not learn from:
  // {"loss": mean masked squared error (normalised targets), "examples": n}.
  nlohmann::json evaluate(const std::vector<agents::TrainingExample>& examples);
  nlohmann::json stats() const;
  // The per-node table, for the plugin's cap report (nebula/state_caps.hpp).
  StateTable node_table() const;
  void save(std::ostream& out);
  void load(std::istream& in);  // throws nebula::Error(NEBULA_INVALID); unchanged on failure

  const agents::SharedModel& model() const { return model_; }
  agents::SharedModel& model() { return model_; }

 private:
  struct NodeState {
    std::string chain_id;
    double timestamp = 0;
    std::array<float, agents::kFeatureCount> features{};
    std::optional<double> last_transactions;  // the previous example's next_transactions
    agents::MaeWindow blocks, transactions;
    std::optional<ForecastCheck> checked_blocks, checked_transactions;  // latest, since the last insight
  };
  struct ChainState {
    agents::MaeWindow blocks, transactions;
    ForecastTally blocks_since, transactions_since;  // since the last `forecasts` insight
  };
  struct Scales {
    agents::RunningStat blocks, transactions;  // of log1p(target)
  };

  Forecast forecast_with(const agents::DenseSnapshot& net, const std::array<float, agents::kFeatureCount>& f,
                         const Scales& scales) const;
  agents::Sample to_sample(const agents::TrainingExample& e) const;
  void check_forecast(const Forecast& f, const agents::TrainingExample& e, NodeState& node, ChainState& chain);
  double relative_error(const NodeState& n) const;
  nlohmann::json checked_node_json(const std::string& node_id, const NodeState& n) const;
  nlohmann::json node_answer(const std::string& node_id, const NodeState& n, const agents::DenseSnapshot& net) const;
  nlohmann::json chain_answer(const std::string& chain_id, const agents::DenseSnapshot& net) const;
  struct Restored {
    Scales scales, local_scales;
    LruMap<NodeState> nodes;
    std::map<std::string, ChainState> chains;
    agents::MaeWindow overall_blocks, overall_transactions;
    std::array<uint64_t, 4> counters{};
  };
  NodeState new_node() const;
  ChainState new_chain() const;
  nlohmann::json state_json() const;
  Restored parse_state(const nlohmann::json& j) const;  // throws json exceptions

  Config cfg_;
  agents::SharedModel model_;
  mutable std::mutex mu_;  // guards everything below
  Scales scales_;        // in use: the targets in the reservoir and the model's outputs are in these units
  Scales local_scales_;  // this host's own targets only (what federation members combine)
  LruMap<NodeState> nodes_;
  std::map<std::string, ChainState> chains_;
  agents::MaeWindow overall_blocks_, overall_transactions_;
  agents::NewEvidence new_evidence_;  // forecasts checked since the last `forecasts` insight
  std::vector<agents::TrainingExample> pending_;  // waiting for the target scales to warm up
  uint64_t examples_ = 0, skipped_ = 0, blockchain_insights_ = 0, learning_insights_ = 0;
  agents::Federation federation_;  // after model_: its rounds run under the model lock
};

}  // namespace nebula::archivist
