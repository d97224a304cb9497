// Which incidents each node had recently, so "repeated" can be judged.
// Bounded: at most max_nodes nodes (least recently updated forgotten) and
// at most kPerNode incidents per node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include <nebula/lru_map.hpp>

namespace nebula::decision {

class IncidentHistory {
 public:
  static constexpr std::size_t kPerNode = 32;

  explicit IncidentHistory(std::size_t max_nodes) : nodes_(max_nodes) {}

  // Records an incident once (by id), whatever how often it is reported.
  void record(const std::string& node_id, const std::string& id, const std::string& kind, double start);

  // Incidents of node_id that started within (now - window, now], counting
  // only kinds for which `counts(kind)` is true.
  template <class Pred>
  std::map<std::string, int> recent(const std::string& node_id, double now, double window, Pred counts) const {
    std::map<std::string, int> out;
    const auto* entries = nodes_.find(node_id);
    if (!entries) return out;
    for (const auto& e : *entries)
      if (e.start > now - window && e.start <= now && counts(e.kind)) ++out[e.kind];
    return out;
  }

  std::size_t size() const { return nodes_.size(); }
  std::size_t capacity() const { return nodes_.capacity(); }
  std::uint64_t evictions() const { return nodes_.evictions(); }

 private:
  struct Entry {
    std::string id;
    std::string kind;
    double start;
  };

  LruMap<std::deque<Entry>> nodes_;  // a node's incidents, oldest first
};

}  // namespace nebula::decision
