// The Prometheus text exposition format (version 0.0.4), read-only: enough to
// scrape a node's /metrics and pick values by name and labels.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::node::collect {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Comment/HELP/TYPE lines are skipped; a malformed line is skipped and, when
// `problems` is given, described there ("line N: why"). Timestamps are ignored.
std::vector<PromSample> parse_prometheus_text(std::string_view text, std::vector<std::string>* problems = nullptr);

// A selector as written in a mapping: `name` or `name{a="x",b!="y",...}`.
struct PromSelector {
  std::string name;
  std::map<std::string, std::string> labels;    // label must equal
  std::map<std::string, std::string> excluded;  // label must not equal (absent counts as "")
  bool matches(const PromSample& s) const;
};
// Throws std::invalid_argument on a malformed selector.
PromSelector parse_selector(std::string_view text);

}  // namespace nebula::node::collect
