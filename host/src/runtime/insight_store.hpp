// The most recent insights per topic, for /api/v1/pool/insights. Bounded:
// a ring of `per_topic` entries per topic.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/owned_insight.hpp"

namespace nebula::host {

class InsightStore {
 public:
  explicit InsightStore(size_t per_topic = 200) : per_topic_(per_topic) {}
  void add(const InsightPtr& insight);
  // Newest first; topic "" = all topics merged.
  std::vector<InsightPtr> latest(const std::string& topic, size_t limit) const;
  std::map<std::string, uint64_t> totals() const;

 private:
  size_t per_topic_;
  mutable std::mutex mu_;
  std::map<std::string, std::deque<InsightPtr>> by_topic_;
  std::map<std::string, uint64_t> totals_;
};

}  // namespace nebula::host
