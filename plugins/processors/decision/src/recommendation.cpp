#include "nebula_decision/recommendation.hpp"

#include <algorithm>
#include <cmath>
#include <map>

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
  if (extra.score > into.score) {
    into.reason = extra.reason;
    if (into.chain_id.empty()) into.chain_id = extra.chain_id;
  }
  into.score = std::min(1.0, std::max(into.score, extra.score) + (corroborated ? kCorroboration : 0.0));
  into.since = std::min(into.since, extra.since);
  into.evidence = std::move(evidence);
}

std::vector<Recommendation> rank(std::vector<Recommendation> candidates, std::size_t max, std::size_t* dropped) {
  std::map<std::string, Recommendation> by_key;
  for (auto& c : candidates) {
    // try_emplace moves from c only when the key is new; otherwise c is merged.
    auto [it, fresh] = by_key.try_emplace(c.key(), std::move(c));
    if (!fresh) merge_into(it->second, c);
  }
  std::vector<Recommendation> out;
  out.reserve(by_key.size());
  for (auto& [k, r] : by_key) out.push_back(std::move(r));
  std::sort(out.begin(), out.end(), [](const Recommendation& a, const Recommendation& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.action != b.action) return a.action < b.action;
    return a.target < b.target;
  });
  if (dropped) *dropped = out.size() > max ? out.size() - max : 0;
  if (out.size() > max) out.resize(max);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].rank = static_cast<int>(i + 1);
  return out;
}

json to_json(const Recommendation& r) {
  return {{"rank", r.rank},
          {"action", action_name(r.action)},
          {"target", r.target},
          {"target_type", r.chain_target ? "chain" : "node"},
          {"chain_id", r.chain_id},
          {"score", std::round(r.score * 1000) / 1000},
          {"reason", r.reason},
          {"since", r.since},
          {"evidence", r.evidence}};
}

}  // namespace nebula::decision
