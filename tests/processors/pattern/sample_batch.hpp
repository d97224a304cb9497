// Samples -> a canonical columnar batch, as the host would hand it over.
#pragma once

#include <vector>

#include "nebula/arrow_batch.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern::testing {

inline OwnedBatch to_batch(const std::vector<Sample>& samples) {
  namespace f = nebula::fields;
  auto b = RecordBatchBuilder::canonical();
  auto num = [&](std::string_view col, double v, bool integer) {
    const size_t c = b.find(col);
    if (!present(v)) b.append_null(c);
    else if (integer) b.append_int(c, static_cast<int64_t>(v));
    else b.append_double(c, v);
  };
  auto text = [&](std::string_view col, const std::string& v) {
    const size_t c = b.find(col);
    if (v.empty()) b.append_null(c);
    else b.append_text(c, v);
  };
  int64_t seq = 0;
  for (const auto& s : samples) {
    for (const auto& field : f::all) {
      const auto n = field.name;
      if (n == f::timestamp) num(n, s.timestamp, false);
      else if (n == f::node_id) text(n, s.node_id);
      else if (n == f::node_type) text(n, s.node_type);
      else if (n == f::chain_id) text(n, s.chain_id);
      else if (n == f::seq) num(n, static_cast<double>(seq++), true);
      else if (n == f::current_height) num(n, s.height, true);
      else if (n == f::transaction_count) num(n, s.tx_count, true);
      else if (n == f::hash_rate) num(n, s.hash_rate, false);
      else if (n == f::peer_count) num(n, s.peers, true);
      else if (n == f::latency) num(n, s.latency_ms, false);
      else if (n == f::cpu_usage) num(n, s.cpu, false);
      else if (n == f::memory_usage) num(n, s.memory, false);
      else b.append_null(b.find(n));
    }
  }
  return OwnedBatch(std::move(b));
}

}  // namespace nebula::pattern::testing
