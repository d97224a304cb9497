// Registration: binds the Synthesizer to the plugin ABI. Only host plumbing
// (metrics, emission) lives here; the logic is in nebula_intelligence_logic.
#include <nebula/counter_totals.hpp>
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include "intelligence_config.hpp"
#include "synthesizer.hpp"

namespace nebula::intelligence {

class IntelligenceProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.intelligence", "Intelligence Synthesizer", "1.0.0",
      "Merges every chain into one chain-agnostic view normalised by block time: throughput, cadence, "
      "lag, stalls, network health, characterisation and cross-chain comparisons"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  IntelligenceProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), engine_(parse_config(cfg)) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    size_t skipped = 0;
    const auto samples = processors::read_samples(batch, &skipped);
    if (skipped) host().count("records_skipped", static_cast<double>(skipped));
    engine_.ingest(samples);
    host().count("records", static_cast<double>(samples.size()));
    report_state();
    if (engine_.due()) emit();
  }

  void on_insight(const nebula::Insight& in) override {
    if (in.topic != engine_.config().patterns_topic) return;
    host().count(engine_.on_patterns(in.json) ? "pattern_insights" : "pattern_insights_ignored");
  }

  void flush() override {
    if (engine_.has_unreported()) emit();
  }

 private:
  void emit() {
    host().emit(engine_.config().topic, engine_.build_insight());
    host().count("insights_emitted");
  }

  void report_state() {
    host().gauge("nodes_tracked", static_cast<double>(engine_.nodes_tracked()));
    host().gauge("chains_tracked", static_cast<double>(engine_.chains_tracked()));
    caps_.report(host(), engine_.state_tables());
    totals_.report(host(), "out_of_order_samples", engine_.out_of_order());
  }

  Synthesizer engine_;
  nebula::StateCaps caps_{meta.id};
  nebula::CounterTotals totals_;
};

}  // namespace nebula::intelligence

NEBULA_PLUGINS(nebula::intelligence::IntelligenceProcessor)
