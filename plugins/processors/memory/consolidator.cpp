#include "consolidator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include <nebula/json_numbers.hpp>
#include <nebula_insights/active_anomalies.hpp>
#include <nebula_processors/counter_increase.hpp>

namespace nebula::memory {
namespace {
constexpr const char* kFormat = "nebula.memory.state";
constexpr int kVersion = 1;

// The metric that deviates most, if its |z| reaches `threshold`; kMetricCount otherwise.
size_t most_deviating(const Deviation& d, double threshold) {
  size_t best = kMetricCount;
  for (size_t i = 0; i < kMetricCount; ++i)
    if (std::isfinite(d.z[i]) && (best == kMetricCount || std::fabs(d.z[i]) > std::fabs(d.z[best]))) best = i;
  return best < kMetricCount && std::fabs(d.z[best]) >= threshold ? best : kMetricCount;
}
}  // namespace

Consolidator::Consolidator(Config cfg) : cfg_(std::move(cfg)), nodes_(cfg_.max_nodes), chains_(cfg_.max_chains) {}

void Consolidator::ingest(const Sample& s) {
  const std::string key = chain_key(s);
  bool created = false;
  ChainMemory& chain = chains_.touch(key, &created);
  if (created) chain.hours = HourlyHistory(cfg_.chain_hours);
  if (!nodes_.find(s.node_id))
    if (const auto* victim = nodes_.next_victim()) forget(victim->first, victim->second);
  NodeMemory& node = nodes_.touch(s.node_id, &created);
  if (created || node.chain != key) {  // new node, or one that moved chain: its old baseline no longer applies
    if (!created) forget(s.node_id, node);
    node = NodeMemory{};
    node.chain = key;
    node.hours = HourlyHistory(cfg_.node_hours);
    ++chain_tallies_[key].nodes;
  }
  if (std::isfinite(node.last_ts) && s.timestamp <= node.last_ts) {
    ++out_of_order_;
    return;
  }
  if (!s.node_type.empty()) node.node_type = s.node_type;

  MetricValues v = no_values();
  v[kLatency] = s.latency_ms;
  v[kPeers] = s.peers;
  v[kCpu] = s.cpu;
  v[kMemory] = s.memory;
  double transactions = kMissing;
  if (std::isfinite(s.tx_count)) {
    if (std::isfinite(node.tx_count) && s.timestamp > node.tx_ts) {
      transactions = processors::counter_increase(node.tx_count, s.tx_count);
      v[kTxRate] = transactions / (s.timestamp - node.tx_ts);
    }
    node.tx_count = s.tx_count;
    node.tx_ts = s.timestamp;
  }
  double blocks = s.blocks_processed;
  if (std::isfinite(s.height)) {
    const processors::HeightStep step = node.height.observe(s.timestamp, s.height);
    v[kBlockInterval] = step.seconds_per_block;
    if (!std::isfinite(blocks)) blocks = step.blocks;  // basic nodes report no block count
  }

  node.last_deviation = node.baseline.observe(v, s.timestamp, cfg_.alpha, cfg_.min_samples);
  if (most_deviating(node.last_deviation, cfg_.deviation_threshold) < kMetricCount)
    deviating_.insert(s.node_id);
  else if (const auto it = deviating_.find(s.node_id); it != deviating_.end())
    deviating_.erase(it);
  node.last_values = v;
  chain.baseline.observe(v, s.timestamp, cfg_.alpha, cfg_.min_samples);
  if (!node.hours.add(s.timestamp, v, blocks, transactions)) ++late_dropped_;
  if (!chain.hours.add(s.timestamp, v, blocks, transactions)) ++late_dropped_;
  node.last_ts = s.timestamp;
  generated_at_ = std::isfinite(generated_at_) ? std::max(generated_at_, s.timestamp) : s.timestamp;
}

void Consolidator::forget(const std::string& id, const NodeMemory& node) {
  if (const auto it = chain_tallies_.find(node.chain); it != chain_tallies_.end()) {
    it->second.anomaly_onsets -= node.anomaly_onsets;
    if (--it->second.nodes == 0) chain_tallies_.erase(it);
  }
  anomalous_.erase(id);
  deviating_.erase(id);
}

void Consolidator::rebuild_tallies() {
  chain_tallies_.clear();
  anomalous_.clear();
  deviating_.clear();
  for (const auto& [id, n] : nodes_) {
    ChainTally& t = chain_tallies_[n.chain];
    ++t.nodes;
    t.anomaly_onsets += n.anomaly_onsets;
    if (!n.anomaly_kinds.empty()) anomalous_.insert(id);
    if (most_deviating(n.last_deviation, cfg_.deviation_threshold) < kMetricCount) deviating_.insert(id);
  }
}

bool Consolidator::on_patterns(std::string_view patterns_json) {
  std::map<std::string, std::set<std::string>> active;
  const auto read =
      insights::for_each_active_anomaly(patterns_json, [&](std::string_view kind, std::string_view id) {
        if (nodes_.find(id)) active[std::string(id)].insert(std::string(kind));
      });
  if (read != insights::ActiveList::kRead) return false;
  // The list is the complete view: a node it no longer names has no active kind.
  for (auto it = anomalous_.begin(); it != anomalous_.end();) {
    if (active.count(*it)) {
      ++it;
      continue;
    }
    if (NodeMemory* n = nodes_.find(*it)) n->anomaly_kinds.clear();
    it = anomalous_.erase(it);
  }
  for (auto& [id, now] : active) {
    NodeMemory& n = *nodes_.find(id);
    uint64_t onsets = 0;
    for (const auto& k : now) onsets += n.anomaly_kinds.count(k) ? 0 : 1;
    n.anomaly_onsets += onsets;
    chain_tallies_[n.chain].anomaly_onsets += onsets;
    n.anomaly_kinds = std::move(now);
    anomalous_.insert(id);
  }
  return true;
}

nlohmann::json Consolidator::deviating_nodes() const {
  struct Candidate {
    double score;
    const std::string* id;
    const NodeMemory* node;
    size_t metric;
  };
  std::vector<Candidate> found;
  for (const auto& id : deviating_) {
    const NodeMemory* n = nodes_.find(id);
    if (!n || !(n->last_ts >= generated_at_ - cfg_.deviation_window_s)) continue;  // stale: its "latest" is old news
    const size_t best = most_deviating(n->last_deviation, cfg_.deviation_threshold);
    found.push_back({std::fabs(n->last_deviation.z[best]), &id, n, best});
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : *a.id < *b.id;
  });
  if (found.size() > cfg_.top_deviations) found.resize(cfg_.top_deviations);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : found) {
    const auto& d = c.node->last_deviation;
    out.push_back({{"node_id", *c.id},
                   {"chain_id", c.node->chain},
                   {"node_type", c.node->node_type},
                   {"score", c.score},
                   {"metric", kMetricNames[c.metric]},
                   {"value", number_or_null(c.node->last_values[c.metric])},
                   {"baseline_mean", number_or_null(d.reference_mean[c.metric])},
                   {"baseline_spread", number_or_null(d.reference_spread[c.metric])},
                   {"z", number_or_null(d.z[c.metric])},
                   {"last_seen", number_or_null(c.node->last_ts)},
                   {"active_anomalies", c.node->anomaly_kinds},
                   {"anomaly_onsets", c.node->anomaly_onsets}});
  }
  return out;
}

