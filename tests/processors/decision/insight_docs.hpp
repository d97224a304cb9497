// Builders for the insights the Decision Optimizer reads.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::decision::testing {

using nlohmann::json;

inline json evidence(const std::string& metric, double value, double baseline) {
  return {{"metric", metric}, {"value", value}, {"baseline", baseline}, {"deviation", (value - baseline) / baseline}};
}

inline json incident(const std::string& kind, const std::string& node, const std::string& chain, double severity,
                     double start, json ev = json::array()) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", start);
  return {{"id", kind + "/" + node + "/" + ts},
          {"kind", kind},
          {"node_id", node},
          {"chain_id", chain},
          {"severity", {{"score", severity}, {"label", severity >= 0.7 ? "high" : severity >= 0.4 ? "medium" : "low"}}},
          {"start", start},
          {"evidence", std::move(ev)}};
}

inline json stall(const std::string& node, double severity, double start) {
  return incident("stall", node, "testnet", severity, start,
                  {evidence("blockchain.current_height", 1000, 1012), evidence("seconds_without_progress", 60, 5)});
}

inline json partition(const std::vector<std::string>& nodes, const std::string& chain, double severity, double start) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.3f", start);
  return {{"id", "partition/" + chain + "/" + ts},
          {"kind", "partition"},
          {"nodes", nodes},
          {"chain_id", chain},
          {"severity", {{"score", severity}, {"label", "high"}}},
          {"start", start},
          {"evidence",
           {evidence("degraded_nodes", 3, 3), evidence("network.peer_count", 3, 20),
            evidence("network.average_latency", 240, 70)}}};
}

inline json patterns(double generated_at, json active, json started = json::array(), json ended = json::array()) {
  return {{"kind", "patterns"},
          {"generated_at", generated_at},
          {"active", std::move(active)},
          {"started", std::move(started)},
          {"ended", std::move(ended)},
          {"chains",
           {{"testnet", {{"tip_height", 1012}, {"expected_interval_s", 5}, {"observed_interval_s", 5.2}, {"nodes", 10}}}}}};
}

}  // namespace nebula::decision::testing
