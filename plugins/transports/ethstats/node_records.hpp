// Turns a node's decoded ethstats messages into canonical pool records
// (docs/transports.md, "Ethstats": which message fills which field). Each
// record is a snapshot of what the pool knows of the node at that moment —
// its head, peers, latency, mining and pending counts — so a record made
// for a "pending" message still carries the height. The state is kept per
// node id, not per connection, so a reconnect neither re-counts blocks nor
// restarts the transaction counter.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <nebula/lru_map.hpp>

#include "ethstats_message.hpp"

namespace nebula::transport::ethstats {

// Who a connection speaks for, fixed by its hello.
struct NodeIdentity {
  std::string node_id;
  std::string chain_id;
  std::string node_type;
  std::string client;    // hello info.node
  std::string net;       // hello info.net
  std::string protocol;  // hello info.protocol
};

struct NodeState {
  std::optional<int64_t> height;       // the head block number
  std::optional<int64_t> head_time;    // its header timestamp (s)
  std::string head_hash;
  std::optional<int64_t> transactions;  // cumulative over new heads since the pool first saw the node
  std::optional<int64_t> peers, pending;
  std::optional<double> latency_ms, hashrate, gas_price;
  std::optional<bool> active, syncing, mining;
  int64_t last_seq = 0;
};

struct MappedRecords {
  std::string ndjson;          // one canonical record per line; "" when the message only updated state
  size_t records = 0;
  size_t known_history_blocks = 0;  // history blocks at or below the known head, not made into records
};

class RecordMapper {
 public:
  explicit RecordMapper(size_t max_nodes);

  // [thread-safe] `now` is the pool's clock in seconds since the epoch.
  MappedRecords map(const NodeIdentity& who, const Message& m, double now);

  size_t evicted_nodes() const;

 private:
  struct BlockStep {
    std::optional<int64_t> blocks;  // head advance since the node's previous head; unknown for the first
    std::optional<int64_t> block_time_s;
    std::optional<double> propagation_ms;
    const Block* block = nullptr;
  };
  BlockStep apply_block(const NodeIdentity& who, NodeState& s, const Block& b, double now, bool live);
  void append_record(std::string& out, const NodeIdentity& who, NodeState& s, const Message& m,
                     const BlockStep* step, double now, size_t& records);

  mutable std::mutex mu_;
  LruMap<NodeState> nodes_;
  LruMap<double> first_seen_;  // "<chain>/<block hash>" -> when the first node reported it (s)
};

}  // namespace nebula::transport::ethstats
