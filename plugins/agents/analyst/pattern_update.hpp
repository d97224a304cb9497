// The pattern recognizer's `patterns` insight as the analyst uses it: which
// pattern kinds are active on which node, read by the plugins' shared
// reader (nebula_insights/active_anomalies.hpp).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace nebula::analyst {

struct PatternUpdate {
  bool has_active = false;  // false: no "active" array, the document says nothing about patterns
  std::map<std::string, std::set<std::string>> active;  // node id -> active pattern kinds
};

// nullopt: not JSON. An entry of "active" without a string "kind" is
// skipped; its nodes are its "node_id" and the strings of "nodes". As with a
// nlohmann DOM, the last of a duplicated key wins.
std::optional<PatternUpdate> read_pattern_update(std::string_view json);

}  // namespace nebula::analyst
