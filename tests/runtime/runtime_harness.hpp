// Builds a Runtime in-process from YAML text and the test plugins.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "config/pipeline_config.hpp"
#include "metrics/metrics.hpp"
#include "nebula_test/temp_dir.hpp"
#include "runtime/runtime.hpp"

class RuntimeHarness {
 public:
  // `components` is the YAML of the components list; `settings` extra top-level keys.
  RuntimeHarness(const std::string& settings, const std::string& components) {
    const std::string yaml = "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\nstate_dir: \"" +
                             dir.path().string() + "/state\"\nadmin: {enabled: false}\n" + settings +
                             "\ncomponents:\n" + components;
    auto parsed = nebula::host::parse_pipeline_text(yaml, "test.yaml", dir.path().string());
    for (auto& i : parsed.issues) ADD_FAILURE() << i.format();
    config = parsed.config;
    registry.load_directories(config.plugin_paths);
    runtime = std::make_unique<nebula::host::Runtime>(config, registry, metrics);
  }

  void start() {
    auto errors = runtime->create();
    for (auto& e : errors) ADD_FAILURE() << e;
    errors = runtime->start();
    for (auto& e : errors) ADD_FAILURE() << e;
  }

  nlohmann::json stats() { return runtime->stats(); }
  nlohmann::json processor(const std::string& id) {
    const auto all = stats();
    for (const auto& p : all["processors"])
      if (p["id"] == id) return p;
    return {};
  }

  nebula_test::TempDir dir{"runtime"};
  nebula::host::PipelineConfig config;
  nebula::host::PluginRegistry registry;
  nebula::host::Metrics metrics;
  std::unique_ptr<nebula::host::Runtime> runtime;
};

// A data_batch payload of `n` records for node `node`, seqs from `first_seq`.
// Records with seqs first_seq.. ; without seq when first_seq < 0, so the same
// payload submitted again counts as new records (a seq would make it a duplicate).
inline std::string batch_payload(const std::string& node, int n, int first_seq = -1) {
  nlohmann::json records = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    nlohmann::json r{{"timestamp", 1767225600 + i}, {"chain_id", "testnet"}, {"network", {{"peer_count", 8}}}};
    if (first_seq >= 0) r["seq"] = first_seq + i;
    records.push_back(std::move(r));
  }
  return nlohmann::json{{"node_id", node}, {"data_batch", records}, {"batch_size", n}}.dump();
}

// The YAML of a fake transport `feed` that submits `payload` `repeat` times on start.
inline std::string fake_feed(int repeat, const std::string& payload) {
  return "  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n      repeat: " + std::to_string(repeat) +
         "\n      payload: " + payload + "\n";
}
