// Configuration of the Memory Consolidator: defaults, validation with JSON
// pointers (unknown keys rejected), and parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

namespace nebula::memory {

struct Config {
  std::string topic = "memory";
  std::string patterns_topic = "patterns";  // anomaly onsets are remembered per node
  double alpha = 0.05;                      // EWMA weight of a new sample (memory of ~1/alpha samples)
  size_t chain_hours = 168;                 // hourly summaries kept per chain (a week)
  size_t node_hours = 24;                   // ... and per node (a day)
  size_t max_nodes = 5000;                  // ~6 KB of state per node with a full day of history
  size_t max_chains = 64;
  // Saving rewrites the whole state (MBs at the node cap), so it runs on a
  // timer, not per batch: a crash loses at most this much processing time.
  double persist_interval_s = 30;     // also persisted on flush(); 0: every batch
  size_t persist_every_batches = 0;   // optional extra bound in batches; 0: off
  size_t emit_every_batches = 1;
  size_t top_deviations = 5;          // deviating nodes listed per insight
  double deviation_threshold = 3.0;   // |z| a node's latest sample must reach to be listed
  double deviation_window_s = 3600;   // only nodes seen this recently (event time) are listed
  uint64_t min_samples = 10;          // a metric's baseline needs this many values before z-scores
};

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors);
// Expects a config that passed validate_config().
Config parse_config(const nlohmann::json& cfg);

}  // namespace nebula::memory
