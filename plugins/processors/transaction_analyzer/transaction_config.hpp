// Settings of the transaction analyzer, read from its pipeline config.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transaction_analyzer {

struct Config {
  double ewma_alpha = 0.2;      // weight of the newest rate in a node's baseline
  size_t warmup_samples = 5;    // rate samples before bursts can be flagged
  double burst_factor = 4.0;    // rate must exceed factor x baseline ...
  double burst_z = 3.0;         // ... and be this many baseline deviations above it
  size_t top_nodes = 10;        // nodes listed per chain, largest share first
  size_t max_listed = 20;       // cap on the burst list per chain
  double node_expiry_s = 600.0; // a node silent this long (event time) leaves the chain's throughput
  // A sample without a new block is left out of the rates for at most this
  // long after the last rate sample; then it counts (a rate of 0), so a
  // stalled node's throughput falls instead of keeping its last block's.
  double between_blocks_max_s = 120.0;
  // Spam flood or organic surge (nebula_processors/economics.hpp): a burst
  // whose median tip rose to fee_rise_factor x the node's usual tip, and by
  // at least fee_floor_gwei, is organic; otherwise it is a flood.
  double fee_alpha = 0.2;          // weight of the newest tip in the usual tip
  int fee_warmup_samples = 3;      // tips learned before a burst is judged
  double fee_rise_factor = 1.5;
  double fee_floor_gwei = 0.05;
  size_t max_nodes = 10000;
  size_t max_chains = 64;
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::transaction_analyzer