nlohmann::json Consolidator::insight() const {
  std::map<std::string, const ChainMemory*> sorted;
  for (const auto& [id, c] : chains_) sorted.emplace(id, &c);
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& [id, c] : sorted) {
    const HourSummary* latest = c->hours.latest();
    const auto tally = chain_tallies_.find(id);
    const ChainTally t = tally == chain_tallies_.end() ? ChainTally{} : tally->second;
    chains.push_back({{"chain_id", id},
                      {"nodes", t.nodes},
                      {"anomaly_onsets", t.anomaly_onsets},
                      {"baseline", c->baseline.summary()},
                      {"latest_hour", latest ? latest->summary() : nlohmann::json(nullptr)},
                      {"hours_retained", c->hours.hours().size()}});
  }
  return {{"kind", "memory"},
          {"generated_at", number_or_null(generated_at_)},
          {"chains", std::move(chains)},
          {"deviating_nodes", deviating_nodes()},
          {"nodes_tracked", nodes_.size()},
          {"nodes_evicted", nodes_.evictions()},
          {"chains_evicted", chains_.evictions()},
          {"late_samples_dropped", late_dropped_},
          {"out_of_order_samples", out_of_order_}};
}

nlohmann::json Consolidator::to_json() const {
  nlohmann::json chains = nlohmann::json::array(), nodes = nlohmann::json::array();
  // Least recently seen first, so a reload rebuilds the same eviction order.
  for (const auto& [id, c] : chains_.oldest_first())
    chains.push_back({{"chain_id", id}, {"baseline", c.baseline.to_json()}, {"hours", c.hours.to_json()}});
  for (const auto& [id, n] : nodes_.oldest_first()) {
    nodes.push_back({{"node_id", id},
                     {"chain", n.chain},
                     {"node_type", n.node_type},
                     {"baseline", n.baseline.to_json()},
                     {"hours", n.hours.to_json()},
                     {"last_ts", number_or_null(n.last_ts)},
                     {"tx_count", number_or_null(n.tx_count)},
                     {"tx_ts", number_or_null(n.tx_ts)},
                     {"height", number_or_null(n.height.height())},
                     {"height_ts", number_or_null(n.height.changed_at())},
                     {"anomaly_kinds", n.anomaly_kinds},
                     {"anomaly_onsets", n.anomaly_onsets}});
  }
  return {{"format", kFormat},     {"version", kVersion}, {"generated_at", number_or_null(generated_at_)},
          {"chains", std::move(chains)}, {"nodes", std::move(nodes)}};
}

