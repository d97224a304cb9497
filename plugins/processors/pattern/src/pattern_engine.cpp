#include "nebula_pattern/pattern_engine.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>


namespace nebula::pattern {

PatternEngine::PatternEngine(PatternConfig config)
    : config_(std::move(config)),
      stall_(config_.stall),
      eclipse_(config_.eclipse, config_.baseline),
      partition_(config_.partition, config_.baseline),
      tx_flood_(config_.tx_flood, config_.baseline),
      hashrate_(config_.hashrate, config_.baseline),
      resource_(config_.resource),
      nodes_(static_cast<std::size_t>(config_.max_nodes)) {}

BatchReport PatternEngine::process(std::vector<Sample> samples, std::size_t invalid_records) {
  BatchReport report;
  stats_.records += invalid_records;
  stats_.invalid_records += invalid_records;
  // Timestamp order (node id breaks ties) makes the result independent of
  // how the transport interleaved nodes inside the batch.
  // Sorting pointers gives the same order as sorting the samples (the same
  // stable algorithm, the same comparisons) without moving their strings.
  // Input already in order is left as is; that shortcut needs a strict weak
  // order, so not with a NaN timestamp among the samples.
  std::vector<const Sample*> order;
  order.reserve(samples.size());
  bool all_present = true;
  for (const Sample& s : samples) {
    order.push_back(&s);
    all_present = all_present && present(s.timestamp);
  }
  const auto before = [](const Sample* a, const Sample* b) {
    if (a->timestamp != b->timestamp) return a->timestamp < b->timestamp;
    return a->node_id < b->node_id;
  };
  if (!all_present || !std::is_sorted(order.begin(), order.end(), before))
    std::stable_sort(order.begin(), order.end(), before);
  // Per timestamp: raise the chain tips first, so a node is judged against
  // every height reported at the same instant, whatever the node order.
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && order[j]->timestamp == order[i]->timestamp) ++j;
    for (std::size_t k = i; k < j; ++k)
      if (present(order[k]->timestamp) && !order[k]->node_id.empty())
        chain_named(processors::chain_key_view(*order[k]), order[k]->node_type)
            .observe_height(order[k]->height, order[k]->timestamp);
    for (std::size_t k = i; k < j; ++k) process_sample(*order[k], report);
    i = j;
  }
  end_stale_nodes(report);
  for (auto& [id, chain] : chains_) update_partition(chain, report);
  std::erase_if(chains_, [](const auto& kv) { return kv.second.nodes.empty() && kv.second.partitions.empty(); });
  report.generated_at = clock_;
  report.active = snapshot_active(active_hint_);
  active_hint_ = report.active.size();
  report.chains = chain_summaries();
  stats_.nodes = nodes_.size();
  stats_.chains = chains_.size();
  report.stats = stats_;
  return report;
}

void PatternEngine::process_sample(const Sample& s, BatchReport& report) {
  ++stats_.records;
  if (!present(s.timestamp) || s.node_id.empty()) {
    ++stats_.invalid_records;
    return;
  }
  NodeState& node = touch(s, report);
  if (s.timestamp <= node.last_ts) {  // duplicate or reordered: already judged
    ++stats_.out_of_order;
    return;
  }
  node.last_ts = s.timestamp;
  node.stale = false;
  oldest_fresh_ts_ = std::min(oldest_fresh_ts_, s.timestamp);
  if (!present(clock_) || s.timestamp > clock_) clock_ = s.timestamp;
  ChainState& chain = chain_for(node, s, report);
  const double interval = chain.expected_interval();
  const int sustain = config_.sustain_samples;

  apply(node, Kind::Stall,
        stall_.observe(s, node.stall, chain.tip(), interval, node.episodes[index(Kind::Stall)].active()),
        s.timestamp, sustain, report);

  // Network: inside an open partition the node's symptoms are the
  // partition's, so it is not also reported as eclipsed.
  const bool in_partition = chain.partition_of(node.node_id) != nullptr;
  Verdict eclipse = in_partition ? Verdict::normal() : eclipse_.observe(s, node.network);
  apply(node, Kind::Eclipse, eclipse, s.timestamp, sustain, report);
  const Verdict degraded = partition_.degraded(s, node.network);
  Episode& deg = node.episodes[index(Kind::Partition)];
  Episode::Change deg_change = Episode::Change::None;
  if (degraded.known) deg_change = deg.step(degraded.anomalous, s.timestamp, config_.partition.sustain_samples,
                                            config_.clear_samples);
  sync_degraded(node);
  node.network.remember(s);
  if (in_partition || chain.degraded.count(node.node_id)) chain.partitions_stale = true;
  if (deg_change != Episode::Change::None || (!chain.partitions.empty() && chain.partitions_stale))
    update_partition(chain, report);

  const auto resets_before = node.tx.resets;
  apply(node, Kind::TxFlood, tx_flood_.observe(s, node.tx, interval, chain.tip().height), s.timestamp, sustain, report);
  stats_.counter_resets += node.tx.resets - resets_before;

  const auto hash = hashrate_.observe(s, node.hash);
  apply(node, Kind::HashrateDrop, hash.drop, s.timestamp, sustain, report);
  apply(node, Kind::HashrateSurge, hash.surge, s.timestamp, sustain, report);

  apply(node, Kind::ResourceExhaustion, resource_.observe(s, node.resource), s.timestamp,
        config_.resource.sustain_samples, report);

  // A node with anything open, even pending, teaches no baseline: a stalled
  // node's idle tx counter or an eclipsed node's latency are symptoms, not
  // its new normal.
  const bool quiet =
      std::all_of(node.episodes.begin(), node.episodes.end(), [](const Episode& e) { return e.idle(); });
  tx_flood_.learn(node.tx, s.timestamp, !quiet);
  if (!quiet) return;
  node.network.learn(s);
  // A recovering member's baselines moved after its partition read them.
  if (in_partition) chain.partitions_stale = true;
  node.hash.level.add(s.hash_rate);
  resource_.learn(s, node.resource);
}

