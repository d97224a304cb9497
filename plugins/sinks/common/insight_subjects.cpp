#include "insight_subjects.hpp"

#include <string_view>
#include <unordered_set>

#include <nebula_insights/json_tape.hpp>

namespace nebula::sinks {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

class SubjectWalk {
 public:
  explicit SubjectWalk(const SubjectLimits& limits) : limits_(limits) {}

  void visit(const element& value, size_t depth) {
    if (depth > limits_.max_depth) return;
    if (value.type() == element_type::OBJECT) {
      insights::for_each_member_as_dom(insights::object_of(value),
                                       [&](std::string_view key, const element& v) { visit_member(key, v, depth); });
    } else if (value.type() == element_type::ARRAY) {
      for (const element item : insights::array_of(value)) visit(item, depth + 1);
    }
  }

  InsightSubjects take() { return std::move(out_); }

 private:
  void visit_member(std::string_view key, const element& value, size_t depth) {
    if (key == "node_id" && insights::is_string(value)) {
      add(insights::string_view_of(value), nodes_seen_, out_.nodes, limits_.max_nodes);
    } else if (key == "chain_id" && insights::is_string(value)) {
      add(insights::string_view_of(value), chains_seen_, out_.chains, limits_.max_chains);
    } else if (key == "nodes" && value.type() == element_type::ARRAY) {
      for (const element item : insights::array_of(value))
        if (insights::is_string(item)) add(insights::string_view_of(item), nodes_seen_, out_.nodes, limits_.max_nodes);
    } else if (key == "chains" && value.type() == element_type::OBJECT) {
      insights::for_each_member_as_dom(insights::object_of(value), [&](std::string_view chain, const element&) {
        add(chain, chains_seen_, out_.chains, limits_.max_chains);
      });
    }
    visit(value, depth + 1);
  }

  // Views point into the tape, which outlives the walk.
  void add(std::string_view id, std::unordered_set<std::string_view>& seen, std::vector<std::string>& list,
           size_t cap) {
    if (id.empty() || !seen.insert(id).second) return;
    if (id.size() > limits_.max_id_bytes || list.size() >= cap) ++out_.left_out;  // each distinct id once
    else list.emplace_back(id);
  }

  const SubjectLimits& limits_;
  InsightSubjects out_;
  std::unordered_set<std::string_view> nodes_seen_;
  std::unordered_set<std::string_view> chains_seen_;
};

}  // namespace

std::optional<InsightSubjects> insight_subjects(std::string_view json, const SubjectLimits& limits) {
  const auto root = insights::parse_json_tape(json);
  if (!root) return std::nullopt;
  SubjectWalk walk(limits);
  walk.visit(*root, 0);
  return walk.take();
}

}  // namespace nebula::sinks
