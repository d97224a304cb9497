// Builds canonical record batches from short row literals for the tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nebula/arrow_batch.hpp>
#include <nebula/record_fields.hpp>

namespace test_batch {

struct Row {
  double ts = 0;
  // Default member initialisers let tests name only the fields they set.
  std::string node{};
  std::string type{};
  std::string chain{};
  std::optional<int64_t> height{}, blocks{}, tx{}, peers{};
  std::optional<double> latency{}, quality{}, cpu{}, memory{}, hash_rate{}, bandwidth{};
};

inline nebula::OwnedBatch make(const std::vector<Row>& rows) {
  namespace f = nebula::fields;
  auto b = nebula::RecordBatchBuilder::canonical();
  const auto text = [&](std::string_view col, const std::string& v) {
    v.empty() ? b.append_null(b.find(col)) : b.append_text(b.find(col), v);
  };
  const auto integer = [&](std::string_view col, const std::optional<int64_t>& v) {
    v ? b.append_int(b.find(col), *v) : b.append_null(b.find(col));
  };
  const auto real = [&](std::string_view col, const std::optional<double>& v) {
    v ? b.append_double(b.find(col), *v) : b.append_null(b.find(col));
  };
  for (const Row& r : rows) {
    b.append_double(b.find(f::timestamp), r.ts);
    text(f::node_id, r.node);
    text(f::node_type, r.type);
    text(f::chain_id, r.chain);
    b.append_null(b.find(f::seq));
    integer(f::current_height, r.height);
    integer(f::blocks_processed, r.blocks);
    integer(f::transaction_count, r.tx);
    real(f::hash_rate, r.hash_rate);
    integer(f::peer_count, r.peers);
    real(f::latency, r.latency);
    real(f::bandwidth, r.bandwidth);
    real(f::connection_quality, r.quality);
    real(f::cpu_usage, r.cpu);
    real(f::memory_usage, r.memory);
    b.append_null(b.find(f::uptime));
    b.append_null(b.find(f::extra));
  }
  return nebula::OwnedBatch(std::move(b));
}

}  // namespace test_batch
