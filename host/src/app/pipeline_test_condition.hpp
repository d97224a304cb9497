// One expectation of a pipeline unit test: how many insights on a topic
// (from a source) have a value at a path that compares as asked. Judged on
// every insight the test produced; the verdict says what was seen, so a
// failure can be understood without rerunning.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_config.hpp"
#include "runtime/owned_insight.hpp"

namespace nebula::host {

enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Exists, Contains };

// "==", "!=", "<", "<=", ">", ">=", "exists", "contains"
std::optional<CompareOp> parse_compare_op(const std::string& text);
const char* to_string(CompareOp op);
// The words parse_compare_op accepts, for error messages.
const char* compare_op_choices();

// "started[*].kind", "chains.testnet.tip_height", "active[0].nodes", "" (the
// whole document). `[*]` takes every element of an array (or every value of
// an object); a step that does not resolve drops that branch.
struct JsonPath {
  struct Step {
    std::string key;   // object member, when not an index step
    bool index = false;
    bool every = false;  // [*]
    size_t position = 0;  // [n]
  };
  std::string text;
  std::vector<Step> steps;

  // nullopt and `why` on a syntax error.
  static std::optional<JsonPath> parse(const std::string& text, std::string& why);
  std::vector<const nlohmann::json*> select(const nlohmann::json& doc) const;
};

// The count a condition needs: `op` applied to the number of matching insights.
struct CountRule {
  CompareOp op = CompareOp::GreaterEqual;
  size_t n = 1;
  bool holds(size_t count) const;
  std::string describe() const;  // ">= 1"
};

struct Condition {
  std::string topic;
  std::string source;  // "" = any component
  JsonPath path;
  CompareOp op = CompareOp::Exists;
  nlohmann::json value;  // unused for exists
  CountRule count;
  std::string name;      // optional label from the file
  SourceMark mark;

  // "patterns: started[*].kind == \"stall\", count >= 1"
  std::string describe() const;
  bool matches(const nlohmann::json& doc) const;
};

struct ConditionVerdict {
  bool passed = false;
  std::string seen;  // what the insights showed, for the report
};

// `insights` with their documents parsed once (a non-JSON document is null).
struct ParsedInsight {
  InsightPtr insight;
  nlohmann::json doc;
};

ConditionVerdict judge(const Condition& condition, const std::vector<ParsedInsight>& insights);

}  // namespace nebula::host
