// What the upstream analysers say about one chain, merged from three
// optional sources. Every field may be unknown (NaN / empty).
//
// Read from `patterns` (this project's Pattern Recognizer):
//   chains.<id>.{tip_height, expected_interval_s, observed_interval_s, nodes}
// Read from `network` ({"kind":"network"}), per chain (chains as object or array):
//   isolated_nodes | isolated            -> node ids (strings or {node_id})
//   partitions                           -> [{"nodes":[ids...]}] (network.schema.json)
//   latency_quantiles | latency_ms | latency -> object copied into observations
// Read from `blockchain` ({"kind":"block_data"}), per chain:
//   tip_height | tip; stalled | stalled_nodes -> ids (+ stalled_for_s, lag per entry);
//   lagging_nodes (count or list), worst_lagging (list);
//   block_interval_s.{expected, observed} | expected_interval_s / observed_interval_s
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::decision {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

struct StalledNode {
  std::string node_id;
  double stalled_for_s = kUnknown;
  double lag = kUnknown;
};

struct NetworkFacts {
  double at = 0;  // decision clock when received
  std::vector<std::string> isolated;
  std::vector<std::vector<std::string>> partitions;
  nlohmann::json latency;  // quantiles as given, or null
};

struct BlockFacts {
  double at = 0;
  double tip_height = kUnknown;
  double expected_interval_s = kUnknown;
  double observed_interval_s = kUnknown;
  std::vector<StalledNode> stalled;
  double lagging_count = kUnknown;
  std::vector<std::string> lagging;
};

struct PatternChainFacts {
  double at = 0;
  double tip_height = kUnknown;
  double expected_interval_s = kUnknown;
  double observed_interval_s = kUnknown;
  double nodes = kUnknown;
};

std::map<std::string, NetworkFacts> parse_network(const nlohmann::json& doc, double at);
std::map<std::string, BlockFacts> parse_block_data(const nlohmann::json& doc, double at);
std::map<std::string, PatternChainFacts> parse_pattern_chains(const nlohmann::json& doc, double at);

}  // namespace nebula::decision
