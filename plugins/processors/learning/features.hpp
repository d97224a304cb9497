// The feature vector of one sample. The names and their order are part of the
// training_examples contract the agents consume: append only, never reorder.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace nebula::learning {

inline constexpr std::array<std::string_view, 13> kFeatureNames = {
    "blocks_per_interval",       // blocks processed in the node's last interval
    "tx_rate",                   // tx/s from reset-robust counter deltas
    "height_lag",                // blocks behind the chain tip
    "peer_count",
    "latency_ms",
    "bandwidth",
    "connection_quality",
    "cpu_usage",
    "memory_usage",
    "hash_rate",
    "block_interval_expected_s",  // the chain's configured block time
    "is_testnet",
    "is_mainnet",
};
inline constexpr size_t kFeatureCount = kFeatureNames.size();

enum Feature : size_t {
  kBlocksPerInterval,
  kTxRate,
  kHeightLag,
  kPeerCount,
  kLatencyMs,
  kBandwidth,
  kConnectionQuality,
  kCpuUsage,
  kMemoryUsage,
  kHashRate,
  kBlockIntervalExpected,
  kIsTestnet,
  kIsMainnet,
};

// NaN marks a value the sample did not carry.
using FeatureVector = std::array<double, kFeatureCount>;

}  // namespace nebula::learning
