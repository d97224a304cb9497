// Which incidents each node had recently, so "repeated" can be judged.
// Bounded: at most max_nodes nodes (least recently updated forgotten) and
// at most kPerNode incidents per node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <string>

namespace nebula::decision {

class IncidentHistory {
 public:
  static constexpr std::size_t kPerNode = 32;

  explicit IncidentHistory(std::size_t max_nodes) : max_nodes_(max_nodes) {}

  // Records an incident once (by id), whatever how often it is reported.
  void record(const std::string& node_id, const std::string& id, const std::string& kind, double start);

  // Incidents of node_id that started within (now - window, now], counting
  // only kinds for which `counts(kind)` is true.
  template <class Pred>
  std::map<std::string, int> recent(const std::string& node_id, double now, double window, Pred counts) const {
    std::map<std::string, int> out;
    auto it = nodes_.find(node_id);
    if (it == nodes_.end()) return out;
    for (const auto& e : it->second.entries)
      if (e.start > now - window && e.start <= now && counts(e.kind)) ++out[e.kind];
    return out;
  }

  std::size_t size() const { return nodes_.size(); }
  std::uint64_t evictions() const { return evictions_; }

 private:
  struct Entry {
    std::string id;
    std::string kind;
    double start;
  };
  struct Node {
    std::deque<Entry> entries;
    std::list<std::string>::iterator lru;
  };

  std::size_t max_nodes_;
  std::map<std::string, Node> nodes_;
  std::list<std::string> lru_;
  std::uint64_t evictions_ = 0;
};

}  // namespace nebula::decision
