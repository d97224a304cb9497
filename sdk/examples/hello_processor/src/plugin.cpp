// Binds the latency watch to the Nebula plugin ABI: metadata, config
// validation, and a Processor whose on_records() feeds latency_watch.cpp.
// Everything crossing the ABI goes through the SDK's C++ layer
// (nebula/plugin.hpp); this file never touches the C structs.
#include <cmath>
#include <string>
#include <vector>

#include <nebula/config_helpers.hpp>
#include <nebula/plugin.hpp>
#include <nebula/record_fields.hpp>

#include "latency_watch.hpp"

namespace {

constexpr double kMaxThresholdMs = 600'000;  // ten minutes: anything above is surely a typo

class LatencyWatch : public nebula::Processor {
 public:
  // Reverse-DNS id (lower-case segments, at least two); YAML names this id.
  static constexpr nebula::PluginMeta meta{
      "org.example.latency_watch", "Latency watch (SDK example)", "1.0.0",
      "Mean network latency per chain for each batch; flags nodes above a threshold"};

  // [control] Called by `nebula-pool validate` / `run` before anything is
  // created. Every problem is reported at once as "<json-pointer>: <message>";
  // the host turns the pointer into file:line:col of the YAML.
  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) {
    nebula::config::reject_unknown_keys(cfg, {"threshold_ms", "min_samples", "topic"}, errors);
    if (cfg.contains("threshold_ms")) {
      const auto& v = cfg["threshold_ms"];
      if (!v.is_number())
        errors.add("/threshold_ms", "must be a number of milliseconds, got " + v.dump());
      else if (v.get<double>() <= 0)
        errors.add("/threshold_ms", "must be greater than 0, got " + v.dump());
      else if (v.get<double>() > kMaxThresholdMs)
        errors.add("/threshold_ms", "must be at most 600000 (ten minutes), got " + v.dump());
    }
    if (cfg.contains("min_samples")) {
      const auto& v = cfg["min_samples"];
      if (!v.is_number_integer() || v.get<int64_t>() < 1)
        errors.add("/min_samples", "must be a whole number of at least 1, got " + v.dump());
    }
    if (cfg.contains("topic") && (!cfg["topic"].is_string() || cfg["topic"].get<std::string>().empty()))
      errors.add("/topic", "must be a non-empty string");
  }

  // [control] The SDK has already run validate() on `cfg`, so it is sound.
  LatencyWatch(nebula::Host host, const nlohmann::json& cfg) : Processor(std::move(host)) {
    settings_.threshold_ms = cfg.value("threshold_ms", settings_.threshold_ms);
    settings_.min_samples = cfg.value("min_samples", settings_.min_samples);
    settings_.topic = cfg.value("topic", settings_.topic);
    this->host().info("watching latency above " + nebula::config::format_number(settings_.threshold_ms) +
                      " ms, publishing on '" + settings_.topic + "'");
  }

  // [data] One batch at a time per instance. The batch is borrowed: copy what
  // you keep (here: the strings, into Sample) and never store the view.
  void on_records(const nebula::RecordBatchView& batch) override {
    const auto chain = batch.column(nebula::fields::chain_id);
    const auto node = batch.column(nebula::fields::node_id);
    const auto latency = batch.column(nebula::fields::latency);
    std::vector<hello::Sample> samples;
    for (int64_t row = 0; row < batch.rows(); ++row) {
      const double ms = latency.number(row);  // NaN when the node did not report it
      if (std::isnan(ms)) continue;
      samples.push_back({std::string(chain.text(row)), std::string(node.text(row)), ms});
    }
    host().count("records", static_cast<double>(batch.rows()));
    if (samples.empty()) return;  // nothing to say about this batch

    const hello::Report report = hello::summarise(samples, batch.rows(), settings_);
    host().count("flagged_nodes", static_cast<double>(report.flagged.size()));
    host().gauge("last_flagged_nodes", static_cast<double>(report.flagged.size()));
    // Throws nebula::Error(NEBULA_RETRY) when the agents' queues stay full;
    // the SDK turns that into a RETRY status for this batch.
    host().emit(settings_.topic, hello::to_json(report, settings_));
  }

 private:
  hello::Settings settings_;
};

}  // namespace

// The library's one exported symbol, listing its plugin classes.
NEBULA_PLUGINS(LatencyWatch)
