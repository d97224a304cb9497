#include "nebula_sim/wire.hpp"

#include <string>

namespace nebula_sim {

nlohmann::json to_wire(const SimRecord& r, GroupNames names) {
  const bool document = names == GroupNames::Document;
  const char* blockchain = document ? "blockchain_metrics" : "blockchain";
  const char* network = document ? "network_metrics" : "network";
  const char* performance = document ? "performance_metrics" : "performance";
  nlohmann::json j;
  j["timestamp"] = r.timestamp;
  j["node_id"] = r.node_id;
  j["node_type"] = std::string(to_string(r.node_type));
  j["chain_id"] = r.chain_id;
  j["seq"] = r.seq;

  if (r.minimal()) {
    j[blockchain] = {{"current_height", r.current_height}};
    j[network] = {{"peer_count", r.peer_count}};
    return j;
  }

  j[blockchain] = {{"current_height", r.current_height},
                     {"blocks_processed_last_interval", r.blocks_processed},
                     {"transaction_count", r.transaction_count},
                     {"mining_hash_rate", r.mining_hash_rate}};
  j[network] = {{"peer_count", r.peer_count},
                  {"average_latency", r.average_latency},
                  {"bandwidth_usage", r.bandwidth_usage},
                  {"connection_quality", r.connection_quality}};
  if (r.reports_performance())
    j[performance] = {{"cpu_usage", r.cpu_usage}, {"memory_usage", r.memory_usage}, {"uptime", r.uptime}};
  if (r.transaction_analysis) {
    const TransactionAnalysis& ta = *r.transaction_analysis;
    j["transaction_analysis"] = {{"tx_rate", ta.tx_rate},
                                 {"mempool_size", ta.mempool_size},
                                 {"average_fee", ta.average_fee},
                                 {"average_tx_size", ta.average_tx_size}};
  }
  if (r.ai_metrics) {
    const AiMetrics& ai = *r.ai_metrics;
    j["ai_metrics"] = {{"anomaly_score", ai.anomaly_score},
                       {"predicted_tx_rate", ai.predicted_tx_rate},
                       {"model_confidence", ai.model_confidence}};
  }
  return j;
}

nlohmann::json batch_json(std::string_view node_id, std::span<const SimRecord> records) {
  return batch_json(node_id, records, records.empty() ? 0.0 : records.back().timestamp);
}

nlohmann::json batch_json(std::string_view node_id, std::span<const SimRecord> records,
                          double submission_time, GroupNames names) {
  nlohmann::json batch = nlohmann::json::array();
  for (const SimRecord& r : records) batch.push_back(to_wire(r, names));
  return {{"node_id", std::string(node_id)},
          {"data_batch", batch},
          {"batch_size", records.size()},
          {"submission_time", submission_time}};
}

}  // namespace nebula_sim
