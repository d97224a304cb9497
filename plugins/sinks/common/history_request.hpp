// The history query a sink answers (nebula_sink_v1.query):
//   {"topic","node_id","chain_id","since","until","after","limit"}
// every field optional; null is the same as absent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nebula::sinks {

constexpr size_t kDefaultHistoryLimit = 100;
constexpr size_t kMaxHistoryLimit = 1000;

struct HistoryRequest {
  std::optional<std::string> topic;
  std::optional<std::string> node_id;   // insights about this node
  std::optional<std::string> chain_id;  // insights about this chain
  std::optional<double> since;          // timestamp >= since (s since the epoch)
  std::optional<double> until;          // timestamp < until
  std::optional<int64_t> after_id;      // from the cursor: only ids below it
  size_t limit = kDefaultHistoryLimit;  // at most this many insights per page
};

// Throws nebula::Error(NEBULA_INVALID, ...) listing every problem, each as
// "<field>: <what is wrong>", e.g. "limit: must be a whole number from 1 to
// 1000, got 1000000000".
HistoryRequest parse_history_request(const nlohmann::json& request);

}  // namespace nebula::sinks
