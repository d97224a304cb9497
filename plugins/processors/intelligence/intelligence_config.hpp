// Configuration of the Intelligence Synthesizer: defaults, validation with
// JSON pointers (unknown keys rejected), and parsing.
#pragma once

#include <cstddef>
#include <string>

#include <nebula/host.hpp>
#include <nebula_processors/block_times.hpp>
#include <nlohmann/json.hpp>

namespace nebula::intelligence {

struct Config {
  std::string topic = "intelligence";
  std::string patterns_topic = "patterns";  // insights read for active-anomaly counts
  processors::BlockTimes block_times;       // keys block_time_s, default_block_time_s
  double interval_s = 0;                    // 0: one insight per batch; else per interval of event time
  size_t window = 512;                      // observations kept per chain and quantity
  size_t max_nodes = 10000;
  size_t max_chains = 64;
  double stall_after_blocks = 3;  // no height change for this many expected block times = stall
  double max_gap_s = 300;         // longer silences do not count as observed node time
  size_t min_samples = 10;        // below this a number is not used for characterisation
  double fast_block_time_s = 10;  // cadence at or under this = "rapid consensus"
  double variability_cv = 0.5;    // coefficient of variation at or over this = "variable"
  double min_peers = 3;           // health: a sample is healthy with >= min_peers ...
  double max_latency_ms = 1000;   // ... and latency <= max_latency_ms
};

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
// Expects a config that passed validate_config().
Config parse_config(const nlohmann::json& cfg);

}  // namespace nebula::intelligence
