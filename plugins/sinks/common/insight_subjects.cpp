#include "insight_subjects.hpp"

#include <string_view>
#include <unordered_set>

namespace nebula::sinks {
namespace {

class SubjectWalk {
 public:
  explicit SubjectWalk(const SubjectLimits& limits) : limits_(limits) {}

  void visit(const nlohmann::json& value, size_t depth) {
    if (depth > limits_.max_depth) return;
    if (value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it) visit_member(it.key(), it.value(), depth);
    } else if (value.is_array()) {
      for (const auto& item : value) visit(item, depth + 1);
    }
  }

  InsightSubjects take() { return std::move(out_); }

 private:
  void visit_member(const std::string& key, const nlohmann::json& value, size_t depth) {
    if (key == "node_id" && value.is_string()) {
      add(value.get_ref<const std::string&>(), nodes_seen_, out_.nodes, limits_.max_nodes);
    } else if (key == "chain_id" && value.is_string()) {
      add(value.get_ref<const std::string&>(), chains_seen_, out_.chains, limits_.max_chains);
    } else if (key == "nodes" && value.is_array()) {
      for (const auto& item : value)
        if (item.is_string()) add(item.get_ref<const std::string&>(), nodes_seen_, out_.nodes, limits_.max_nodes);
    } else if (key == "chains" && value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it)
        add(it.key(), chains_seen_, out_.chains, limits_.max_chains);
    }
    visit(value, depth + 1);
  }

  // Views point into the document, which outlives the walk.
  void add(const std::string& id, std::unordered_set<std::string_view>& seen, std::vector<std::string>& list,
           size_t cap) {
    if (id.empty() || !seen.insert(id).second) return;
    if (id.size() > limits_.max_id_bytes || list.size() >= cap) ++out_.left_out;  // each distinct id once
    else list.push_back(id);
  }

  const SubjectLimits& limits_;
  InsightSubjects out_;
  std::unordered_set<std::string_view> nodes_seen_;
  std::unordered_set<std::string_view> chains_seen_;
};

}  // namespace

InsightSubjects insight_subjects(const nlohmann::json& doc, const SubjectLimits& limits) {
  SubjectWalk walk(limits);
  walk.visit(doc, 0);
  return walk.take();
}

}  // namespace nebula::sinks
