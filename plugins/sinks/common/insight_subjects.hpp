// Which nodes and chains an insight is about, read from the document itself,
// so a history sink can index every topic without knowing its schema.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::sinks {

struct SubjectLimits {
  size_t max_nodes = 10000;  // a fleet-wide insight can list every node
  size_t max_chains = 1000;
  size_t max_id_bytes = 256;  // longer strings are not ids
  size_t max_depth = 64;      // deeper values are not looked at
};

struct InsightSubjects {
  std::vector<std::string> nodes;   // first-seen order, no repeats
  std::vector<std::string> chains;  // first-seen order, no repeats
  // Distinct ids left out because a limit was reached (the insight itself is kept
  // whole; only its index is incomplete). 0 when nothing was left out.
  size_t left_out = 0;
};

// Walks the document `json`: string values of keys "node_id", string items of
// arrays named "nodes", string values of keys "chain_id", keys of objects
// named "chains"; objects in key order (the order a nlohmann DOM has), the
// last of a duplicated key. nullopt when `json` is not JSON.
// Read from simdjson's tape: parsing each insight into a nlohmann DOM was
// most of the history sink's CPU, ~3 % of the default pipeline's (perf, #15).
std::optional<InsightSubjects> insight_subjects(std::string_view json, const SubjectLimits& limits = {});

}  // namespace nebula::sinks
