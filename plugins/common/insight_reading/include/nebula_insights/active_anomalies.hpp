// The `patterns` insight's list of active anomalies, the one contract every
// plugin that attributes anomalies to nodes consumes (the learning, memory
// and intelligence processors, the Analyst agent):
// {"active":[{"kind":"stall","node_id":"n1"}, {"kind":"partition","nodes":["a","b"]}, ...]}
// Read from the insight's text through simdjson's tape, ~17x faster than a
// nlohmann DOM of it (bench_training_examples, BM_Patterns*): the insight
// comes once per record batch, to each of these consumers, and grows with
// the nodes its incidents list.
#pragma once

#include <functional>
#include <string_view>

namespace nebula::insights {

enum class ActiveList {
  kRead,     // the document has an "active" array (possibly empty: nothing is active)
  kMissing,  // JSON, but no "active" array: the document says nothing about anomalies
  kNotJson,
};

// Called once per node an active entry names. The views live until the
// callback returns; it must not read another insight on this thread (the
// tape is the thread's, json_tape.hpp).
using ActiveAnomalyVisitor = std::function<void(std::string_view kind, std::string_view node_id)>;

// Calls `visit` for every node an entry names through "node_id" or "nodes",
// in document order. Defensive: entries without a string "kind", and ids that
// are not strings, are skipped; as with a nlohmann DOM, the last of a
// duplicated key wins.
ActiveList for_each_active_anomaly(std::string_view patterns_json, const ActiveAnomalyVisitor& visit);

}  // namespace nebula::insights
