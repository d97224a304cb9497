// What the synthesizer remembers per node and per chain, and the per-chain
// numbers (ChainNumbers) that characterisation and comparisons work from.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nebula_processors/block_interval.hpp>
#include <nebula_processors/record_sample.hpp>
#include <nlohmann/json.hpp>

#include "rolling_window.hpp"

namespace nebula::intelligence {

// The synthesizer reads the processors' shared record row.
using processors::kMissing;
using processors::Sample;

struct NodeTrack {
  std::string chain;
  double last_ts = kMissing;
  processors::HeightClock height{};  // latest height, when it last moved, the block intervals it shows
  double tx_count = kMissing;
  double tx_ts = kMissing;
  bool stalled = false;
};

struct ChainTrack {
  double block_time_s = 0;  // expected, from config
  double tip = kMissing;    // highest latest-height among the chain's nodes
  std::string tip_holder;
  RollingWindow intervals, tx_rates, lag_blocks, lag_seconds, peers, latency_ms, quality, healthy;
  uint64_t samples = 0;
  uint64_t stall_events = 0;
  double node_seconds = 0;  // observed node time (gaps over max_gap_s excluded)

  void init(double expected_block_time_s, size_t window);
};

// The handful of numbers the chain-agnostic view is built on. NaN = unknown.
struct ChainNumbers {
  std::string chain;
  double block_time_s = kMissing;      // expected
  double interval_s = kMissing;        // observed mean block interval
  size_t interval_samples = 0;
  double cadence_cv = kMissing;        // coefficient of variation of observed intervals
  double tx_per_s = kMissing;          // median per-node throughput
  double tx_cv = kMissing;
  size_t tx_samples = 0;
  double lag_blocks = kMissing;        // mean
  double lag_seconds = kMissing;       // mean, blocks x expected block time
  double stalls_per_node_hour = kMissing;
};

ChainNumbers numbers_of(const std::string& chain, const ChainTrack& track);

// The per-chain JSON object (without characterisation, added by the caller).
// `anomalies` is kind -> nodes with that anomaly active (latest patterns insight).
nlohmann::json chain_json(const ChainNumbers& n, const ChainTrack& track, size_t nodes,
                          const std::map<std::string, uint64_t>& anomalies);

}  // namespace nebula::intelligence
