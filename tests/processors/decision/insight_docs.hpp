// Builders for the insights the Decision Optimizer reads, in their producers'
// exact shapes (sdk/schemas/topics/*.schema.json; fixture_contract_test.cpp
// checks that they still validate).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pattern_docs.hpp"

namespace nebula::decision::testing {

using nlohmann::json;
using namespace pattern_docs;

// A Network Monitor chain summary: 10 healthy nodes, plus the isolated nodes
// ({node_id, ...} as isolated_node() writes them) and partitions given.
inline json network_chain(json isolated = json::array(), json partitions = json::array()) {
  const json distribution = {{"count", 10}, {"min", 40.0}, {"max", 60.0}, {"mean", 50.0},
                             {"p50", 50.0}, {"p95", 58.0}, {"p99", 60.0}};
  const size_t isolated_count = isolated.size();
  return {{"records", 10},
          {"out_of_order", 0},
          {"nodes", 10},
          {"peer_count", distribution},
          {"latency_ms", distribution},
          {"bandwidth", {{"total", 1000.0}, {"mean", 100.0}, {"nodes", 10}}},
          {"connection_quality", {{"mean", 0.9}, {"nodes", 10}}},
          {"isolated_count", isolated_count},
          {"isolated", std::move(isolated)},
          {"degraded_count", 0},
          {"partitions", std::move(partitions)}};
}

inline json isolated_node(const std::string& node, double since) {
  return {{"node_id", node}, {"peer_count", 1.0}, {"baseline_peers", 12.0}, {"since", since}};
}

inline json network(double generated_at, json chains) {
  return {{"kind", "network"},
          {"generated_at", generated_at},
          {"records", 10},
          {"skipped", 0},
          {"quantile_rank_error", 0.013},
          {"chains", std::move(chains)},
          {"state", {{"nodes", 10}, {"chains", 1}, {"evicted_nodes", 0}, {"evicted_chains", 0}, {"expired_nodes", 0}}}};
}

inline json stalled_node(const std::string& node, int64_t height, int64_t lag, double stalled_for_s, double expected_s) {
  return {{"node_id", node},
          {"height", height},
          {"lag", lag},
          {"stalled_for_s", stalled_for_s},
          {"intervals", stalled_for_s / expected_s}};
}

// A Block Data Analyzer chain summary with the stalled nodes given.
inline json block_chain(int64_t tip, double expected_s, double observed_s, json stalled) {
  const size_t stalled_count = stalled.size();
  return {{"records", 10},
          {"tip_height", tip},
          {"tip_seen_at", 100.0},
          {"nodes", 10},
          {"lagging_nodes", stalled_count},
          {"lag", nullptr},
          {"worst_lagging", json::array()},
          {"block_interval_s", {{"expected", expected_s}, {"observed", observed_s}, {"ratio", observed_s / expected_s}, {"blocks", 20}}},
          {"stalled_count", stalled_count},
          {"stalled", std::move(stalled)},
          {"blocks_processed", {{"samples", 10}, {"sum", 10}, {"mean", 1.0}, {"total", 100}}}};
}

inline json block_data(double generated_at, json chains) {
  return {{"kind", "block_data"},
          {"generated_at", generated_at},
          {"records", 10},
          {"skipped", 0},
          {"chains", std::move(chains)},
          {"state", {{"nodes", 10}, {"chains", 1}, {"evicted_nodes", 0}, {"evicted_chains", 0}, {"expired_nodes", 0}}}};
}

}  // namespace nebula::decision::testing
