// Configuration of the Learning Engine: defaults, validation with JSON
// pointers (unknown keys rejected), and parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nebula/host.hpp>
#include <nebula_processors/block_times.hpp>
#include <nlohmann/json.hpp>

namespace nebula::learning {

struct Config {
  std::string topic = "learning";
  std::string patterns_topic = "patterns";
  processors::BlockTimes block_times;  // keys block_time_s, default_block_time_s
  size_t max_nodes = 10000;
  size_t max_chains = 64;
  // More examples are split over several insights. 100 (~64 KB of JSON)
  // keeps each insight under glibc's 128 KiB mmap threshold: at 500 (~320 KB)
  // every insight was a fresh mapping whose pages the host faulted in when it
  // copied the text, and the host's insight ring held 64 MB of examples.
  size_t max_examples_per_insight = 100;
  // Also write each example's normalised `features`. They are (raw - mean) /
  // std with the insight's own `normalization`, so readers compute them (the
  // agents do); written, they were ~40 % of every insight's bytes, formatted,
  // copied, validated and parsed again by each agent (#15).
  bool include_features = false;
  uint64_t freeze_after = 0;              // stop updating the scales after N samples (0 = never)
  size_t persist_every_batches = 10;      // also persisted on flush()
  double max_gap_s = 600;                 // a next sample later than this makes no example
};

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
// Expects a config that passed validate_config().
Config parse_config(const nlohmann::json& cfg);

}  // namespace nebula::learning
