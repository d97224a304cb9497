// Reads the Learning Engine's "training_examples" insights (topic `learning`)
// defensively: features are matched by name, so a producer that appends
// features (the contract allows it) still parses; malformed examples are
// skipped and counted, never thrown.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::agents {

// The feature order every agent uses (the contract's first 13 names).
inline constexpr std::array<std::string_view, 13> kFeatureNames = {
    "blocks_per_interval", "tx_rate",           "height_lag", "peer_count",
    "latency_ms",          "bandwidth",         "connection_quality", "cpu_usage",
    "memory_usage",        "hash_rate",         "block_interval_expected_s", "is_testnet",
    "is_mainnet"};
inline constexpr std::size_t kFeatureCount = kFeatureNames.size();

enum FeatureIndex : std::size_t {
  kBlocks, kTxRate, kHeightLag, kPeers, kLatency, kBandwidth, kQuality, kCpu, kMemory, kHashRate,
  kBlockInterval, kIsTestnet, kIsMainnet
};

struct TrainingExample {
  std::string node_id;
  std::string chain_id;
  std::string node_type;
  double timestamp = 0;
  std::array<float, kFeatureCount> features{};  // normalised by the producer (0 = imputed)
  std::array<double, kFeatureCount> raw{};
  std::array<bool, kFeatureCount> present{};    // false: the producer imputed the mean
  std::optional<double> next_blocks, next_transactions, next_latency, next_peers;
  bool anomalous = false;
  std::vector<std::string> anomaly_kinds;
};

struct ParsedBatch {
  std::vector<TrainingExample> examples;
  std::size_t skipped = 0;  // examples without node_id / usable features
  bool usable = false;      // false: not a training_examples document at all
};

// An insight's text read without a DOM: simdjson's tape is walked straight
// into examples (training_example_reader.cpp). Anything else than kind
// "training_examples" yields usable=false; nullopt: the text is not JSON.
// Any thread (one parser per thread).
std::optional<ParsedBatch> read_training_examples(std::string_view json);

// A finite number, or nullopt for null/missing/non-numeric/NaN/inf.
std::optional<double> finite_number(const nlohmann::json& obj, const char* key);

}  // namespace nebula::agents
