#include "nebula_decision/recommendation.hpp"

#include <algorithm>
#include <cmath>

namespace nebula::decision {

namespace {

using nlohmann::json;

// A second, independent source agreeing is worth this much extra score.
constexpr double kCorroboration = 0.1;

// Appends the items of b[key] that a[key] lacks (by "id" when items have one).
void unite(json& a, const json& b, const char* key) {
  if (!b.contains(key) || !b[key].is_array()) return;
  if (!a.contains(key) || !a[key].is_array()) a[key] = json::array();
  for (const auto& item : b[key]) {
    bool seen = false;
    for (const auto& have : a[key])
      seen = seen || (item.is_object() && have.is_object() && item.contains("id") ? have.value("id", json()) == item["id"]
                                                                                   : have == item);
    if (!seen) a[key].push_back(item);
  }
}

bool brings_new_source(const json& a, const json& b) {
  if (!b.contains("sources")) return false;
  for (const auto& s : b["sources"]) {
    bool have = false;
    if (a.contains("sources"))
      for (const auto& t : a["sources"]) have = have || t == s;
    if (!have) return true;
  }
  return false;
}

}  // namespace

std::string Recommendation::key() const { return std::string(action_name(action)) + "|" + target; }

void merge_into(Recommendation& into, const Recommendation& extra) {
  const bool corroborated = brings_new_source(into.evidence, extra.evidence);
  json evidence = extra.score > into.score ? extra.evidence : into.evidence;
  const json& other = extra.score > into.score ? into.evidence : extra.evidence;
  unite(evidence, other, "incidents");
  unite(evidence, other, "sources");
  for (auto it = other.begin(); it != other.end(); ++it)
    if (!evidence.contains(it.key())) evidence[it.key()] = *it;
  // "metrics" as any other key: the stronger one's, else the other's.
  const bool extra_leads = extra.score > into.score;
  if ((extra_leads && extra.metrics) || (!extra_leads && !into.metrics)) into.metrics = extra.metrics;
  if (extra_leads) {
    into.reason = extra.reason;
    if (into.chain_id.empty()) into.chain_id = extra.chain_id;
  }
  into.score = std::min(1.0, std::max(into.score, extra.score) + (corroborated ? kCorroboration : 0.0));
  into.since = std::min(into.since, extra.since);
  into.evidence = std::move(evidence);
}

// Sorts indices, not recommendations, and builds no key strings: ranking
// was a fifth of a decision over ~100 open incidents (perf, #15).
std::vector<Recommendation> rank(std::vector<Recommendation> candidates, std::size_t max, std::size_t* dropped) {
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Grouped by key (action, target), each group in candidate order: its
  // first candidate absorbs the later ones, in their order.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Recommendation &x = candidates[a], &y = candidates[b];
    if (x.action != y.action) return x.action < y.action;
    if (const int c = x.target.compare(y.target); c != 0) return c < 0;
    return a < b;
  });
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < order.size(); ++i) {
    Recommendation& r = candidates[order[i]];
    if (!kept.empty()) {
      Recommendation& lead = candidates[kept.back()];
      if (lead.action == r.action && lead.target == r.target) {
        merge_into(lead, r);
        continue;
      }
    }
    kept.push_back(order[i]);
  }
  // One recommendation per key, so score, action and target order them totally.
  const std::size_t n = std::min(max, kept.size());
  std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(n), kept.end(),
                    [&](std::size_t a, std::size_t b) {
                      const Recommendation &x = candidates[a], &y = candidates[b];
                      if (x.score != y.score) return x.score > y.score;
                      if (x.action != y.action) return x.action < y.action;
                      return x.target < y.target;
                    });
  if (dropped) *dropped = kept.size() - n;
  std::vector<Recommendation> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(std::move(candidates[kept[i]]));
    out.back().rank = static_cast<int>(i + 1);
  }
  return out;
}

json to_json(const Recommendation& r) { return to_json(r, json(r.evidence)); }

json to_json(const Recommendation& r, json&& evidence) {
  if (r.metrics) evidence["metrics"] = *r.metrics;
  json out = json::object();  // key by key: no initializer-list temporaries (incident_rules.cpp)
  out["rank"] = r.rank;
  out["action"] = action_name(r.action);
  out["target"] = r.target;
  out["target_type"] = r.chain_target ? "chain" : "node";
  out["chain_id"] = r.chain_id;
  out["score"] = std::round(r.score * 1000) / 1000;
  out["reason"] = r.reason;
  out["since"] = r.since;
  out["evidence"] = std::move(evidence);
  return out;
}

}  // namespace nebula::decision
