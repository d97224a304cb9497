// Registration: binds the Archivist engine to the agent ABI.
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include "archivist_engine.hpp"
#include "nebula_agents/agent_inputs.hpp"
#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/torch_threads.hpp"

namespace nebula::archivist {

class ArchivistAgent : public nebula::Agent {
 public:
  static constexpr nebula::PluginMeta meta{
      kAgentId, "Archivist", "1.0.0",
      "Forecasts each node's next-interval blocks and transactions (libtorch MLP), with recent MAE vs the naive forecast"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  ArchivistAgent(nebula::Host host, const nlohmann::json& cfg)
      : Agent(std::move(host)), cfg_(parse_config(cfg)), engine_(cfg_) {
    engine_.set_logger(agents::host_logger(this->host()));
  }

  std::vector<std::string> subscriptions() const override { return {"learning", "blockchain"}; }

  void learn(const std::vector<nebula::Insight>& batch) override {
    agents::use_torch_threads(cfg_.agent.torch_threads);
    const size_t steps = engine_.learn_batch(agents::read_agent_inputs(batch, "blockchain", host(), agents::dom_of));
    host().count("train_steps", static_cast<double>(steps));
    caps_.report(host(), {engine_.node_table()});
    publisher_.offer(host(), engine_);  // after training: what this batch concluded
  }

  nlohmann::json query(const nlohmann::json& request) override { return engine_.query(request); }
  nlohmann::json stats() const override { return engine_.stats(); }
  void save(std::ostream& out) override { engine_.save(out); }
  void load(std::istream& in) override { engine_.load(in); }

 private:
  Config cfg_;
  ArchivistEngine engine_;
  nebula::StateCaps caps_{meta.id};
  agents::EvidencePublisher publisher_{"forecasts", cfg_.agent.publish};
};

}  // namespace nebula::archivist

NEBULA_PLUGINS(nebula::archivist::ArchivistAgent)