NodeState& PatternEngine::touch(const Sample& s, BatchReport& report) {
  // Full, and this node is new: the least recently seen one is evicted by
  // the touch below, so it ends its incidents and leaves its chain first.
  if (auto* victim = nodes_.next_victim(); victim && !nodes_.find(s.node_id)) {
    retire(*victim->second, report);
    ++stats_.evicted_nodes;
  }
  bool created = false;
  std::optional<NodeState>& entry = nodes_.touch(s.node_id, &created);
  if (created) {
    entry.emplace(config_.baseline);
    entry->node_id = s.node_id;
  }
  return *entry;
}

ChainState& PatternEngine::chain_named(std::string_view chain_id, const std::string& node_type) {
  auto it = chains_.find(chain_id);
  if (it == chains_.end()) {
    std::string id(chain_id);
    const double interval = config_.block_interval(id, node_type);
    it = chains_.emplace(id, ChainState(id, interval)).first;
  }
  return it->second;
}

ChainState& PatternEngine::chain_for(NodeState& node, const Sample& s, BatchReport& report) {
  const std::string_view chain_id = processors::chain_key_view(s);
  if (!s.node_type.empty() && node.node_type != s.node_type) node.node_type = s.node_type;
  if (node.chain_id != chain_id) {
    if (!node.chain_id.empty()) drop_from_chain(node, report);  // moved chains: its old view is void
    node.chain_id = chain_id;
  } else if (node.chain) {
    return *node.chain;  // still a member of the chain it joined
  }
  ChainState& chain = chain_named(chain_id, node.node_type);
  chain.nodes.emplace(node.node_id, &node);
  node.chain = &chain;
  sync_degraded(node);
  return chain;
}

void PatternEngine::sync_degraded(NodeState& node) {
  if (!node.chain) return;
  const bool changed = node.episodes[index(Kind::Partition)].active()
                           ? node.chain->degraded.emplace(node.node_id, &node).second
                           : node.chain->degraded.erase(node.node_id) > 0;
  if (changed) node.chain->partitions_stale = true;
}

void PatternEngine::apply(NodeState& node, Kind kind, const Verdict& v, double ts, int sustain, BatchReport& report) {
  if (!v.known) return;
  Episode& ep = node.episodes[index(kind)];
  auto& inc = node.incidents[index(kind)];
  const Episode::Change change = ep.step(v.anomalous, ts, sustain, config_.clear_samples);
  if (change == Episode::Change::Started) {
    inc = std::make_unique<Incident>();
    opened(node, kind);
    inc->kind = kind;
    inc->node_id = node.node_id;
    inc->chain_id = node.chain_id;
    inc->start = present(v.start_hint) ? std::min(v.start_hint, ep.first_anomalous()) : ep.first_anomalous();
    inc->id = incident_id(kind, node.node_id, inc->start);
  }
  if (inc && v.anomalous) {
    inc->last_seen = ts;
    inc->severity = std::max(inc->severity, v.severity);
    inc->evidence = v.evidence;
  }
  if (change == Episode::Change::Started) report.started.push_back(*inc);
  if (change == Episode::Change::Ended && inc) {
    inc->end = ep.clear_start();
    inc->end_reason = "recovered";
    report.ended.push_back(std::move(*inc));
    inc.reset();
    closed(node, kind);
  }
}

void PatternEngine::opened(NodeState& node, Kind kind) {
  node.opened(kind);
  with_incidents_.insert(&node);
}

