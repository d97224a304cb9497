// Stores incidents and answers "what is happening to node i at time t".
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "nebula_sim/incident.hpp"
#include "node_roster.hpp"

namespace nebula_sim {

// Which kinds can hit a node type: basic nodes report no hash rate, tx
// counter, cpu or memory, so an incident there would be invisible.
bool kind_applies_to(IncidentKind kind, NodeType type);

// Value used when a scripted incident leaves magnitude <= 0.
double default_magnitude(IncidentKind kind);

class IncidentBook {
 public:
  explicit IncidentBook(const NodeRoster& roster) : roster_(roster), by_node_(roster.size()) {}

  // Validates a scripted incident (known nodes on the stated chain, eligible
  // kind, shape, no overlap on any node), fills a default magnitude, stores it.
  // Throws std::invalid_argument saying what is wrong. Returns its id.
  std::uint32_t add_checked(Incident incident);
  // For the planner, which has already checked everything: node indices given.
  std::uint32_t add(Incident incident, const std::vector<std::uint32_t>& nodes);

  // No incident on `node` (or chain-wide on its chain) within
  // [start - gap, end + gap).
  bool is_free(std::uint32_t node, double start, double end, double gap) const;

  // The incident covering t on node (own or chain-wide), or nullptr.
  const Incident* at(std::uint32_t node, double t) const;

  // Calls fn(id, incident) for the node's own incidents overlapping
  // (from, to], in time order.
  template <class Fn>
  void for_each_overlapping(std::uint32_t node, double from, double to, Fn&& fn) const {
    const std::vector<Slot>& slots = by_node_[node];
    // First incident starting at or after `to` ends the candidates.
    auto last = std::lower_bound(slots.begin(), slots.end(), to,
                                 [](const Slot& slot, double t) { return slot.start < t; });
    auto first = last;
    while (first != slots.begin() && (first - 1)->end > from) --first;
    for (auto it = first; it != last; ++it) fn(it->id, incidents_[it->id]);
  }

  const std::vector<Incident>& all() const { return incidents_; }

 private:
  // Times copied next to the id: at() runs for every node on every step, and
  // this keeps it off the (large, scattered) Incident objects.
  struct Slot {
    double start;
    double end;
    std::uint32_t id;
  };
  using Slots = std::vector<Slot>;  // sorted by start, never overlapping

  const Incident* covering(const Slots& slots, double t) const;
  static bool clashes(const Slots& slots, double start, double end);
  void index(std::uint32_t id, Slots& slots);

  const NodeRoster& roster_;
  std::vector<Incident> incidents_;
  std::vector<Slots> by_node_;
  Slots by_chain_[kChainCount];  // chain-wide incidents
};

}  // namespace nebula_sim
