// The logic of the latency watch, in plain C++: no ABI, no host. Given the
// latency samples of one record batch it computes the mean latency of every
// chain and of every node, and flags the nodes whose mean is above the
// threshold. plugin.cpp binds this to the Nebula ABI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hello {

struct Settings {
  double threshold_ms = 250.0;   // a node whose mean latency is above this is flagged
  int64_t min_samples = 1;       // ...if it has at least this many samples in the batch
  std::string topic = "example"; // where the summary is published
};

// One record that reported `network.average_latency`.
struct Sample {
  std::string chain_id;
  std::string node_id;
  double latency_ms = 0;
};

struct ChainSummary {
  std::string chain_id;
  int64_t samples = 0;
  int64_t nodes = 0;
  double mean_latency_ms = 0;
};

struct FlaggedNode {
  std::string chain_id;
  std::string node_id;
  int64_t samples = 0;
  double mean_latency_ms = 0;
};

struct Report {
  int64_t records = 0;  // rows in the batch, with or without latency
  int64_t samples = 0;  // rows that had a latency
  std::vector<ChainSummary> chains;  // sorted by chain id
  std::vector<FlaggedNode> flagged;  // sorted by (chain id, node id)
};

// Summarises one batch. `records` is the batch's row count.
Report summarise(const std::vector<Sample>& samples, int64_t records, const Settings& settings);

// The insight document published for a report.
nlohmann::json to_json(const Report& report, const Settings& settings);

}  // namespace hello
