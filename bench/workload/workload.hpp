// The benchmark workload: simulated fleet records (nebula_sim, the same
// generator `nebula-node simulate` uses) as canonical wire JSON, generated
// up front so a benchmark times the pool, not the generator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nebula::bench {

struct WorkloadOptions {
  size_t nodes = 1000;   // fleet size, split 4:4:1:1 testnet:mainnet:basic:full
  size_t steps = 10;     // samples per node
  uint64_t seed = 7;
  double end_time = 0;   // timestamp of the last step; 0 = now (records must not be in the future)
  std::string prefix;    // prepended to node ids: the pool drops repeated (node_id, seq) pairs,
                         // so every run against one pool needs nodes of its own
};

struct RecordLine {
  uint32_t node = 0;  // index of the node in the fleet: lets a sender keep each node on one connection
  std::string json;   // one record, no newline
};

// steps x nodes records, step by step, so every node's seq increases down the list.
std::vector<RecordLine> record_lines(const WorkloadOptions& options);

// The same records as HTTP/JSON batch documents ({"node_id":…,"data_batch":[…]}),
// `batch` consecutive records of one node each.
std::vector<std::string> batch_documents(const WorkloadOptions& options, size_t batch);

// Joins lines with '\n' (and a trailing one): an NDJSON payload or file.
std::string ndjson(const std::vector<RecordLine>& lines, size_t first = 0, size_t count = SIZE_MAX);

}  // namespace nebula::bench
