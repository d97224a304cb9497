#include "block_data_analyzer.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "nearest_rank.hpp"

namespace nebula::block_data {
namespace {

constexpr std::string_view kUnknownChain = "unknown";
constexpr char kKeySeparator = '\x1f';

}  // namespace

BlockDataAnalyzer::BlockDataAnalyzer(Config config)
    : config_(std::move(config)), nodes_(config_.max_nodes), chains_(config_.max_chains) {}

bool BlockDataAnalyzer::observe(const BlockSample& s) {
  if (s.node_id.empty() || !std::isfinite(s.timestamp)) {
    ++batch_skipped_;
    return false;
  }
  const std::string_view chain_id = s.chain_id.empty() ? kUnknownChain : s.chain_id;
  ++batch_records_;
  generated_at_ = std::max(generated_at_.value_or(s.timestamp), s.timestamp);

  ChainState& chain = chains_.touch(chain_id);
  chain.last_seen = std::max(chain.last_seen, s.timestamp);
  auto batch_it = batch_.find(chain_id);
  if (batch_it == batch_.end()) batch_it = batch_.emplace(std::string(chain_id), BatchChain{}).first;
  BatchChain& batch = batch_it->second;
  ++batch.records;
  if (s.blocks_processed) {
    ++batch.blocks_samples;
    batch.blocks_sum += *s.blocks_processed;
    chain.blocks_processed_total += *s.blocks_processed;
  }
  if (!s.height) return true;

  key_.assign(chain_id).push_back(kKeySeparator);
  key_.append(s.node_id);
  const bool known = nodes_.find(key_) != nullptr;
  NodeState& node = nodes_.touch(key_);
  if (!known) {
    node.node_id = s.node_id;
    node.chain_id = chain_id;
    node.height = *s.height;
    node.height_since = node.last_seen = s.timestamp;
  } else if (s.timestamp >= node.last_seen) {  // an older sample says nothing about now
    if (*s.height != node.height) {
      node.height = *s.height;
      node.height_since = s.timestamp;
    }
    node.last_seen = s.timestamp;
  }
  advance_tip(chain, *s.height, s.timestamp);
  return true;
}

void BlockDataAnalyzer::advance_tip(ChainState& chain, int64_t height, double time) {
  if (chain.has_tip && height <= chain.tip) return;
  chain.has_tip = true;
  chain.tip = height;
  chain.tip_time = time;
  // Interval points must move forward in time too; an advance reported by an
  // out-of-order record still raises the tip but is not an interval point.
  if (chain.advances.empty() || time > chain.advances.back().time) {
    chain.advances.push_back({time, height});
    while (chain.advances.size() > config_.interval_samples + 1) chain.advances.pop_front();
  }
}

std::optional<nlohmann::json> BlockDataAnalyzer::take_insight() {
  if (batch_records_ == 0 && batch_skipped_ == 0) return std::nullopt;

  // Forget nodes silent for node_expiry_s (relative to their chain's newest
  // record) and nodes whose chain was evicted; bucket the rest by chain.
  expired_nodes_ += nodes_.erase_if([&](const std::string&, const NodeState& n) {
    const ChainState* chain = chains_.find(n.chain_id);
    return !chain || n.last_seen < chain->last_seen - config_.node_expiry_s;
  });
  std::unordered_map<std::string_view, std::vector<const NodeState*>> by_chain;
  for (const auto& [key, node] : nodes_)
    if (batch_.count(node.chain_id)) by_chain[node.chain_id].push_back(&node);

  nlohmann::json chains = nlohmann::json::object();
  for (const auto& [chain_id, batch] : batch_) {
    const ChainState* chain = chains_.find(chain_id);
    if (!chain) continue;  // evicted within this batch
    chains[chain_id] = chain_summary(chain_id, *chain, by_chain[chain_id], batch);
  }

  nlohmann::json doc = {
      {"kind", "block_data"},
      {"generated_at", generated_at_ ? nlohmann::json(*generated_at_) : nlohmann::json(nullptr)},
      {"records", batch_records_},
      {"skipped", batch_skipped_},
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

nlohmann::json BlockDataAnalyzer::chain_summary(const std::string& chain_id, const ChainState& chain,
                                                const std::vector<const NodeState*>& nodes,
                                                const BatchChain& batch) const {
  const double expected = config_.expected_interval(chain_id);

  struct Lag {
    const NodeState* node;
    int64_t lag;
  };
  std::vector<Lag> lags;
  std::vector<int64_t> sorted;
  nlohmann::json stalled = nlohmann::json::array();
  size_t stalled_count = 0;
  struct Stall {
    const NodeState* node;
    double duration;
  };
  std::vector<Stall> stalls;
  for (const NodeState* n : nodes) {
    const int64_t lag = std::max<int64_t>(0, chain.tip - n->height);
    lags.push_back({n, lag});
    sorted.push_back(lag);
    // Stalled: behind a tip that moved after the node's height last changed,
    // and k expected intervals of its own reports without progress.
    const double stuck_for = n->last_seen - n->height_since;
    if (lag > 0 && chain.tip_time > n->height_since && stuck_for >= config_.stall_intervals * expected)
      stalls.push_back({n, stuck_for});
  }
  std::sort(sorted.begin(), sorted.end());
  std::sort(lags.begin(), lags.end(), [](const Lag& a, const Lag& b) {
    return a.lag != b.lag ? a.lag > b.lag : a.node->node_id < b.node->node_id;
  });
  std::sort(stalls.begin(), stalls.end(), [](const Stall& a, const Stall& b) {
    return a.duration != b.duration ? a.duration > b.duration : a.node->node_id < b.node->node_id;
  });

  nlohmann::json worst = nlohmann::json::array();
  size_t lagging = 0;
  double lag_sum = 0;
  for (const Lag& l : lags) {
    lag_sum += static_cast<double>(l.lag);
    if (l.lag == 0) continue;
    ++lagging;
    if (worst.size() < config_.worst_lagging)
      worst.push_back({{"node_id", l.node->node_id}, {"height", l.node->height}, {"lag", l.lag}});
  }
  for (const Stall& s : stalls) {
    ++stalled_count;
    if (stalled.size() >= config_.max_listed) continue;
    stalled.push_back({{"node_id", s.node->node_id},
                       {"height", s.node->height},
                       {"lag", chain.tip - s.node->height},
                       {"stalled_for_s", s.duration},
                       {"intervals", s.duration / expected}});
  }

  nlohmann::json lag = nullptr;
  if (!sorted.empty())
    lag = {{"max", sorted.back()},
           {"mean", lag_sum / static_cast<double>(sorted.size())},
           {"p50", nearest_rank(sorted, 0.50)},
           {"p90", nearest_rank(sorted, 0.90)},
           {"p99", nearest_rank(sorted, 0.99)}};

  nlohmann::json interval = {{"expected", expected}, {"observed", nullptr}, {"ratio", nullptr}, {"blocks", 0}};
  if (chain.advances.size() >= 2) {
    const auto& first = chain.advances.front();
    const auto& last = chain.advances.back();
    const double observed = (last.time - first.time) / static_cast<double>(last.height - first.height);
    interval["observed"] = observed;
    interval["ratio"] = observed / expected;
    interval["blocks"] = last.height - first.height;
  }

  nlohmann::json blocks = {{"samples", batch.blocks_samples},
                           {"sum", batch.blocks_sum},
                           {"mean", nullptr},
                           {"total", chain.blocks_processed_total}};
  if (batch.blocks_samples)
    blocks["mean"] = static_cast<double>(batch.blocks_sum) / static_cast<double>(batch.blocks_samples);

  return {{"records", batch.records},
          {"tip_height", chain.has_tip ? nlohmann::json(chain.tip) : nlohmann::json(nullptr)},
          {"tip_seen_at", chain.has_tip ? nlohmann::json(chain.tip_time) : nlohmann::json(nullptr)},
          {"nodes", nodes.size()},
          {"lagging_nodes", lagging},
          {"lag", std::move(lag)},
          {"worst_lagging", std::move(worst)},
          {"block_interval_s", std::move(interval)},
          {"stalled_count", stalled_count},
          {"stalled", std::move(stalled)},
          {"blocks_processed", std::move(blocks)}};
}

}  // namespace nebula::block_data