void PatternEngine::closed(NodeState& node, Kind kind) {
  node.closed(kind);
  if (node.open_incidents == 0) with_incidents_.erase(&node);
}

void PatternEngine::end_node_incidents(NodeState& node, double ts, const char* reason, BatchReport& report) {
  for (Kind k : kAllKinds) {
    auto& inc = node.incidents[index(k)];
    if (inc) {
      inc->end = ts;
      inc->end_reason = reason;
      report.ended.push_back(std::move(*inc));
      inc.reset();
      closed(node, k);
    }
    node.episodes[index(k)].reset();
  }
  sync_degraded(node);
}

void PatternEngine::end_stale_nodes(BatchReport& report) {
  if (!present(clock_)) return;
  const double cutoff = clock_ - config_.stale_after_s;
  if (!(oldest_fresh_ts_ < cutoff)) return;  // no node has been silent that long
  oldest_fresh_ts_ = std::numeric_limits<double>::infinity();
  std::vector<NodeState*> gone_stale;
  for (auto& [id, entry] : nodes_) {
    NodeState& node = *entry;
    if (node.stale) continue;
    if (node.last_ts >= cutoff) {
      oldest_fresh_ts_ = std::min(oldest_fresh_ts_, node.last_ts);
      continue;
    }
    gone_stale.push_back(&node);
  }
  // In node id order, whatever the recency: the report lists their ended
  // incidents in this order.
  std::sort(gone_stale.begin(), gone_stale.end(),
            [](const NodeState* a, const NodeState* b) { return a->node_id < b->node_id; });
  for (NodeState* node : gone_stale) {
    end_node_incidents(*node, node->last_ts, "stale", report);
    node->stale = true;
  }
}

void PatternEngine::retire(NodeState& node, BatchReport& report) {
  end_node_incidents(node, clock_, "evicted", report);
  drop_from_chain(node, report);
}

void PatternEngine::drop_from_chain(NodeState& node, BatchReport& report) {
  node.chain = nullptr;
  auto it = chains_.find(node.chain_id);
  if (it == chains_.end()) return;
  ChainState& chain = it->second;
  chain.degraded.erase(node.node_id);
  chain.nodes.erase(node.node_id);
  for (auto& p : chain.partitions) std::erase(p.nodes, node.node_id);
  chain.partitions_stale = true;
  if (chain.nodes.empty()) {
    for (auto& p : chain.partitions) {
      p.end = clock_;
      p.end_reason = "evicted";
      report.ended.push_back(std::move(p));
    }
    chains_.erase(it);
  }
}

std::vector<Incident> PatternEngine::snapshot_active(std::size_t expected) const {
  // Pointers sort into the same order as the incidents would (the same
  // algorithm and comparisons), and each incident is copied once.
  std::vector<const Incident*> open;
  open.reserve(expected);
  for (const NodeState* node : with_incidents_)
    for (const auto& inc : node->incidents)
      if (inc) open.push_back(&*inc);
  for (const auto& [id, chain] : chains_)
    for (const auto& p : chain.partitions) open.push_back(&p);
  std::sort(open.begin(), open.end(), [](const Incident* a, const Incident* b) { return a->id < b->id; });
  std::vector<Incident> out;
  out.reserve(open.size());
  for (const Incident* inc : open) out.push_back(*inc);
  return out;
}

std::vector<Incident> PatternEngine::active() const { return snapshot_active(active_hint_); }

std::vector<ChainSummary> PatternEngine::chain_summaries() const {
  std::vector<ChainSummary> out;
  for (const auto& [id, chain] : chains_) {
    ChainSummary c;
    c.chain_id = id;
    c.tip_height = chain.tip().height;
    c.expected_interval_s = chain.expected_interval();
    // A chain that stopped producing blocks shows at least its silence.
    c.observed_interval_s = chain.observed_interval();
    if (present(chain.tip().advanced_at) && present(clock_)) {
      const double silence = clock_ - chain.tip().advanced_at;
      if (!present(c.observed_interval_s) || silence > c.observed_interval_s) {
        if (silence > 2 * chain.expected_interval()) c.observed_interval_s = silence;
      }
    }
    c.nodes = chain.nodes.size();
    out.push_back(std::move(c));
  }
  return out;
}

const NodeState* PatternEngine::node(std::string_view node_id) const {
  const auto* entry = nodes_.find(node_id);
  return entry ? &**entry : nullptr;
}

NodeState& PatternEngine::member(std::string_view node_id) {
  if (auto* entry = nodes_.find(node_id)) return **entry;
  throw std::logic_error("pattern engine: partition member " + std::string(node_id) + " is not tracked");
}

const ChainState* PatternEngine::chain(std::string_view chain_id) const {
  auto it = chains_.find(chain_id);
  return it == chains_.end() ? nullptr : &it->second;
}

}  // namespace nebula::pattern
