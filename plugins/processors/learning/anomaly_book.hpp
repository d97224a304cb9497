// Which anomalies are active per node, from the latest `patterns` insight of
// each upstream source. Parsed defensively: an entry that is not an object
// with a string "kind" and a "node_id" string or "nodes" array is skipped.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::learning {

class AnomalyBook {
 public:
  explicit AnomalyBook(size_t max_nodes = 10000, size_t max_sources = 16)
      : max_nodes_(max_nodes), max_sources_(max_sources) {}

  // Replaces what `source` said before. False when the document has no
  // usable "active" array or the source would exceed max_sources.
  bool update(std::string_view patterns_json, const std::string& source);

  // Sorted, de-duplicated kinds active for the node across sources.
  std::vector<std::string> kinds(const std::string& node_id) const;

 private:
  using NodeKinds = std::map<std::string, std::set<std::string>>;
  size_t max_nodes_;
  size_t max_sources_;
  std::map<std::string, NodeKinds> by_source_;
};

}  // namespace nebula::learning
