// One simulated metrics sample, flat and cheap to copy; to_wire() nests it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nebula_sim {

// The architecture document's node kinds: TestNet and MainNet nodes, Basic
// (minimal), Simple and Full System nodes. Values are stable (appended).
enum class NodeType : std::uint8_t { Testnet, Mainnet, Basic, Full, Simple };

// "testnet", "mainnet", "basic", "full", "simple".
std::string_view to_string(NodeType type);

// Extra object reported by full nodes only.
struct TransactionAnalysis {
  double tx_rate = 0;           // tx/s seen over the last interval
  std::int64_t mempool_size = 0;
  double average_fee = 0;       // coins per tx
  double average_tx_size = 0;   // bytes
};

// Extra object reported by full nodes only: the node's own local model.
struct AiMetrics {
  double anomaly_score = 0;     // 0..1, from the node's own metrics only
  double predicted_tx_rate = 0; // EWMA forecast made before this sample
  double model_confidence = 0;  // 0..1
};

struct SimRecord {
  double timestamp = 0;  // unix seconds, end of the interval this sample covers
  std::string node_id;
  NodeType node_type = NodeType::Testnet;
  std::string chain_id;
  std::int64_t seq = 0;  // 0, 1, 2, ... per node

  std::int64_t current_height = 0;
  std::int64_t blocks_processed = 0;   // height gained since the previous sample
  std::int64_t transaction_count = 0;  // cumulative since process start (resets on restart)
  double mining_hash_rate = 0;         // MH/s

  std::int64_t peer_count = 0;
  double average_latency = 0;          // ms
  double bandwidth_usage = 0;          // KB/s
  double connection_quality = 0;       // 0..1

  double cpu_usage = 0;                // %
  double memory_usage = 0;             // %
  double uptime = 0;                   // s since process start

  std::optional<TransactionAnalysis> transaction_analysis;  // full nodes
  std::optional<AiMetrics> ai_metrics;                      // full nodes

  // Basic nodes report only timestamp, node_id, node_type, chain_id, seq,
  // current_height and peer_count; their other fields are left 0 here.
  bool minimal() const { return node_type == NodeType::Basic; }
  // Simple nodes report the blockchain and network groups, no performance.
  bool reports_performance() const { return node_type != NodeType::Basic && node_type != NodeType::Simple; }
};

}  // namespace nebula_sim
