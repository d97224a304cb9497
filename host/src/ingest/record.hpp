// One metrics sample from one node, after decoding and validation.
// The canonical fields mirror nebula/record_fields.hpp; fields a sender adds
// that we do not know are kept verbatim in `extra_json` (a JSON object).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "nebula/arrow_batch.hpp"

namespace nebula::host {

struct Record {
  double timestamp = 0.0;  // seconds since the Unix epoch
  std::string node_id;
  std::string node_type;  // testnet | mainnet | basic | simple | full | ...
  std::string chain_id;
  std::optional<int64_t> seq;  // per-node sequence number (de-duplication)

  std::optional<int64_t> current_height;
  std::optional<int64_t> blocks_processed;
  std::optional<int64_t> transaction_count;
  std::optional<double> hash_rate;
  std::optional<int64_t> peer_count;
  std::optional<double> latency_ms;
  std::optional<double> bandwidth;
  std::optional<double> connection_quality;  // 0..1
  std::optional<double> cpu_usage;
  std::optional<double> memory_usage;
  std::optional<double> uptime;

  std::string extra_json;  // "" when the sender added nothing unknown

  bool operator==(const Record&) const = default;
};

// Column indexes of RecordBatchBuilder::canonical() follow fields::all.
void append_record(RecordBatchBuilder& builder, const Record& record);

// Reads row `row` of a canonical batch back into a Record.
Record record_at(const RecordBatchView& batch, int64_t row);

}  // namespace nebula::host
