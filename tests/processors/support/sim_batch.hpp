// The fleet simulator's records as the canonical record batch the host hands
// processors: basic nodes report only height and peers, the rest is null, as
// when the host decodes what a basic node sends.
#pragma once

#include <vector>

#include <nebula/arrow_batch.hpp>
#include <nebula/record_fields.hpp>
#include <nebula_sim/fleet.hpp>

namespace sim_batch {

inline nebula::OwnedBatch make(const std::vector<nebula_sim::SimRecord>& records) {
  namespace f = nebula::fields;
  auto b = nebula::RecordBatchBuilder::canonical();
  const auto real = [&](std::string_view col, bool reported, double v) {
    reported ? b.append_double(b.find(col), v) : b.append_null(b.find(col));
  };
  const auto integer = [&](std::string_view col, bool reported, int64_t v) {
    reported ? b.append_int(b.find(col), v) : b.append_null(b.find(col));
  };
  for (const auto& r : records) {
    const bool full = !r.minimal();
    b.append_double(b.find(f::timestamp), r.timestamp);
    b.append_text(b.find(f::node_id), r.node_id);
    b.append_text(b.find(f::node_type), std::string(nebula_sim::to_string(r.node_type)));
    b.append_text(b.find(f::chain_id), r.chain_id);
    b.append_int(b.find(f::seq), r.seq);
    integer(f::current_height, true, r.current_height);
    integer(f::blocks_processed, full, r.blocks_processed);
    integer(f::transaction_count, full, r.transaction_count);
    real(f::hash_rate, full, r.mining_hash_rate);
    integer(f::peer_count, true, r.peer_count);
    real(f::latency, full, r.average_latency);
    real(f::bandwidth, full, r.bandwidth_usage);
    real(f::connection_quality, full, r.connection_quality);
    real(f::cpu_usage, full, r.cpu_usage);
    real(f::memory_usage, full, r.memory_usage);
    real(f::uptime, full, r.uptime);
    b.append_null(b.find(f::extra));
  }
  return nebula::OwnedBatch(std::move(b));
}

}  // namespace sim_batch
