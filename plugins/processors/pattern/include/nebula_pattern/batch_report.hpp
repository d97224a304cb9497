// What one processed batch yields: the `patterns` insight before serialisation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nebula_pattern/incident.hpp"

namespace nebula::pattern {

struct ChainSummary {
  std::string chain_id;
  double tip_height = kMissing;
  double expected_interval_s = kMissing;
  double observed_interval_s = kMissing;
  std::size_t nodes = 0;
};

struct EngineStats {
  std::uint64_t records = 0;
  std::uint64_t invalid_records = 0;     // no node_id or timestamp
  std::uint64_t out_of_order = 0;        // not newer than the node's last sample (dropped)
  std::uint64_t evicted_nodes = 0;       // dropped to stay within max_nodes
  std::uint64_t counter_resets = 0;      // transaction_count decreases seen
  std::size_t nodes = 0;
  std::size_t chains = 0;
};

struct BatchReport {
  double generated_at = kMissing;  // max record timestamp seen (never wall clock)
  std::vector<Incident> started;
  std::vector<Incident> ended;
  std::vector<Incident> active;    // sorted by id
  std::vector<ChainSummary> chains;
  EngineStats stats;
};

// The `patterns` insight's text: {"kind":"patterns","generated_at","active",
// "started","ended","chains","stats"}; each list holds at most max_listed
// incidents ("truncated" counts the rest). Written straight to text: with
// tens of incidents open, building a nlohmann document and dumping it was
// ~16 % of the plugin's samples (perf, issue 15).
std::string to_text(const BatchReport& report, std::size_t max_listed);

}  // namespace nebula::pattern
