#include "app/pipeline_test_condition.hpp"

#include <cctype>
#include <map>

namespace nebula::host {
namespace {

struct OpName {
  const char* text;
  CompareOp op;
};
constexpr OpName kOps[] = {{"==", CompareOp::Equal},          {"!=", CompareOp::NotEqual},
                           {"<", CompareOp::Less},            {"<=", CompareOp::LessEqual},
                           {">", CompareOp::Greater},         {">=", CompareOp::GreaterEqual},
                           {"exists", CompareOp::Exists},     {"contains", CompareOp::Contains}};

bool ordered(CompareOp op, const nlohmann::json& a, const nlohmann::json& b) {
  auto order = [&](auto x, auto y) {
    switch (op) {
      case CompareOp::Less: return x < y;
      case CompareOp::LessEqual: return x <= y;
      case CompareOp::Greater: return x > y;
      default: return x >= y;
    }
  };
  if (a.is_number() && b.is_number()) return order(a.get<double>(), b.get<double>());
  if (a.is_string() && b.is_string()) return order(a.get<std::string>(), b.get<std::string>());
  return false;  // numbers and text do not compare
}

bool contains(const nlohmann::json& haystack, const nlohmann::json& needle) {
  if (haystack.is_string() && needle.is_string())
    return haystack.get<std::string>().find(needle.get<std::string>()) != std::string::npos;
  if (haystack.is_array()) {
    for (const auto& item : haystack)
      if (item == needle) return true;
    return false;
  }
  if (haystack.is_object() && needle.is_string()) return haystack.contains(needle.get<std::string>());
  return false;
}

bool compare(CompareOp op, const nlohmann::json& seen, const nlohmann::json& wanted) {
  switch (op) {
    case CompareOp::Equal: return seen == wanted;
    case CompareOp::NotEqual: return seen != wanted;
    case CompareOp::Exists: return true;
    case CompareOp::Contains: return contains(seen, wanted);
    default: return ordered(op, seen, wanted);
  }
}

// At most this many distinct values are listed in a failure report.
constexpr size_t kShownValues = 8;

std::string short_dump(const nlohmann::json& v) {
  std::string text = v.dump();
  return text.size() > 120 ? text.substr(0, 117) + "..." : text;
}

}  // namespace

std::optional<CompareOp> parse_compare_op(const std::string& text) {
  for (const auto& o : kOps)
    if (text == o.text) return o.op;
  return std::nullopt;
}

const char* to_string(CompareOp op) {
  for (const auto& o : kOps)
    if (o.op == op) return o.text;
  return "?";
}

const char* compare_op_choices() { return "==, !=, <, <=, >, >=, exists, contains"; }

std::optional<JsonPath> JsonPath::parse(const std::string& text, std::string& why) {
  JsonPath path;
  path.text = text;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[') {
      const size_t close = text.find(']', i);
      if (close == std::string::npos) {
        why = "unclosed '[' at position " + std::to_string(i + 1);
        return std::nullopt;
      }
      const std::string inside = text.substr(i + 1, close - i - 1);
      Step step;
      step.index = true;
      if (inside == "*") {
        step.every = true;
      } else if (!inside.empty() && inside.find_first_not_of("0123456789") == std::string::npos) {
        step.position = std::stoul(inside);
      } else {
        why = "'[" + inside + "]' is neither [*] nor an index such as [0]";
        return std::nullopt;
      }
      path.steps.push_back(step);
      i = close + 1;
      if (i < text.size() && text[i] == '.') ++i;
      continue;
    }
    const size_t end = text.find_first_of(".[", i);
    const std::string key = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (key.empty()) {
      why = "empty member name at position " + std::to_string(i + 1);
      return std::nullopt;
    }
    Step step;
    step.key = key;
    if (key == "*") step.every = true;
    path.steps.push_back(step);
    i = end == std::string::npos ? text.size() : end;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i == text.size()) {
        why = "the path ends with '.'";
        return std::nullopt;
      }
    }
  }
  return path;
}

std::vector<const nlohmann::json*> JsonPath::select(const nlohmann::json& doc) const {
  std::vector<const nlohmann::json*> current{&doc};
  for (const auto& step : steps) {
    std::vector<const nlohmann::json*> next;
    for (const auto* node : current) {
      if (step.every) {
        if (node->is_array() || node->is_object())
          for (const auto& child : *node) next.push_back(&child);
      } else if (step.index) {
        if (node->is_array() && step.position < node->size()) next.push_back(&(*node)[step.position]);
      } else if (node->is_object()) {
        if (auto it = node->find(step.key); it != node->end()) next.push_back(&*it);
      }
    }
    current = std::move(next);
  }
  return current;
}

bool CountRule::holds(size_t count) const { return compare(op, nlohmann::json(count), nlohmann::json(n)); }

std::string CountRule::describe() const { return std::string(to_string(op)) + " " + std::to_string(n); }

std::string Condition::describe() const {
  std::string out = topic;
  if (!source.empty()) out += " from " + source;
  out += ": ";
  out += path.text.empty() ? "(document)" : path.text;
  out += std::string(" ") + to_string(op);
  if (op != CompareOp::Exists) out += " " + value.dump();
  out += ", count " + count.describe();
  return out;
}

bool Condition::matches(const nlohmann::json& doc) const {
  for (const auto* v : path.select(doc))
    if (compare(op, *v, value)) return true;
  return false;
}

ConditionVerdict judge(const Condition& condition, const std::vector<ParsedInsight>& insights) {
  size_t on_topic = 0, matching = 0;
  std::map<std::string, size_t> values;  // distinct values seen at the path, for the report
  std::map<std::string, size_t> topics;  // what came out instead, when nothing is on the topic
  for (const auto& p : insights) {
    if (p.insight->topic != condition.topic || (!condition.source.empty() && p.insight->source != condition.source)) {
      ++topics[p.insight->topic + " from " + p.insight->source];
      continue;
    }
    ++on_topic;
    if (condition.matches(p.doc)) ++matching;
    for (const auto* v : condition.path.select(p.doc))
      if (values.size() < 1000) ++values[short_dump(*v)];
  }
  ConditionVerdict verdict;
  verdict.passed = condition.count.holds(matching);
  const std::string what = condition.topic + (condition.source.empty() ? "" : " from " + condition.source);
  if (on_topic == 0) {
    verdict.seen = "no insight on " + what;
    if (!topics.empty()) {
      verdict.seen += "; insights seen:";
      for (const auto& [name, n] : topics) verdict.seen += " " + name + " x" + std::to_string(n) + ",";
      verdict.seen.pop_back();
    }
    return verdict;
  }
  verdict.seen = std::to_string(matching) + " of " + std::to_string(on_topic) + " " + what + " insights matched";
  const std::string at = condition.path.text.empty() ? "documents" : "values at " + condition.path.text;
  if (values.empty()) {
    verdict.seen += "; none has a value at " + condition.path.text;
    return verdict;
  }
  verdict.seen += "; " + at + ":";
  size_t shown = 0;
  for (const auto& [text, n] : values) {
    if (shown++ == kShownValues) {
      verdict.seen += " ... (" + std::to_string(values.size()) + " distinct)";
      break;
    }
    verdict.seen += " " + text + (n > 1 ? " x" + std::to_string(n) : "") + ",";
  }
  if (verdict.seen.back() == ',') verdict.seen.pop_back();
  return verdict;
}

}  // namespace nebula::host
