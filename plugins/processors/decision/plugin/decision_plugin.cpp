// Registration: binds the Decision Optimizer logic (nebula_decision_logic)
// to the plugin ABI. Insights in, `decisions` insights out.
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include "nebula_decision/decision_engine.hpp"
#include "nebula_decision/recommendation_metrics.hpp"

namespace {

using namespace nebula::decision;

class DecisionProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.decision", "Decision Optimizer", "1.0.0",
      "Ranked, explained operator recommendations from `patterns` incidents, enriched by `network` and "
      "`blockchain` insights and the agents' `anomalies`, `health` and `forecasts`; emits `decisions` insights"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) {
    DecisionConfig::parse(cfg, &errors);
  }

  DecisionProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), engine_(DecisionConfig::parse(cfg)), metrics_(this->host()) {}

  // Inputs of a cycle are only taken; the list is ranked once at its end.
  void on_insight(const nebula::Insight& in) override {
    const auto malformed_before = engine_.stats().malformed;
    if (engine_.take(in.topic, in.source, in.json)) pending_ = true;
    if (engine_.stats().malformed != malformed_before) {
      host().count("malformed_inputs");
      host().warn("ignored an insight on '" + std::string(in.topic) + "' that is not a JSON object");
    }
  }

  void end_cycle() override { decide(); }
  void flush() override { decide(); }

 private:
  void decide() {
    if (!pending_) return;
    pending_ = false;
    auto doc = engine_.decide_if_changed();
    host().gauge("recommendations", static_cast<double>(engine_.current().size()));
    metrics_.publish(host(), engine_.current());
    caps_.report(host(), engine_.state_tables());
    if (!doc) return;
    // Downstream full: the next cycle recomputes the whole list, so a
    // skipped document loses nothing but its added/expired deltas.
    try {
      host().emit(engine_.config().topic, *doc);
    } catch (const nebula::Error& e) {
      if (e.status() != NEBULA_RETRY) throw;
      host().count("emit_deferred");
    }
  }

  DecisionEngine engine_;
  RecommendationMetrics metrics_;
  bool pending_ = false;  // an input was taken since the last decision
  nebula::StateCaps caps_{meta.id};
};

}  // namespace

NEBULA_PLUGINS(DecisionProcessor)
