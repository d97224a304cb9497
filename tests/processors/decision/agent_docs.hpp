// Builders for the agents' insights the Decision Optimizer reads (`anomalies`,
// `health`, `forecasts`), in the agents' exact shapes
// (sdk/schemas/topics/*.schema.json; fixture_contract_test.cpp checks that they
// still validate).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::decision::testing {

using nlohmann::json;

inline json anomaly_node(const std::string& node, double score, double autoencoder, double as_of,
                         const std::string& chain = "testnet") {
  return {{"node_id", node},
          {"chain_id", chain},
          {"as_of", as_of},
          {"score", score},
          {"autoencoder_score", autoencoder},
          {"reconstruction_z", 4.6},
          {"reconstruction_error", 3.1},
          {"patterns", json::array()},
          {"drivers",
           {{{"feature", "latency_ms vs node baseline"}, {"error", 48.2}},
            {{"feature", "peer_count"}, {"error", 1.9}},
            {{"feature", "cpu_usage"}, {"error", 0.4}}}}};
}

inline json anomalies(double generated_at, json nodes, int model_version = 2, bool calibrated = true) {
  size_t anomalous = 0;
  for (const auto& n : nodes) anomalous += n["score"].get<double>() >= 0.5;
  const size_t listed = nodes.size();
  return {{"kind", "anomalies"},
          {"generated_at", generated_at},
          {"model_version", model_version},
          {"calibrated", calibrated},
          {"counts", {{"scored", listed}, {"listed", listed}, {"anomalous", anomalous}, {"tracked", 10}}},
          {"nodes", std::move(nodes)}};
}

inline const char* band_of(double health) { return health >= 0.8 ? "healthy" : health >= 0.4 ? "degraded" : "unhealthy"; }

inline json health_node(const std::string& node, double health, double as_of, const std::string& chain = "testnet") {
  return {{"node_id", node},
          {"chain_id", chain},
          {"as_of", as_of},
          {"health", health},
          {"band", band_of(health)},
          {"latency_ms", {{"expected", 121.0}, {"observed", 512.3}, {"z", 6.1}}},
          {"peers", {{"expected", 24.2}, {"observed", 1.0}, {"z", -9.8}}}};
}

inline json health(double generated_at, json nodes, int model_version = 3) {
  size_t degraded = 0, unhealthy = 0;
  for (const auto& n : nodes) {
    degraded += n["band"] == "degraded";
    unhealthy += n["band"] == "unhealthy";
  }
  const size_t listed = nodes.size();
  return {{"kind", "health"},
          {"generated_at", generated_at},
          {"model_version", model_version},
          {"counts",
           {{"assessed", listed}, {"listed", listed}, {"degraded", degraded}, {"unhealthy", unhealthy}, {"tracked", 10}}},
          {"nodes", std::move(nodes)}};
}

inline json mae(double model, double naive) { return {{"model", model}, {"naive", naive}, {"samples", 200}}; }

inline json forecast_chain(const std::string& chain, double forecast_blocks, double actual_blocks) {
  return {{"chain_id", chain},
          {"next_blocks",
           {{"examples", 40},
            {"forecast", forecast_blocks},
            {"actual", actual_blocks},
            {"error", forecast_blocks - actual_blocks},
            {"abs_error", 0.6}}},
          {"next_transactions", nullptr},
          {"running_mae", {{"next_blocks", mae(0.52, 0.67)}, {"next_transactions", mae(48.4, 84.9)}}}};
}

inline json forecast_node(const std::string& node, double as_of, double forecast_blocks, double actual_blocks,
                          const std::string& chain = "testnet") {
  return {{"node_id", node},
          {"chain_id", chain},
          {"as_of", as_of},
          {"relative_error", 3.5},
          {"next_blocks", {{"forecast", forecast_blocks}, {"actual", actual_blocks}, {"error", forecast_blocks - actual_blocks}}},
          {"next_transactions", nullptr}};
}

inline json forecasts(double generated_at, json chains, json nodes, int model_version = 1) {
  const size_t listed = nodes.size();
  return {{"kind", "forecasts"},
          {"generated_at", generated_at},
          {"model_version", model_version},
          {"counts", {{"checked", listed}, {"listed", listed}, {"tracked", 10}}},
          {"chains", std::move(chains)},
          {"nodes", std::move(nodes)},
          {"running_mae", {{"next_blocks", mae(0.52, 0.67)}, {"next_transactions", mae(48.4, 84.9)}}}};
}

}  // namespace nebula::decision::testing
