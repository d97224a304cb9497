#include "config/graph_check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "config/edit_distance.hpp"

namespace nebula::host {
namespace {

// Data flows from a producer to each consumer that lists it in `inputs`.
struct Edge {
  size_t consumer;
  SourceMark mark;  // the consumer's inputs entry naming the producer
};

std::string label_of(const ComponentSpec& component) {
  return component.id.empty() ? "this component" : "component '" + component.id + "'";
}

class CycleFinder {
 public:
  CycleFinder(const std::vector<ComponentSpec>& components, const std::vector<std::vector<Edge>>& edges,
              std::vector<ConfigIssue>& issues)
      : components_(components), edges_(edges), issues_(issues), state_(components.size(), kUnvisited) {}

  void run() {
    for (size_t i = 0; i < components_.size(); ++i)
      if (state_[i] == kUnvisited) visit(i);
  }

 private:
  enum State { kUnvisited, kOnPath, kDone };

  // Depth-first along the data flow; an edge back onto the current path closes a cycle.
  void visit(size_t producer) {
    state_[producer] = kOnPath;
    path_.push_back(producer);
    for (const Edge& edge : edges_[producer]) {
      if (state_[edge.consumer] == kOnPath) report(edge);
      else if (state_[edge.consumer] == kUnvisited) visit(edge.consumer);
    }
    path_.pop_back();
    state_[producer] = kDone;
  }

  void report(const Edge& closing) {
    std::string text;
    auto start = std::find(path_.begin(), path_.end(), closing.consumer);
    for (auto it = start; it != path_.end(); ++it) text += components_[*it].id + " -> ";
    text += components_[closing.consumer].id;
    issues_.push_back({closing.mark, "inputs form a cycle: " + text});
  }

  const std::vector<ComponentSpec>& components_;
  const std::vector<std::vector<Edge>>& edges_;
  std::vector<ConfigIssue>& issues_;
  std::vector<State> state_;
  std::vector<size_t> path_;
};

}  // namespace

void check_graph(const std::vector<ComponentSpec>& components, const std::vector<SourceMark>& id_marks,
                 std::vector<ConfigIssue>& issues) {
  std::map<std::string, size_t> first_by_id;
  std::vector<std::string> ids;
  for (size_t i = 0; i < components.size(); ++i) {
    const std::string& id = components[i].id;
    if (id.empty()) continue;
    auto [it, inserted] = first_by_id.emplace(id, i);
    if (inserted) ids.push_back(id);
    else
      issues.push_back({id_marks[i], "duplicate component id '" + id + "' (first defined at line " +
                                         std::to_string(id_marks[it->second].line) + ")"});
  }

  std::vector<std::vector<Edge>> edges(components.size());
  for (size_t consumer = 0; consumer < components.size(); ++consumer) {
    const ComponentSpec& component = components[consumer];
    std::set<std::string> listed;
    for (size_t k = 0; k < component.inputs.size(); ++k) {
      const std::string& input = component.inputs[k];
      const SourceMark& mark = component.input_marks[k];
      auto producer = first_by_id.find(input);
      if (input == component.id) {
        issues.push_back({mark, label_of(component) + " cannot take input from itself"});
      } else if (producer == first_by_id.end()) {
        std::vector<std::string> others = ids;
        std::erase(others, component.id);
        issues.push_back({mark, label_of(component) + " takes input from unknown component '" + input + "'" +
                                    did_you_mean(input, others)});
      } else if (!listed.insert(input).second) {
        issues.push_back({mark, label_of(component) + " lists input '" + input + "' more than once"});
      } else {
        edges[producer->second].push_back({consumer, mark});
      }
    }
  }
  CycleFinder(components, edges, issues).run();
}

}  // namespace nebula::host
