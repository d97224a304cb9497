#include "transaction_analyzer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <nebula_processors/members_by_chain.hpp>

namespace nebula::transaction_analyzer {
namespace {

constexpr std::string_view kUnknownChain = "unknown";
constexpr char kKeySeparator = '\x1f';

}  // namespace

TransactionAnalyzer::TransactionAnalyzer(Config config)
    : config_(std::move(config)),
      rule_{config_.ewma_alpha, config_.warmup_samples, config_.burst_factor, config_.burst_z},
      fee_rule_{config_.fee_alpha, config_.fee_warmup_samples, config_.fee_rise_factor, config_.fee_floor_gwei},
      nodes_(config_.max_nodes),
      chains_(config_.max_chains) {}

bool TransactionAnalyzer::observe(const TxSample& s) {
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
  if (s.mempool_size) {
    ++batch.mempool_reports;
    batch.mempool_sum += *s.mempool_size;
  }
  if (s.average_fee) {
    ++batch.fee_reports;
    batch.fee_sum += *s.average_fee;
  }
  if (!s.transaction_count) return true;

  key_.assign(chain_id).push_back(kKeySeparator);
  key_.append(s.node_id);
  NodeState& node = nodes_.touch(key_);
  if (node.node_id.empty()) {
    node.node_id = s.node_id;
    node.chain_id = chain_id;
  }
  if (s.blocks_processed == 0 && node.counter.started() && *s.transaction_count == node.counter.last_count() &&
      s.timestamp > node.counter.last_time() && s.timestamp - node.counter.last_time() <= config_.between_blocks_max_s) {
    ++batch.between_blocks;
    return true;
  }
  const bool first = !node.counter.started();
  const RateUpdate u = node.counter.add(s.timestamp, *s.transaction_count, rule_);
  if (first) expiry_.observe(node.counter.last_time());
  if (u.kind == RateUpdate::Kind::OutOfOrder) {
    ++batch.out_of_order;
    ++total_out_of_order_;
    return true;
  }
  if (u.kind != RateUpdate::Kind::Rate) {
    if (s.economics.any()) {
      batch.economics[node.node_id] = fee_report(s.economics, node.fees, fee_rule_);
      node.fees.baseline.learn(s.economics.tip_p50_gwei, fee_rule_);
    }
    return true;
  }
  ++batch.rate_samples;
  batch.transactions += u.delta;
  if (u.reset) {
    ++batch.resets;
    ++total_resets_;
  }
  const double tip = s.economics.tip_p50_gwei;
  if (u.burst) {
    // Judged against the tips before the burst: a burst never teaches the baseline.
    const Burst b{u.rate, u.baseline, u.z, node.fees.baseline.classify(tip, fee_rule_), tip,
                  node.fees.baseline.ready(fee_rule_) ? node.fees.baseline.usual() : processors::kMissing};
    auto [it, fresh] = batch.bursts.try_emplace(node.node_id, b);
    if (!fresh && u.rate > it->second.tps) it->second = b;
  }
  if (s.economics.any()) batch.economics[node.node_id] = fee_report(s.economics, node.fees, fee_rule_);
  if (!u.burst) node.fees.baseline.learn(tip, fee_rule_);
  return true;
}

bool TransactionAnalyzer::active(const NodeState& node) const {
  const ChainState* chain = chains_.find(node.chain_id);
  return chain && node.counter.last_time() >= chain->last_seen - config_.node_expiry_s;
}

std::vector<NodeShare> TransactionAnalyzer::shares_of(const std::vector<const NodeState*>& nodes) const {
  std::vector<NodeShare> out;
  double total = 0;
  for (const NodeState* n : nodes) {
    if (!n->counter.has_rate()) continue;
    out.push_back({n->node_id, n->counter.rate(), n->counter.baseline(), 0});
    total += n->counter.rate();
  }
  if (total > 0)
    for (auto& s : out) s.share = s.tps / total;
  std::sort(out.begin(), out.end(), [](const NodeShare& a, const NodeShare& b) {
    return a.tps != b.tps ? a.tps > b.tps : a.node_id < b.node_id;
  });
  return out;
}

TransactionAnalyzer::Ranking TransactionAnalyzer::rank(const std::vector<const NodeState*>& nodes) const {
  // The same figures as shares_of() followed by its full sort, without
  // copying every node id: only the listed nodes are ordered (ids are unique
  // within a chain, so the order is total and the top is the same), and the
  // throughput adds the rates largest first as the sorted shares did.
  Ranking r;
  std::vector<const NodeState*> rated;
  std::vector<double> rates;
  double total = 0;
  for (const NodeState* n : nodes) {
    if (!n->counter.has_rate()) continue;
    rated.push_back(n);
    rates.push_back(n->counter.rate());
    total += n->counter.rate();
  }
  r.nodes = rated.size();
  if (std::any_of(rates.begin(), rates.end(), [](double v) { return std::isnan(v); })) {
    // No strict order with a NaN rate: take exactly what the full sort gives.
    std::vector<NodeShare> all = shares_of(nodes);
    for (const auto& s : all) r.throughput += s.tps;
    all.resize(std::min(all.size(), config_.top_nodes));
    r.top = std::move(all);
    return r;
  }
  const auto first = [](const NodeState* a, const NodeState* b) {
    const double ra = a->counter.rate(), rb = b->counter.rate();
    return ra != rb ? ra > rb : a->node_id < b->node_id;
  };
  const auto listed = rated.begin() + static_cast<std::ptrdiff_t>(std::min(rated.size(), config_.top_nodes));
  std::partial_sort(rated.begin(), listed, rated.end(), first);
  for (auto it = rated.begin(); it != listed; ++it) {
    const NodeState* n = *it;
    r.top.push_back({n->node_id, n->counter.rate(), n->counter.baseline(), total > 0 ? n->counter.rate() / total : 0});
  }
  std::sort(rates.begin(), rates.end(), std::greater<>());
  for (const double v : rates) r.throughput += v;
  return r;
}

std::vector<NodeShare> TransactionAnalyzer::shares(std::string_view chain_id) const {
  std::vector<const NodeState*> nodes;
  for (const auto& [key, node] : nodes_)
    if (node.chain_id == chain_id && active(node)) nodes.push_back(&node);
  return shares_of(nodes);
}

double TransactionAnalyzer::throughput(std::string_view chain_id) const {
  double total = 0;
  for (const auto& s : shares(chain_id)) total += s.tps;
  return total;
}

std::optional<nlohmann::json> TransactionAnalyzer::take_insight() {
  if (batch_records_ == 0 && batch_skipped_ == 0) return std::nullopt;

  if (generated_at_)
    expired_nodes_ += expiry_.sweep(
        nodes_, *generated_at_, config_.node_expiry_s, chains_.evictions(),
        [&](const std::string&, const NodeState& n) { return !active(n); },
        [](const NodeState& n) { return n.counter.last_time(); });
  const auto by_chain = processors::members_by_chain<NodeState>(nodes_, batch_);
  std::size_t group = 0;

  nlohmann::json chains = nlohmann::json::object();
  for (const auto& [chain_id, batch] : batch_) {
    const auto& members = by_chain[group++];
    if (chains_.find(chain_id)) chains[chain_id] = chain_summary(rank(members), batch);
  }

  nlohmann::json doc = {
      {"kind", "transactions"},
      {"generated_at", generated_at_ ? nlohmann::json(*generated_at_) : nlohmann::json(nullptr)},
      {"records", batch_records_},
      {"skipped", batch_skipped_},
      {"chains", std::move(chains)},
      {"totals", {{"resets", total_resets_}, {"out_of_order", total_out_of_order_}}},
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

nlohmann::json TransactionAnalyzer::chain_summary(const Ranking& ranking, const BatchChain& batch) const {
  nlohmann::json top = nlohmann::json::array();
  for (const auto& s : ranking.top)
    top.push_back({{"node_id", s.node_id}, {"tps", s.tps}, {"share", s.share}, {"baseline_tps", s.baseline_tps}});
  nlohmann::json bursts = nlohmann::json::array();
  for (const auto& [node_id, b] : batch.bursts) {
    if (bursts.size() >= config_.max_listed) break;
    nlohmann::json burst = {{"node_id", node_id}, {"tps", b.tps}, {"baseline_tps", b.baseline_tps}, {"z", b.z},
                            {"cause", processors::demand_name(b.cause)}};
    if (b.cause != processors::Demand::Unknown) {
      burst["priority_fee_p50_gwei"] = b.tip_gwei;
      burst["usual_priority_fee_gwei"] = b.usual_tip_gwei;
    }
    bursts.push_back(std::move(burst));
  }
  nlohmann::json summary = {{"records", batch.records},
                            {"rate_samples", batch.rate_samples},
                            {"transactions", batch.transactions},
                            {"throughput_tps", ranking.throughput},
                            {"nodes", ranking.nodes},
                            {"top_nodes", std::move(top)},
                            {"burst_count", batch.bursts.size()},
                            {"bursts", std::move(bursts)},
                            {"resets", batch.resets},
                            {"out_of_order", batch.out_of_order}};
  if (batch.between_blocks) summary["between_blocks"] = batch.between_blocks;
  if (!batch.economics.empty()) summary["economics"] = fee_summary(batch.economics, config_.max_listed);
  if (batch.mempool_reports || batch.fee_reports) {
    auto mean = [](double sum, uint64_t n) { return n ? nlohmann::json(sum / double(n)) : nlohmann::json(nullptr); };
    summary["node_reported"] = {{"mempool_reports", batch.mempool_reports},
                                {"mempool_size_mean", mean(batch.mempool_sum, batch.mempool_reports)},
                                {"fee_reports", batch.fee_reports},
                                {"average_fee_mean", mean(batch.fee_sum, batch.fee_reports)}};
  }
  return summary;
}

}  // namespace nebula::transaction_analyzer