void Consolidator::from_json(const nlohmann::json& doc) {
  if (!doc.is_object() || doc.value("format", "") != kFormat)
    throw std::runtime_error(std::string("memory state: not a ") + kFormat + " document");
  if (doc.value("version", 0) != kVersion)
    throw std::runtime_error("memory state: unsupported version " + doc.value("version", nlohmann::json()).dump());
  LruMap<ChainMemory> chains(cfg_.max_chains);
  for (const auto& c : doc.at("chains")) {
    ChainMemory& m = chains.touch(c.at("chain_id").get<std::string>());
    m.baseline = Baseline::from_json(c.at("baseline"));
    m.hours = HourlyHistory(cfg_.chain_hours);
    m.hours.from_json(c.at("hours"));
  }
  LruMap<NodeMemory> nodes(cfg_.max_nodes);
  for (const auto& n : doc.at("nodes")) {
    NodeMemory& m = nodes.touch(n.at("node_id").get<std::string>());
    m.chain = n.at("chain").get<std::string>();
    m.node_type = n.at("node_type").get<std::string>();
    m.baseline = Baseline::from_json(n.at("baseline"));
    m.hours = HourlyHistory(cfg_.node_hours);
    m.hours.from_json(n.at("hours"));
    m.last_ts = number_at(n, "last_ts");
    m.tx_count = number_at(n, "tx_count");
    m.tx_ts = number_at(n, "tx_ts");
    m.height.restore(number_at(n, "height"), number_at(n, "height_ts"));
    m.anomaly_kinds = n.at("anomaly_kinds").get<std::set<std::string>>();
    m.anomaly_onsets = n.at("anomaly_onsets").get<uint64_t>();
  }
  const double generated_at = number_at(doc, "generated_at");
  // Everything parsed: commit.
  chains_ = std::move(chains);
  nodes_ = std::move(nodes);
  generated_at_ = generated_at;
  rebuild_tallies();
}

}  // namespace nebula::memory
