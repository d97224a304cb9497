// Canonical record column names (docs/architecture.md, "Data model").
// A record batch carries every column below; a field a node did not report
// is null in that row. Unknown sender fields travel as JSON text in `extra`.
#pragma once

#include <array>
#include <string_view>

namespace nebula::fields {

enum class Type { Utf8, Int64, Float64 };

struct Field {
  std::string_view name;
  Type type;
};

inline constexpr std::string_view timestamp = "timestamp";
inline constexpr std::string_view node_id = "node_id";
inline constexpr std::string_view node_type = "node_type";
inline constexpr std::string_view chain_id = "chain_id";
inline constexpr std::string_view seq = "seq";
inline constexpr std::string_view current_height = "blockchain.current_height";
inline constexpr std::string_view blocks_processed = "blockchain.blocks_processed_last_interval";
inline constexpr std::string_view transaction_count = "blockchain.transaction_count";
inline constexpr std::string_view hash_rate = "blockchain.mining_hash_rate";
inline constexpr std::string_view peer_count = "network.peer_count";
inline constexpr std::string_view latency = "network.average_latency";
inline constexpr std::string_view bandwidth = "network.bandwidth_usage";
inline constexpr std::string_view connection_quality = "network.connection_quality";
inline constexpr std::string_view cpu_usage = "performance.cpu_usage";
inline constexpr std::string_view memory_usage = "performance.memory_usage";
inline constexpr std::string_view uptime = "performance.uptime";
inline constexpr std::string_view extra = "extra";

// Column order of every batch the host builds.
inline constexpr std::array<Field, 17> all = {{
    {timestamp, Type::Float64},
    {node_id, Type::Utf8},
    {node_type, Type::Utf8},
    {chain_id, Type::Utf8},
    {seq, Type::Int64},
    {current_height, Type::Int64},
    {blocks_processed, Type::Int64},
    {transaction_count, Type::Int64},
    {hash_rate, Type::Float64},
    {peer_count, Type::Int64},
    {latency, Type::Float64},
    {bandwidth, Type::Float64},
    {connection_quality, Type::Float64},
    {cpu_usage, Type::Float64},
    {memory_usage, Type::Float64},
    {uptime, Type::Float64},
    {extra, Type::Utf8},
}};

}  // namespace nebula::fields
