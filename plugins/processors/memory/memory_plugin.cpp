// Registration: binds the Consolidator to the plugin ABI, and owns the
// host-facing duties (state dir persistence, metrics, emission).
#include <chrono>

#include <nebula/counter_totals.hpp>
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>
#include <nebula_processors/json_state_file.hpp>

#include "consolidator.hpp"
#include "memory_config.hpp"

namespace nebula::memory {

// The consolidator's memory, so a restart does not forget.
inline constexpr const char* kStateFile = "memory_state.json";

class MemoryProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.memory", "Memory Consolidator", "1.0.0",
      "Long-term per-node and per-chain baselines with hourly history, kept across restarts"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { validate_config(cfg, errors); }

  MemoryProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), engine_(parse_config(cfg)), state_file_(this->host().state_dir() / kStateFile) {
    const processors::LoadReport r =
        processors::load_json_state(state_file_, [this](const nlohmann::json& doc) { engine_.from_json(doc); });
    if (r.status == processors::LoadReport::kDamaged) {
      this->host().warn("memory: state file " + state_file_.string() + " is damaged (" + r.message +
                        "); starting fresh, the damaged file is kept as .corrupt");
      this->host().count("state_load_errors");
    } else if (r.status == processors::LoadReport::kLoaded) {
      this->host().info("memory: resumed " + std::to_string(engine_.nodes_tracked()) + " node baselines");
    }
  }

  ~MemoryProcessor() override { persist(); }  // best effort; flush() is the orderly path

  void on_records(const nebula::RecordBatchView& batch) override {
    size_t skipped = 0;
    const auto samples = processors::read_samples(batch, &skipped);
    if (skipped) host().count("records_skipped", static_cast<double>(skipped));
    engine_.ingest(samples);
    host().count("records", static_cast<double>(samples.size()));
    report_state();
    unreported_ += samples.size();
    // Persist before emitting: a full downstream queue (emit throws RETRY)
    // must not stop the state from being saved on schedule.
    ++batches_since_persist_;
    if (persist_due()) persist();
    if (unreported_ > 0 && ++batches_since_emit_ >= engine_.config().emit_every_batches) emit();
  }

  void on_insight(const nebula::Insight& in) override {
    if (in.topic != engine_.config().patterns_topic) return;
    host().count(engine_.on_patterns(in.json) ? "pattern_insights" : "pattern_insights_ignored");
  }

  void flush() override {
    persist();
    if (unreported_ > 0) emit();
  }

 private:
  using Clock = std::chrono::steady_clock;

  // persist_interval_s of wall time since the last save, or (when set)
  // persist_every_batches batches, whichever comes first.
  bool persist_due() const {
    const Config& c = engine_.config();
    if (c.persist_every_batches > 0 && batches_since_persist_ >= c.persist_every_batches) return true;
    return std::chrono::duration<double>(Clock::now() - last_persist_).count() >= c.persist_interval_s;
  }

  void emit() {
    batches_since_emit_ = 0;
    unreported_ = 0;
    host().emit(engine_.config().topic, engine_.insight());
    host().count("insights_emitted");
  }

  void persist() noexcept {
    batches_since_persist_ = 0;
    last_persist_ = Clock::now();
    try {
      processors::save_json_state(state_file_, engine_.to_json());
      host().count("state_saves");
    } catch (const std::exception& e) {
      try {
        host().warn(std::string("memory: could not save state: ") + e.what());
        host().count("state_save_errors");
      } catch (...) {
      }
    }
  }

  void report_state() {
    host().gauge("nodes_tracked", static_cast<double>(engine_.nodes_tracked()));
    caps_.report(host(), engine_.state_tables());
    totals_.report(host(), "late_samples_dropped", engine_.late_samples_dropped());
    totals_.report(host(), "out_of_order_samples", engine_.out_of_order());
  }

  Consolidator engine_;
  std::filesystem::path state_file_;
  size_t batches_since_persist_ = 0;
  Clock::time_point last_persist_ = Clock::now();  // construction counts: the state was just loaded
  size_t batches_since_emit_ = 0;
  size_t unreported_ = 0;
  nebula::StateCaps caps_{meta.id};
  nebula::CounterTotals totals_;
};

}  // namespace nebula::memory

NEBULA_PLUGINS(nebula::memory::MemoryProcessor)
