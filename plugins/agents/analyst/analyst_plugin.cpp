// Registration: binds the Analyst engine to the agent ABI.
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include "analyst_engine.hpp"
#include "nebula_agents/agent_inputs.hpp"
#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/torch_threads.hpp"

namespace nebula::analyst {

class AnalystAgent : public nebula::Agent {
 public:
  static constexpr nebula::PluginMeta meta{
      kAgentId, "Analyst", "1.0.0",
      "Autoencoder anomaly scores per node (libtorch), combined with recognised patterns, with the features that drove them"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  AnalystAgent(nebula::Host host, const nlohmann::json& cfg)
      : Agent(std::move(host)), cfg_(parse_config(cfg)), engine_(cfg_) {
    engine_.set_logger(agents::host_logger(this->host()));
    this->host().declare_metric(kAnomalousNodes, NEBULA_METRIC_GAUGE,
                                "Nodes whose latest analyst anomaly score is at least 0.5", {}, {}, 1);
  }

  std::vector<std::string> subscriptions() const override { return {"patterns", "learning"}; }

  void learn(const std::vector<nebula::Insight>& batch) override {
    agents::use_torch_threads(cfg_.agent.torch_threads);
    const size_t steps = engine_.learn_batch(agents::read_agent_inputs(batch, "patterns", host(), read_pattern_update));
    host().count("train_steps", static_cast<double>(steps));
    caps_.report(host(), {engine_.node_table(), engine_.pattern_source_table()});
    host().update_metric(kAnomalousNodes, {}, static_cast<double>(engine_.anomalous_nodes()));
    publisher_.offer(host(), engine_);  // after training: what this batch concluded
  }

  nlohmann::json query(const nlohmann::json& request) override { return engine_.query(request); }
  nlohmann::json stats() const override { return engine_.stats(); }
  void save(std::ostream& out) override { engine_.save(out); }
  void load(std::istream& in) override { engine_.load(in); }

 private:
  static constexpr const char* kAnomalousNodes = "anomalous_nodes";

  Config cfg_;
  AnalystEngine engine_;
  nebula::StateCaps caps_{meta.id};
  agents::EvidencePublisher publisher_{"anomalies", cfg_.agent.publish};
};

}  // namespace nebula::analyst

NEBULA_PLUGINS(nebula::analyst::AnalystAgent)
