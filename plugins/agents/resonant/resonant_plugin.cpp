// Registration: binds the Resonant engine to the agent ABI.
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include "resonant_engine.hpp"
#include "nebula_agents/agent_inputs.hpp"
#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/torch_threads.hpp"

namespace nebula::resonant {

class ResonantAgent : public nebula::Agent {
 public:
  static constexpr nebula::PluginMeta meta{
      kAgentId, "Resonant", "1.0.0",
      "Predicts each node's latency and peer count from its context (libtorch MLP); residuals become a network-health score"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  ResonantAgent(nebula::Host host, const nlohmann::json& cfg)
      : Agent(std::move(host)), cfg_(parse_config(cfg)), engine_(cfg_) {
    engine_.set_logger(agents::host_logger(this->host()));
    this->host().declare_metric(kNodesByHealth, NEBULA_METRIC_GAUGE,
                                "Nodes the resonant agent has assessed, by the band of their current network health "
                                "(healthy >= 0.8, degraded >= 0.4, unhealthy below)",
                                {"band"}, {}, kHealthBands.size());
  }

  std::vector<std::string> subscriptions() const override { return {"network", "learning"}; }

  void learn(const std::vector<nebula::Insight>& batch) override {
    agents::use_torch_threads(cfg_.agent.torch_threads);
    const size_t steps = engine_.learn_batch(agents::read_agent_inputs(batch, "network", host(), agents::dom_of));
    host().count("train_steps", static_cast<double>(steps));
    caps_.report(host(), {engine_.node_table()});
    publish_health_bands();
    publisher_.offer(host(), engine_);  // after training: what this batch concluded
  }

  nlohmann::json query(const nlohmann::json& request) override { return engine_.query(request); }
  nlohmann::json stats() const override { return engine_.stats(); }
  void save(std::ostream& out) override { engine_.save(out); }
  void load(std::istream& in) override { engine_.load(in); }

 private:
  static constexpr const char* kNodesByHealth = "nodes_by_health";

  // Every band, every time: a band that emptied reads 0, not its last count.
  void publish_health_bands() const {
    const auto counts = engine_.nodes_by_band();
    for (size_t i = 0; i < kHealthBands.size(); ++i)
      host().update_metric(kNodesByHealth, {kHealthBands[i]}, static_cast<double>(counts[i]));
  }

  Config cfg_;
  ResonantEngine engine_;
  nebula::StateCaps caps_{meta.id};
  agents::EvidencePublisher publisher_{"health", cfg_.agent.publish};
};

}  // namespace nebula::resonant

NEBULA_PLUGINS(nebula::resonant::ResonantAgent)
