#include "ingest/record.hpp"

#include <cmath>

namespace nebula::host {
namespace {

template <class T>
void put(RecordBatchBuilder& b, size_t col, const std::optional<T>& v) {
  if (!v) b.append_null(col);
  else if constexpr (std::is_same_v<T, int64_t>) b.append_int(col, *v);
  else b.append_double(col, *v);
}

std::optional<int64_t> int_at(const ColumnView& c, int64_t row) {
  if (!c.valid(row)) return std::nullopt;
  return c.integer(row);
}
std::optional<double> num_at(const ColumnView& c, int64_t row) {
  if (!c.valid(row)) return std::nullopt;
  return c.number(row);
}

}  // namespace

void append_record(RecordBatchBuilder& b, const Record& r) {
  // Order must match fields::all.
  size_t c = 0;
  b.append_double(c++, r.timestamp);
  b.append_text(c++, r.node_id);
  b.append_text(c++, r.node_type);
  b.append_text(c++, r.chain_id);
  put(b, c++, r.seq);
  put(b, c++, r.current_height);
  put(b, c++, r.blocks_processed);
  put(b, c++, r.transaction_count);
  put(b, c++, r.hash_rate);
  put(b, c++, r.peer_count);
  put(b, c++, r.latency_ms);
  put(b, c++, r.bandwidth);
  put(b, c++, r.connection_quality);
  put(b, c++, r.cpu_usage);
  put(b, c++, r.memory_usage);
  put(b, c++, r.uptime);
  if (r.extra_json.empty()) b.append_null(c++);
  else b.append_text(c++, r.extra_json);
}

Record record_at(const RecordBatchView& v, int64_t row) {
  Record r;
  r.timestamp = v.column(fields::timestamp).number(row);
  r.node_id = std::string(v.column(fields::node_id).text(row));
  r.node_type = std::string(v.column(fields::node_type).text(row));
  r.chain_id = std::string(v.column(fields::chain_id).text(row));
  r.seq = int_at(v.column(fields::seq), row);
  r.current_height = int_at(v.column(fields::current_height), row);
  r.blocks_processed = int_at(v.column(fields::blocks_processed), row);
  r.transaction_count = int_at(v.column(fields::transaction_count), row);
  r.hash_rate = num_at(v.column(fields::hash_rate), row);
  r.peer_count = int_at(v.column(fields::peer_count), row);
  r.latency_ms = num_at(v.column(fields::latency), row);
  r.bandwidth = num_at(v.column(fields::bandwidth), row);
  r.connection_quality = num_at(v.column(fields::connection_quality), row);
  r.cpu_usage = num_at(v.column(fields::cpu_usage), row);
  r.memory_usage = num_at(v.column(fields::memory_usage), row);
  r.uptime = num_at(v.column(fields::uptime), row);
  r.extra_json = std::string(v.column(fields::extra).text(row));
  return r;
}

}  // namespace nebula::host
