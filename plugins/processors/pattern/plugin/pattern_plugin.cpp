// Registration: binds the Pattern Recognizer logic (nebula_pattern_logic) to
// the plugin ABI. Records in, one `patterns` insight per batch out.
#include <nebula/plugin.hpp>
#include <nebula/state_caps.hpp>

#include <nebula_processors/record_sample.hpp>

#include "nebula_pattern/incident_metrics.hpp"
#include "nebula_pattern/pattern_engine.hpp"

namespace {

using namespace nebula::pattern;

class PatternProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.pattern", "Pattern Recognizer", "1.0.0",
      "Streaming per-node and per-chain incident detection (stall, eclipse, partition, tx_flood, "
      "hashrate_drop/surge, resource_exhaustion); emits `patterns` insights"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { PatternConfig::parse(cfg, &errors); }

  PatternProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), engine_(PatternConfig::parse(cfg)), metrics_(this->host()) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    std::size_t invalid = 0;
    auto samples = nebula::processors::read_samples(batch, &invalid);
    BatchReport report = engine_.process(std::move(samples), invalid);
    host().count("records", static_cast<double>(batch.rows()));
    host().count("incidents_started", static_cast<double>(report.started.size()));
    host().count("incidents_ended", static_cast<double>(report.ended.size()));
    host().gauge("incidents_active", static_cast<double>(report.active.size()));
    host().gauge("nodes_tracked", static_cast<double>(report.stats.nodes));
    metrics_.publish(host(), report);
    caps_.report(host(), {{"nodes", "max_nodes", report.stats.nodes,
                           static_cast<std::size_t>(engine_.config().max_nodes), report.stats.evicted_nodes}});
    publish(std::move(report));
  }

 private:
  // A refused emit (downstream full) must not lose transitions: the engine's
  // state has already moved on, so started/ended ride along with the next insight.
  void publish(BatchReport report) {
    if (!unsent_started_.empty() || !unsent_ended_.empty()) {
      report.started.insert(report.started.begin(), unsent_started_.begin(), unsent_started_.end());
      report.ended.insert(report.ended.begin(), unsent_ended_.begin(), unsent_ended_.end());
    }
    try {
      host().emit_text(engine_.config().topic, to_text(report, static_cast<std::size_t>(engine_.config().max_listed)));
      unsent_started_.clear();
      unsent_ended_.clear();
    } catch (const nebula::Error& e) {
      if (e.status() != NEBULA_RETRY) throw;
      host().count("emit_deferred");
      host().warn(std::string("patterns insight deferred: ") + e.what());
      const auto cap = static_cast<std::size_t>(engine_.config().max_listed);
      unsent_started_ = std::move(report.started);
      unsent_ended_ = std::move(report.ended);
      if (unsent_started_.size() > cap) unsent_started_.erase(unsent_started_.begin(), unsent_started_.end() - cap);
      if (unsent_ended_.size() > cap) unsent_ended_.erase(unsent_ended_.begin(), unsent_ended_.end() - cap);
    }
  }

  PatternEngine engine_;
  IncidentMetrics metrics_;
  nebula::StateCaps caps_{meta.id};
  std::vector<Incident> unsent_started_;
  std::vector<Incident> unsent_ended_;
};

}  // namespace

NEBULA_PLUGINS(PatternProcessor)
