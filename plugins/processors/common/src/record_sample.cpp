#include "nebula_processors/record_sample.hpp"

#include <algorithm>
#include <cmath>

#include <nebula/record_fields.hpp>

#include "nebula_processors/economics.hpp"

namespace nebula::processors {

std::vector<Sample> read_samples(const RecordBatchView& batch, size_t* skipped) {
  namespace f = nebula::fields;
  const auto ts = batch.column(f::timestamp), node = batch.column(f::node_id), type = batch.column(f::node_type),
             chain = batch.column(f::chain_id), height = batch.column(f::current_height),
             blocks = batch.column(f::blocks_processed), tx = batch.column(f::transaction_count),
             hash = batch.column(f::hash_rate), peers = batch.column(f::peer_count), latency = batch.column(f::latency),
             bandwidth = batch.column(f::bandwidth), quality = batch.column(f::connection_quality),
             cpu = batch.column(f::cpu_usage), memory = batch.column(f::memory_usage), extra = batch.column(f::extra);
  std::vector<Sample> out;
  out.reserve(static_cast<size_t>(batch.rows()));
  size_t dropped = 0;
  for (int64_t i = 0; i < batch.rows(); ++i) {
    Sample s;
    s.timestamp = ts.number(i);
    s.node_id = std::string(node.text(i));
    if (s.node_id.empty() || !std::isfinite(s.timestamp)) {
      ++dropped;
      continue;
    }
    s.node_type = std::string(type.text(i));
    s.chain_id = std::string(chain.text(i));
    s.height = height.number(i);
    s.blocks_processed = blocks.number(i);
    s.tx_count = tx.number(i);
    s.hash_rate = hash.number(i);
    s.peers = peers.number(i);
    s.latency_ms = latency.number(i);
    s.bandwidth = bandwidth.number(i);
    s.connection_quality = quality.number(i);
    s.cpu = cpu.number(i);
    s.memory = memory.number(i);
    if (const auto text = extra.text(i); !text.empty()) s.tip_gwei = read_economics(text).tip_p50_gwei;
    out.push_back(std::move(s));
  }
  // Timestamps are finite here, so "already sorted" is exact; otherwise the
  // stable order is found on indices and each sample moved once.
  const auto earlier = [](const Sample& a, const Sample& b) { return a.timestamp < b.timestamp; };
  if (!std::is_sorted(out.begin(), out.end(), earlier)) {
    std::vector<size_t> order(out.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return earlier(out[a], out[b]); });
    std::vector<Sample> sorted;
    sorted.reserve(out.size());
    for (const size_t i : order) sorted.push_back(std::move(out[i]));
    out = std::move(sorted);
  }
  if (skipped) *skipped = dropped;
  return out;
}

std::string chain_key(const Sample& s) { return std::string(chain_key_view(s)); }

std::string_view chain_key_view(const Sample& s) {
  if (!s.chain_id.empty()) return s.chain_id;
  if (!s.node_type.empty()) return s.node_type;
  return "unknown";
}

}  // namespace nebula::processors
