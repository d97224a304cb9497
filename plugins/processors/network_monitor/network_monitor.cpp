#include "network_monitor.hpp"

#include <algorithm>
#include <cmath>

#include <nebula_processors/members_by_chain.hpp>

#include "partition_finder.hpp"

namespace nebula::network_monitor {
namespace {

constexpr std::string_view kUnknownChain = "unknown";
constexpr char kKeySeparator = '\x1f';

nlohmann::json to_json(const DistributionSummary& s) {
  if (s.count == 0) return nullptr;
  return {{"count", s.count}, {"min", s.min},   {"max", s.max}, {"mean", s.mean},
          {"p50", s.p50},     {"p95", s.p95},   {"p99", s.p99}};
}

std::optional<double> finite(std::optional<double> v) {
  return v && std::isfinite(*v) ? v : std::nullopt;
}

}  // namespace

NetworkMonitor::NetworkMonitor(Config config)
    : config_(std::move(config)), nodes_(config_.max_nodes), chains_(config_.max_chains) {}

bool NetworkMonitor::observe(const NetworkSample& raw) {
  if (raw.node_id.empty() || !std::isfinite(raw.timestamp)) {
    ++batch_skipped_;
    return false;
  }
  NetworkSample s = raw;
  s.peer_count = finite(s.peer_count);
  s.latency_ms = finite(s.latency_ms);
  s.bandwidth = finite(s.bandwidth);
  s.connection_quality = finite(s.connection_quality);
  const std::string_view chain_id = s.chain_id.empty() ? kUnknownChain : s.chain_id;
  ++batch_records_;
  generated_at_ = std::max(generated_at_.value_or(s.timestamp), s.timestamp);

  const bool known_chain = chains_.find(chain_id) != nullptr;
  ChainState& chain = chains_.touch(chain_id);
  if (!known_chain) {
    chain.peers.emplace(config_.quantile_k, config_.distribution_window_s);
    chain.latency.emplace(config_.quantile_k, config_.distribution_window_s);
  }
  chain.last_seen = std::max(chain.last_seen, s.timestamp);
  auto batch_it = batch_.find(chain_id);
  if (batch_it == batch_.end()) batch_it = batch_.emplace(std::string(chain_id), BatchChain{}).first;
  ++batch_it->second.records;
  // Every sample belongs in the distribution, in order or not.
  if (s.peer_count) chain.peers->add(s.timestamp, *s.peer_count);
  if (s.latency_ms) chain.latency->add(s.timestamp, *s.latency_ms);

  key_.assign(chain_id).push_back(kKeySeparator);
  key_.append(s.node_id);
  const bool known_node = nodes_.find(key_) != nullptr;
  NodeState& node = nodes_.touch(key_);
  if (!known_node) {
    node.node_id = s.node_id;
    node.chain_id = chain_id;
  } else if (s.timestamp < node.last_seen) {  // stale: must not move baselines or "latest" values
    ++batch_it->second.out_of_order;
    return true;
  }
  node.last_seen = s.timestamp;
  if (!known_node) expiry_.observe(s.timestamp);
  if (s.peer_count) node.peers = s.peer_count;
  if (s.latency_ms) node.latency = s.latency_ms;
  if (s.bandwidth) node.bandwidth = s.bandwidth;
  if (s.connection_quality) node.quality = s.connection_quality;
  node.health.update(s.timestamp, s.peer_count, s.latency_ms, config_.health);
  return true;
}

std::optional<nlohmann::json> NetworkMonitor::take_insight() {
  if (batch_records_ == 0 && batch_skipped_ == 0) return std::nullopt;

  if (generated_at_)
    expired_nodes_ += expiry_.sweep(
        nodes_, *generated_at_, config_.node_expiry_s, chains_.evictions(),
        [&](const std::string&, const NodeState& n) {
          const ChainState* chain = chains_.find(n.chain_id);
          return !chain || n.last_seen < chain->last_seen - config_.node_expiry_s;
        },
        [](const NodeState& n) { return n.last_seen; });
  const auto by_chain = processors::members_by_chain<NodeState>(nodes_, batch_);
  std::size_t group = 0;

  nlohmann::json chains = nlohmann::json::object();
  for (const auto& [chain_id, batch] : batch_) {
    const auto& members = by_chain[group++];
    if (const ChainState* chain = chains_.find(chain_id)) chains[chain_id] = chain_summary(*chain, members, batch);
  }

  nlohmann::json doc = {
      {"kind", "network"},
      {"generated_at", generated_at_ ? nlohmann::json(*generated_at_) : nlohmann::json(nullptr)},
      {"records", batch_records_},
      {"skipped", batch_skipped_},
      {"quantile_rank_error", KllSketch::rank_error(config_.quantile_k)},
      {"chains", std::move(chains)},
      {"state",
       {{"nodes", nodes_.size()},
        {"chains", chains_.size()},
        {"evicted_nodes", nodes_.evictions()},
        {"evicted_chains", chains_.evictions()},
        {"expired_nodes", expired_nodes_}}},
  };
  batch_.clear();
  batch_records_ = batch_skipped_ = 0;
  return doc;
}

nlohmann::json NetworkMonitor::chain_summary(const ChainState& chain, const std::vector<const NodeState*>& nodes,
                                             const BatchChain& batch) const {
  double bandwidth_total = 0, quality_sum = 0;
  size_t bandwidth_nodes = 0, quality_nodes = 0, degraded = 0;
  std::vector<const NodeState*> isolated;
  std::vector<Onset> onsets;
  for (const NodeState* n : nodes) {
    if (n->bandwidth) {
      bandwidth_total += *n->bandwidth;
      ++bandwidth_nodes;
    }
    if (n->quality) {
      quality_sum += *n->quality;
      ++quality_nodes;
    }
    if (n->health.isolated) isolated.push_back(n);
    if (n->health.degraded) {
      ++degraded;
      onsets.push_back({n->health.degraded_since, n->node_id});
    }
  }
  std::sort(isolated.begin(), isolated.end(),
            [](const NodeState* a, const NodeState* b) { return a->node_id < b->node_id; });
  nlohmann::json isolated_list = nlohmann::json::array();
  for (const NodeState* n : isolated) {
    if (isolated_list.size() >= config_.max_listed) break;
    isolated_list.push_back({{"node_id", n->node_id},
                             {"peer_count", n->peers.value_or(0)},
                             {"baseline_peers", n->health.peers.mean},
                             {"since", n->health.isolated_since}});
  }

  nlohmann::json partitions = nlohmann::json::array();
  for (OnsetGroup& group : onset_groups(std::move(onsets), config_.partition_window_s, config_.partition_min_nodes)) {
    const size_t size = group.node_ids.size();
    if (size > config_.max_listed) group.node_ids.resize(config_.max_listed);
    partitions.push_back(
        {{"size", size}, {"nodes", std::move(group.node_ids)}, {"onset_first", group.first}, {"onset_last", group.last}});
  }

  auto mean_or_null = [](double sum, size_t n) { return n ? nlohmann::json(sum / static_cast<double>(n)) : nlohmann::json(nullptr); };
  return {{"records", batch.records},
          {"out_of_order", batch.out_of_order},
          {"nodes", nodes.size()},
          {"peer_count", to_json(chain.peers->summary())},
          {"latency_ms", to_json(chain.latency->summary())},
          {"bandwidth", {{"total", bandwidth_total}, {"mean", mean_or_null(bandwidth_total, bandwidth_nodes)}, {"nodes", bandwidth_nodes}}},
          {"connection_quality", {{"mean", mean_or_null(quality_sum, quality_nodes)}, {"nodes", quality_nodes}}},
          {"isolated_count", isolated.size()},
          {"isolated", std::move(isolated_list)},
          {"degraded_count", degraded},
          {"partitions", std::move(partitions)}};
}

}  // namespace nebula::network_monitor
