// Labelled incidents: the simulator's ground truth.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula_sim {

enum class IncidentKind : std::uint8_t {
  Stall,               // height stops advancing
  Eclipse,             // peers collapse to 0..2, latency up, node falls behind
  Partition,           // a group (>= 3 nodes, one chain) loses peers together, heights lag
  TxFlood,             // transaction rate x5..x20 on a node (or a whole chain)
  HashrateDrop,        // mining hash rate x~0.2
  HashrateSurge,       // mining hash rate x~3
  ResourceExhaustion,  // cpu > 95 %, memory climbing to > 95 %
};

inline constexpr std::array<IncidentKind, 7> kAllIncidentKinds = {
    IncidentKind::Stall,        IncidentKind::Eclipse,       IncidentKind::Partition,
    IncidentKind::TxFlood,      IncidentKind::HashrateDrop,  IncidentKind::HashrateSurge,
    IncidentKind::ResourceExhaustion};

// Wire names: "stall", "eclipse", "partition", "tx_flood", "hashrate_drop",
// "hashrate_surge", "resource_exhaustion".
std::string_view to_string(IncidentKind kind);
std::optional<IncidentKind> parse_incident_kind(std::string_view name);

struct Incident {
  IncidentKind kind = IncidentKind::Stall;
  std::string chain_id;
  // Affected nodes: exactly one for node incidents, >= 3 for a partition.
  // Empty means every node following chain_id (only allowed for tx_flood).
  std::vector<std::string> nodes;
  double start = 0.0;  // simulated unix seconds, inclusive
  double end = 0.0;    // exclusive
  // Kind-specific strength; <= 0 picks the kind's default when scripted.
  //   tx_flood, hashrate_drop, hashrate_surge: rate multiplier
  //   eclipse, partition: latency multiplier
  //   resource_exhaustion: memory % reached; stall: unused
  double magnitude = 0.0;

  // A record with timestamp t is labelled with this incident iff covers(t).
  bool covers(double t) const { return start <= t && t < end; }
};

// {"node_id": <id or null>, "nodes": [...], "chain_id", "kind", "start",
//  "end", "magnitude"}; node_id is set only for single-node incidents.
nlohmann::json to_json(const Incident& incident);

// One JSON object per line, in the given order.
void write_incidents_jsonl(std::ostream& out, const std::vector<Incident>& incidents);
std::string incidents_to_jsonl(const std::vector<Incident>& incidents);

}  // namespace nebula_sim
