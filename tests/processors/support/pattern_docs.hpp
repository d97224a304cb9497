// Hand-written `patterns` insights for consumer tests, in the Pattern
// Recognizer's exact shape (sdk/schemas/topics/patterns.schema.json; the
// consumers' tests check that these builders still validate against it).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pattern_docs {

using nlohmann::json;

inline json evidence(const std::string& metric, double value, double baseline) {
  return {{"metric", metric}, {"value", value}, {"baseline", baseline}, {"deviation", (value - baseline) / baseline}};
}

inline std::string incident_id(const std::string& kind, const std::string& target, double start) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", start);
  return kind + "/" + target + "/" + ts;
}

inline json severity(double score) {
  return {{"score", score}, {"label", score >= 0.7 ? "high" : score >= 0.4 ? "medium" : "low"}};
}

inline json incident(const std::string& kind, const std::string& node, const std::string& chain, double score,
                     double start, json ev = json::array()) {
  return {{"id", incident_id(kind, node, start)},
          {"kind", kind},
          {"node_id", node},
          {"chain_id", chain},
          {"severity", severity(score)},
          {"start", start},
          {"last_seen", start},
          {"evidence", std::move(ev)}};
}

inline json stall(const std::string& node, double score, double start) {
  return incident("stall", node, "testnet", score, start,
                  {evidence("blockchain.current_height", 1000, 1012), evidence("seconds_without_progress", 60, 5)});
}

inline json partition(const std::vector<std::string>& nodes, const std::string& chain, double score, double start) {
  return {{"id", incident_id("partition", chain, start)},
          {"kind", "partition"},
          {"nodes", nodes},
          {"chain_id", chain},
          {"severity", severity(score)},
          {"start", start},
          {"last_seen", start},
          {"evidence",
           {evidence("degraded_nodes", 3, 3), evidence("network.peer_count", 3, 20),
            evidence("network.average_latency", 240, 70)}}};
}

// One testnet chain of 10 nodes, tip 1012, 5 s blocks arriving every 5.2 s.
inline json patterns(double generated_at, json active, json started = json::array(), json ended = json::array()) {
  return {{"kind", "patterns"},
          {"generated_at", generated_at},
          {"active", std::move(active)},
          {"started", std::move(started)},
          {"ended", std::move(ended)},
          {"chains",
           {{"testnet", {{"tip_height", 1012}, {"expected_interval_s", 5}, {"observed_interval_s", 5.2}, {"nodes", 10}}}}},
          {"stats",
           {{"records", 10},
            {"invalid_records", 0},
            {"out_of_order", 0},
            {"evicted_nodes", 0},
            {"counter_resets", 0},
            {"nodes", 10},
            {"chains", 1}}}};
}

}  // namespace pattern_docs
