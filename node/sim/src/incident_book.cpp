#include "incident_book.hpp"

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace nebula_sim {

bool kind_applies_to(IncidentKind kind, NodeType type) {
  if (type == NodeType::Simple) return kind != IncidentKind::ResourceExhaustion;  // reports no CPU or memory
  if (type != NodeType::Basic) return true;
  return kind == IncidentKind::Stall || kind == IncidentKind::Eclipse ||
         kind == IncidentKind::Partition;
}

double default_magnitude(IncidentKind kind) {
  switch (kind) {
    case IncidentKind::Stall: return 0.0;
    case IncidentKind::Eclipse: return 4.0;
    case IncidentKind::Partition: return 5.0;
    case IncidentKind::TxFlood: return 10.0;
    case IncidentKind::HashrateDrop: return 0.2;
    case IncidentKind::HashrateSurge: return 3.0;
    case IncidentKind::ResourceExhaustion: return 97.5;
  }
  return 1.0;
}

namespace {

[[noreturn]] void reject(const Incident& incident, const std::string& why) {
  throw std::invalid_argument("scripted incident " + std::string(to_string(incident.kind)) +
                              " on chain '" + incident.chain_id + "': " + why);
}

}  // namespace

const Incident* IncidentBook::covering(const Slots& slots, double t) const {
  if (slots.empty()) return nullptr;
  // Slots never overlap, so only the last one starting <= t can cover t.
  auto it = std::upper_bound(slots.begin(), slots.end(), t,
                             [](double time, const Slot& slot) { return time < slot.start; });
  if (it == slots.begin()) return nullptr;
  --it;
  return t < it->end ? &incidents_[it->id] : nullptr;
}

bool IncidentBook::clashes(const Slots& slots, double start, double end) {
  // Lists are short (a few incidents per node per day); a scan is simplest.
  for (const Slot& slot : slots) {
    if (slot.start < end && start < slot.end) return true;
  }
  return false;
}

bool IncidentBook::is_free(std::uint32_t node, double start, double end, double gap) const {
  return !clashes(by_node_[node], start - gap, end + gap) &&
         !clashes(by_chain_[roster_.chain_of(node)], start - gap, end + gap);
}

const Incident* IncidentBook::at(std::uint32_t node, double t) const {
  if (const Incident* own = covering(by_node_[node], t)) return own;
  return covering(by_chain_[roster_.chain_of(node)], t);
}

void IncidentBook::index(std::uint32_t id, Slots& slots) {
  const Slot slot{incidents_[id].start, incidents_[id].end, id};
  auto pos = std::upper_bound(slots.begin(), slots.end(), slot.start,
                              [](double s, const Slot& other) { return s < other.start; });
  slots.insert(pos, slot);
}

std::uint32_t IncidentBook::add(Incident incident, const std::vector<std::uint32_t>& nodes) {
  const auto id = static_cast<std::uint32_t>(incidents_.size());
  const std::size_t chain = *roster_.chain_index(incident.chain_id);
  incidents_.push_back(std::move(incident));
  if (nodes.empty()) {
    index(id, by_chain_[chain]);
  } else {
    for (std::uint32_t n : nodes) index(id, by_node_[n]);
  }
  return id;
}

std::uint32_t IncidentBook::add_checked(Incident incident) {
  if (!std::isfinite(incident.start) || !std::isfinite(incident.end) ||
      !(incident.end > incident.start)) {
    reject(incident, "needs finite start < end");
  }
  const auto chain = roster_.chain_index(incident.chain_id);
  if (!chain) reject(incident, "unknown chain");

  std::vector<std::uint32_t> nodes;
  std::set<std::uint32_t> seen;
  for (const std::string& id : incident.nodes) {
    const auto n = roster_.find(id);
    if (!n) reject(incident, "unknown node '" + id + "'");
    if (roster_.chain_of(*n) != *chain) reject(incident, "node '" + id + "' is on another chain");
    if (!kind_applies_to(incident.kind, roster_.node(*n).type)) {
      reject(incident, "node '" + id + "' does not report the affected metrics");
    }
    if (!seen.insert(*n).second) reject(incident, "node '" + id + "' listed twice");
    nodes.push_back(*n);
  }

  if (incident.kind == IncidentKind::Partition) {
    if (nodes.size() < 3) reject(incident, "a partition needs at least 3 nodes");
  } else if (nodes.empty()) {
    if (incident.kind != IncidentKind::TxFlood) reject(incident, "only tx_flood may be chain-wide");
  } else if (nodes.size() != 1) {
    reject(incident, "needs exactly one node (or none for a chain-wide tx_flood)");
  }

  const std::vector<std::uint32_t>& affected = nodes.empty() ? roster_.members(*chain) : nodes;
  for (std::uint32_t n : affected) {
    if (!is_free(n, incident.start, incident.end, 0.0)) {
      reject(incident, "overlaps another incident on node '" + roster_.node(n).id + "'");
    }
  }
  if (!(incident.magnitude > 0.0)) incident.magnitude = default_magnitude(incident.kind);
  return add(std::move(incident), nodes);
}

}  // namespace nebula_sim
