// A detected incident as published on the `patterns` topic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nebula/json_writer.hpp>

#include "nebula_pattern/kind.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

// deviation = (value - baseline) / |baseline|, null when the baseline is 0 or unknown.
struct Evidence {
  std::string metric;
  double value = kMissing;
  double baseline = kMissing;
  double deviation = kMissing;
};

Evidence make_evidence(std::string metric, double value, double baseline);

struct Incident {
  std::string id;  // "<kind>/<node or chain>/<start>": stable for de-duplication downstream
  Kind kind = Kind::Stall;
  std::string node_id;             // node incidents
  std::vector<std::string> nodes;  // partition: the nodes that degraded together
  std::string chain_id;
  double severity = 0;             // 0..1, the peak seen so far
  double start = kMissing;         // first anomalous sample
  double last_seen = kMissing;     // latest anomalous sample
  double end = kMissing;           // first normal sample of the clearing run (ended only)
  std::string end_reason;          // "recovered", "stale", "evicted", "superseded"
  std::vector<Evidence> evidence;  // latest values
};

std::string_view severity_label(double severity);  // low < 0.4 <= medium < 0.7 <= high
std::string incident_id(Kind kind, std::string_view target, double start);

// The incident as one JSON object, keys in sorted order (what dump() of the
// nlohmann document it replaced gave; see nebula/json_writer.hpp).
void write_incident(JsonWriter& w, const Incident& incident);

}  // namespace nebula::pattern
