#include "runtime/insight_store.hpp"

#include <algorithm>

namespace nebula::host {

void InsightStore::add(const InsightPtr& insight) {
  std::lock_guard lock(mu_);
  auto& ring = by_topic_[insight->topic];
  ring.push_back(insight);
  if (ring.size() > per_topic_) ring.pop_front();
  ++totals_[insight->topic];
}

std::vector<InsightPtr> InsightStore::latest(const std::string& topic, size_t limit) const {
  std::vector<InsightPtr> out;
  std::lock_guard lock(mu_);
  for (const auto& [name, ring] : by_topic_)
    if (topic.empty() || name == topic) out.insert(out.end(), ring.begin(), ring.end());
  std::sort(out.begin(), out.end(), [](const InsightPtr& a, const InsightPtr& b) { return a->sequence > b->sequence; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::map<std::string, uint64_t> InsightStore::totals() const {
  std::lock_guard lock(mu_);
  return totals_;
}

}  // namespace nebula::host
