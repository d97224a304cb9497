#include "nebula_pattern/sample_reader.hpp"

namespace nebula::pattern {

std::vector<Sample> read_samples(const RecordBatchView& batch) {
  namespace f = nebula::fields;
  const auto ts = batch.column(f::timestamp);
  const auto node = batch.column(f::node_id);
  const auto chain = batch.column(f::chain_id);
  const auto type = batch.column(f::node_type);
  const auto height = batch.column(f::current_height);
  const auto tx = batch.column(f::transaction_count);
  const auto hash = batch.column(f::hash_rate);
  const auto peers = batch.column(f::peer_count);
  const auto latency = batch.column(f::latency);
  const auto cpu = batch.column(f::cpu_usage);
  const auto memory = batch.column(f::memory_usage);

  std::vector<Sample> out;
  out.reserve(static_cast<std::size_t>(batch.rows()));
  for (int64_t i = 0; i < batch.rows(); ++i) {
    Sample s;
    s.timestamp = ts.number(i);
    s.node_id = std::string(node.text(i));
    s.chain_id = std::string(chain.text(i));
    s.node_type = std::string(type.text(i));
    s.height = height.number(i);
    s.tx_count = tx.number(i);
    s.hash_rate = hash.number(i);
    s.peers = peers.number(i);
    s.latency_ms = latency.number(i);
    s.cpu_pct = cpu.number(i);
    s.memory_pct = memory.number(i);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace nebula::pattern
