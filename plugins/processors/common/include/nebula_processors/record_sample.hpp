// One record row copied out of a columnar batch into plain fields, so the
// per-node engines (intelligence, learning, memory) read a batch the same way
// and can be unit-tested without building Arrow batches.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/arrow_batch.hpp>

namespace nebula::processors {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Sample {
  double timestamp = kMissing;
  std::string node_id;
  std::string node_type;
  std::string chain_id;
  double height = kMissing;
  double blocks_processed = kMissing;
  double tx_count = kMissing;  // cumulative counter
  double hash_rate = kMissing;
  double peers = kMissing;
  double latency_ms = kMissing;
  double bandwidth = kMissing;
  double connection_quality = kMissing;
  double cpu = kMissing;
  double memory = kMissing;
  // Median priority fee (gwei) of the node's `economics` group
  // (nebula_processors/economics.hpp): what tells an organic surge from a
  // flood. Only nodes collected over JSON-RPC send it.
  double tip_gwei = kMissing;
};

// Rows without a node id or a finite timestamp are left out (counted in
// `skipped`); the rest are stably sorted by timestamp so a batch whose rows
// interleave nodes is processed in event-time order.
std::vector<Sample> read_samples(const RecordBatchView& batch, size_t* skipped = nullptr);

// The key a sample's chain is tracked under: chain_id, else node_type, else "unknown".
std::string chain_key(const Sample& s);
// The same key without a copy: a view into `s` (or a literal), valid while `s` is.
std::string_view chain_key_view(const Sample& s);

}  // namespace nebula::processors
