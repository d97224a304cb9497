// Registration: binds the Learning Engine to the plugin ABI, and owns the
// host-facing duties (state dir persistence, metrics, emission).
#include <nebula/counter_totals.hpp>
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>
#include <nebula_processors/json_state_file.hpp>

#include "learning_config.hpp"
#include "learning_engine.hpp"

namespace nebula::learning {

// Keeps the normalisation scales stable across restarts (the agents' models depend on them).
inline constexpr const char* kNormalizationFile = "learning_normalization.json";

class LearningProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.learning", "Learning Engine", "1.0.0",
      "Turns node samples and pattern insights into normalised training examples for the agents"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  LearningProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), engine_(parse_config(cfg)), state_file_(this->host().state_dir() / kNormalizationFile) {
    const processors::LoadReport r = processors::load_json_state(
        state_file_, [this](const nlohmann::json& doc) { engine_.normalizer().from_json(doc); });
    if (r.status == processors::LoadReport::kDamaged) {
      this->host().warn("learning: normalisation state " + state_file_.string() + " is damaged (" + r.message +
                        "); starting with fresh scales, the damaged file is kept as .corrupt");
      this->host().count("state_load_errors");
    } else if (r.status == processors::LoadReport::kLoaded) {
      this->host().info("learning: resumed normalisation scales from " + std::to_string(engine_.normalizer().samples()) +
                        " samples");
    }
  }

  ~LearningProcessor() override { persist(); }  // best effort; flush() is the orderly path

  void on_records(const nebula::RecordBatchView& batch) override {
    size_t skipped = 0;
    const auto samples = processors::read_samples(batch, &skipped);
    if (skipped) host().count("records_skipped", static_cast<double>(skipped));
    const auto examples = engine_.ingest(samples);
    host().count("records", static_cast<double>(samples.size()));
    report_state();
    // Persist before emitting: a full downstream queue (emit throws RETRY)
    // must not stop the scales from being saved on schedule.
    if (++batches_since_persist_ >= engine_.config().persist_every_batches) persist();
    for (const auto& text : engine_.insights(examples)) {
      host().emit_text(engine_.config().topic, text);
      host().count("insights_emitted");
    }
    host().count("examples", static_cast<double>(examples.size()));
  }

  void on_insight(const nebula::Insight& in) override {
    if (in.topic != engine_.config().patterns_topic) return;
    host().count(engine_.on_patterns(in.json, std::string(in.source)) ? "pattern_insights" : "pattern_insights_ignored");
  }

  void flush() override { persist(); }

 private:
  void persist() noexcept {
    batches_since_persist_ = 0;
    try {
      processors::save_json_state(state_file_, engine_.normalizer().to_json(), 1);
    } catch (const std::exception& e) {
      try {
        host().warn(std::string("learning: could not save normalisation scales: ") + e.what());
        host().count("state_save_errors");
      } catch (...) {
      }
    }
  }

  void report_state() {
    host().gauge("nodes_tracked", static_cast<double>(engine_.nodes_tracked()));
    host().gauge("normalization_samples", static_cast<double>(engine_.normalizer().samples()));
    caps_.report(host(), engine_.state_tables());
    totals_.report(host(), "out_of_order_samples", engine_.out_of_order());
    totals_.report(host(), "examples_dropped_gap", engine_.gaps());
  }

  LearningEngine engine_;
  std::filesystem::path state_file_;
  size_t batches_since_persist_ = 0;
  nebula::StateCaps caps_{meta.id};
  nebula::CounterTotals totals_;
};

}  // namespace nebula::learning

NEBULA_PLUGINS(nebula::learning::LearningProcessor)
