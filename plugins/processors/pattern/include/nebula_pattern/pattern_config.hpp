// Pattern Recognizer settings, read from the component's JSON config.
// parse() reports every problem with a JSON pointer and rejects unknown keys
// at every level; the same code path validates and constructs.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula/host.hpp"

namespace nebula::pattern {

struct BaselineConfig {
  int window = 32;   // samples kept per metric and node
  int warmup = 12;   // samples before a baseline is trusted
  double min_z = 4;  // a deviation must also exceed this many robust sigmas
};

struct StallConfig {
  double intervals = 4;      // k: expected block intervals without progress
  double min_lag_blocks = 2; // and the chain tip must be at least this far ahead
  // Expected block interval by chain_id (exact), else node_type (exact), else
  // the first key contained in chain_id; otherwise default_block_interval_s.
  std::map<std::string, double> block_interval_s{{"mainnet", 30.0}, {"testnet", 5.0}};
  double default_block_interval_s = 30;
};

struct EclipseConfig {
  double max_peers = 2;           // peers at or below this...
  double min_baseline_peers = 4;  // ...on a node that normally has at least this many
  double latency_factor = 1.3;    // and latency >= factor x baseline (0 = ignore latency)
};

struct PartitionConfig {
  int min_nodes = 3;           // nodes of one chain degrading together
  double window_s = 30;        // "together": degradation starts within this window
  double latency_factor = 1.5; // degraded = latency >= factor x baseline ...
  double peer_factor = 0.6;    // ... and peers <= factor x baseline
  int sustain_samples = 2;     // degraded for this many samples in a row
};

struct TxFloodConfig {
  double factor = 3;           // rate >= factor x baseline rate
  double min_rate = 0.5;       // tx/s floor under the baseline (quiet nodes)
  double rate_window_s = 60;   // rate measured over max(this, window_blocks block intervals)
  double window_blocks = 6;    // blocks per rate window: block-sized steps average out
};

struct HashrateConfig {
  double drop_factor = 0.4;
  double surge_factor = 2.0;
};

struct ResourceConfig {
  double cpu_pct = 95;
  double memory_pct = 95;
  int sustain_samples = 3;
};

struct PatternConfig {
  std::string topic = "patterns";
  int max_nodes = 10000;        // bounded state: least recently seen node evicted
  double stale_after_s = 600;   // a silent node's incidents end after this long
  int max_listed = 500;         // cap on each incident list in one insight
  int sustain_samples = 3;      // anomalous samples in a row to open an incident
  int clear_samples = 3;        // normal samples in a row to close it
  BaselineConfig baseline;
  StallConfig stall;
  EclipseConfig eclipse;
  PartitionConfig partition;
  TxFloodConfig tx_flood;
  HashrateConfig hashrate;
  ResourceConfig resource;

  // Reads cfg; with `errors` every problem is recorded, without it the first
  // problem throws nebula::Error(NEBULA_INVALID).
  static PatternConfig parse(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

  double block_interval(const std::string& chain_id, const std::string& node_type) const;
};

}  // namespace nebula::pattern
