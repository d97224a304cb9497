// Canonical JSON wire shapes (DESIGN.md section 2) for simulated records.
#pragma once

#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nebula_sim/sim_record.hpp"

namespace nebula_sim {

// The metric groups' names: ours, or the architecture document's
// NodePoolInterface ("blockchain_metrics", "network_metrics",
// "performance_metrics"). The pool reads both the same way.
enum class GroupNames { Short, Document };

// {"timestamp", "node_id", "node_type", "chain_id", "seq",
//  "blockchain": {"current_height", "blocks_processed_last_interval",
//                 "transaction_count", "mining_hash_rate"},
//  "network": {"peer_count", "average_latency", "bandwidth_usage", "connection_quality"},
//  "performance": {"cpu_usage", "memory_usage", "uptime"}}
// Basic nodes: only current_height and peer_count inside the groups, no
// "performance". Simple nodes: no "performance". Full nodes add "transaction_analysis" {tx_rate,
// mempool_size, average_fee, average_tx_size} and "ai_metrics"
// {anomaly_score, predicted_tx_rate, model_confidence}. nlohmann::json keeps
// keys sorted, so dump() output is stable.
nlohmann::json to_wire(const SimRecord& record, GroupNames names = GroupNames::Short);

// {"node_id", "data_batch": [to_wire(r)...], "batch_size": N, "submission_time"}.
// Without a submission_time the last record's timestamp is used (0 if empty),
// which keeps the output deterministic.
nlohmann::json batch_json(std::string_view node_id, std::span<const SimRecord> records);
nlohmann::json batch_json(std::string_view node_id, std::span<const SimRecord> records,
                          double submission_time, GroupNames names = GroupNames::Short);

}  // namespace nebula_sim
