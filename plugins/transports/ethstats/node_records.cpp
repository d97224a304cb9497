#include "node_records.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::transport::ethstats {
namespace {

using json = nlohmann::json;
constexpr size_t kFirstSeenBlocks = 4096;  // blocks remembered for propagation, over all chains

// Strictly increasing per node and, being the clock in microseconds, higher
// than any seq this node had before a pool restart: the host's duplicate
// check (node_id, seq) then only ever drops a true repeat (a dead letter
// replayed after it was accepted).
int64_t next_seq(NodeState& s, double now) {
  const auto now_us = static_cast<int64_t>(now * 1e6);
  s.last_seq = std::max(s.last_seq + 1, now_us);
  return s.last_seq;
}

template <class T>
void put(json& group, const char* key, const std::optional<T>& v) {
  if (v) group[key] = *v;
}

}  // namespace

RecordMapper::RecordMapper(size_t max_nodes) : nodes_(max_nodes), first_seen_(kFirstSeenBlocks) {}

size_t RecordMapper::evicted_nodes() const {
  std::lock_guard lock(mu_);
  return nodes_.evictions();
}

RecordMapper::BlockStep RecordMapper::apply_block(const NodeIdentity& who, NodeState& s, const Block& b, double now,
                                                  bool live) {
  BlockStep step;
  step.block = &b;
  const bool new_head = !s.height || b.number > *s.height;
  if (s.height) step.blocks = new_head ? b.number - *s.height : 0;  // same or lower: a repeat or a reorg
  if (s.height && s.head_time && b.number == *s.height + 1) step.block_time_s = b.timestamp - *s.head_time;
  if (new_head && b.transactions) s.transactions = s.transactions.value_or(0) + *b.transactions;
  if (live && !b.hash.empty()) {
    // Propagation as ethstats servers show it: how long after the first
    // node of the chain this node reported the block.
    bool created = false;
    double& first = first_seen_.touch(who.chain_id + "/" + b.hash, &created);
    if (created) first = now;
    step.propagation_ms = std::max(0.0, (now - first) * 1000.0);
  }
  s.height = b.number;
  s.head_time = b.timestamp;
  s.head_hash = b.hash;
  return step;
}

void RecordMapper::append_record(std::string& out, const NodeIdentity& who, NodeState& s, const Message& m,
                                 const BlockStep* step, double now, size_t& records) {
  json chain = json::object();
  put(chain, "current_height", s.height);
  if (step) put(chain, "blocks_processed_last_interval", step->blocks);
  put(chain, "transaction_count", s.transactions);
  put(chain, "mining_hash_rate", s.hashrate);
  json network = json::object();
  put(network, "peer_count", s.peers);
  put(network, "average_latency", s.latency_ms);
  // Nothing canonical known yet (a pending count before any block or stats):
  // the state keeps it and the node's next record carries it.
  if (chain.empty() && network.empty()) return;

  // The fee market and mempool in the `economics` group's terms
  // (sdk/schemas/records/economics.schema.json), as the JSON-RPC collector sends them.
  json economics = json::object();
  if (s.gas_price) economics["gas_price_gwei"] = *s.gas_price / 1e9;  // geth reports wei
  put(economics, "mempool_pending", s.pending);
  json es = {{"event", to_string(m.emit)}};
  put(es, "mining", s.mining);
  put(es, "syncing", s.syncing);
  put(es, "active", s.active);
  if (!s.head_hash.empty()) es["head_hash"] = s.head_hash;
  if (step) {
    const Block& b = *step->block;
    es["block_timestamp"] = b.timestamp;
    put(es, "block_transactions", b.transactions);
    put(es, "gas_used", b.gas_used);
    put(es, "gas_limit", b.gas_limit);
    if (b.gas_used && b.gas_limit && *b.gas_limit > 0 && *b.gas_used <= *b.gas_limit) {
      economics["gas_used_ratio"] = *b.gas_used / *b.gas_limit;
      economics["fee_blocks"] = 1;
    }
    put(es, "block_time_s", step->block_time_s);
    put(es, "propagation_ms", step->propagation_ms);
  }
  if (!who.client.empty()) es["client"] = who.client;
  if (!who.net.empty()) es["net"] = who.net;
  if (!who.protocol.empty()) es["protocol"] = who.protocol;

  json record = {{"timestamp", now},          {"node_id", who.node_id}, {"node_type", who.node_type},
                 {"chain_id", who.chain_id},  {"seq", next_seq(s, now)}, {"ethstats", std::move(es)}};
  if (!chain.empty()) record["blockchain"] = std::move(chain);
  if (!network.empty()) record["network"] = std::move(network);
  if (!economics.empty()) record["economics"] = std::move(economics);
  out += record.dump(-1, ' ', false, json::error_handler_t::replace);
  out += '\n';
  ++records;
}

MappedRecords RecordMapper::map(const NodeIdentity& who, const Message& m, double now) {
  std::lock_guard lock(mu_);
  NodeState& s = nodes_.touch(who.node_id);
  MappedRecords out;
  switch (m.emit) {
    case Emit::block: {
      const BlockStep step = apply_block(who, s, m.block, now, true);
      append_record(out.ndjson, who, s, m, &step, now, out.records);
      return out;
    }
    case Emit::history: {
      // Blocks the node had before it (re)connected, oldest first; the ones
      // at or below the head the pool already knows were recorded before.
      std::vector<const Block*> blocks;
      for (const auto& b : m.history) blocks.push_back(&b);
      std::sort(blocks.begin(), blocks.end(), [](const Block* a, const Block* b) { return a->number < b->number; });
      for (const Block* b : blocks) {
        if (s.height && b->number <= *s.height) {
          ++out.known_history_blocks;
          continue;
        }
        const BlockStep step = apply_block(who, s, *b, now, false);
        append_record(out.ndjson, who, s, m, &step, now, out.records);
      }
      return out;
    }
    case Emit::pending: s.pending = m.pending; break;
    case Emit::stats:
      if (m.stats.peers) s.peers = m.stats.peers;
      if (m.stats.hashrate) s.hashrate = m.stats.hashrate;
      if (m.stats.gas_price) s.gas_price = m.stats.gas_price;
      if (m.stats.active) s.active = m.stats.active;
      if (m.stats.syncing) s.syncing = m.stats.syncing;
      if (m.stats.mining) s.mining = m.stats.mining;
      break;
    case Emit::latency: s.latency_ms = m.latency_ms; break;
    case Emit::hello:
    case Emit::node_ping:
    case Emit::primus_ping: return out;  // protocol only: no measurement
  }
  append_record(out.ndjson, who, s, m, nullptr, now, out.records);
  return out;
}

}  // namespace nebula::transport::ethstats
