#include "synthesizer.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <nebula/json_numbers.hpp>
#include <nebula_insights/active_anomalies.hpp>
#include <nebula_processors/counter_increase.hpp>

#include "characterisation.hpp"
#include "cross_chain.hpp"

namespace nebula::intelligence {

Synthesizer::Synthesizer(Config cfg) : cfg_(std::move(cfg)), nodes_(cfg_.max_nodes), chains_(cfg_.max_chains) {}

void Synthesizer::ingest(const Sample& s) {
  const std::string key = chain_key(s);
  bool new_chain = false;
  ChainTrack& chain = chains_.touch(key, &new_chain);
  if (new_chain) chain.init(cfg_.block_times.lookup(s.chain_id, s.node_type), cfg_.window);
  NodeTrack& node = nodes_.touch(s.node_id);
  if (node.chain != key) node = NodeTrack{key};  // new node, or one that moved chain: start over
  if (std::isfinite(node.last_ts) && s.timestamp <= node.last_ts) {
    ++out_of_order_;  // duplicate or late: deltas against it would be meaningless
    return;
  }
  const double dt = s.timestamp - node.last_ts;  // NaN for a node's first sample
  if (dt <= cfg_.max_gap_s) chain.node_seconds += dt;
  ++chain.samples;
  ++since_emit_;
  generated_at_ = std::isfinite(generated_at_) ? std::max(generated_at_, s.timestamp) : s.timestamp;
  if (!std::isfinite(window_from_)) window_from_ = s.timestamp;
  if (cfg_.interval_s > 0 && !std::isfinite(window_start_))
    window_start_ = std::floor(s.timestamp / cfg_.interval_s) * cfg_.interval_s;

  if (std::isfinite(s.tx_count)) {
    if (std::isfinite(node.tx_count) && s.timestamp > node.tx_ts)
      chain.tx_rates.add(processors::counter_increase(node.tx_count, s.tx_count) / (s.timestamp - node.tx_ts));
    node.tx_count = s.tx_count;
    node.tx_ts = s.timestamp;
  }
  if (std::isfinite(s.height)) update_height(chain, key, node, s.node_id, s);

  chain.peers.add(s.peers);
  chain.latency_ms.add(s.latency_ms);
  chain.quality.add(s.connection_quality);
  if (std::isfinite(s.peers) || std::isfinite(s.latency_ms)) {
    const bool ok = (!std::isfinite(s.peers) || s.peers >= cfg_.min_peers) &&
                    (!std::isfinite(s.latency_ms) || s.latency_ms <= cfg_.max_latency_ms);
    chain.healthy.add(ok ? 1.0 : 0.0);
  }
  node.last_ts = s.timestamp;
}

void Synthesizer::update_height(ChainTrack& chain, const std::string& key, NodeTrack& node,
                                const std::string& node_id, const Sample& s) {
  // Block intervals from when the height moved, not from sample spacing: a
  // node sampled every 5 s on a 30 s chain repeats each height ~6 times.
  const processors::HeightStep step = node.height.observe(s.timestamp, s.height);
  update_tip(chain, key, node_id, s.height);
  const double lag = std::max(0.0, chain.tip - s.height);
  chain.lag_blocks.add(lag);
  chain.lag_seconds.add(lag * chain.block_time_s);  // normalised: blocks x expected block time

  chain.intervals.add(step.seconds_per_block);  // NaN (first height, reset, no move) is not added
  if (step.changed) {
    node.stalled = false;
  } else if (!node.stalled &&
             s.timestamp - node.height.changed_at() > cfg_.stall_after_blocks * chain.block_time_s) {
    node.stalled = true;  // counted once per stall, not once per stalled sample
    ++chain.stall_events;
  }
}

void Synthesizer::update_tip(ChainTrack& chain, const std::string& key, const std::string& node_id, double height) {
  if (!std::isfinite(chain.tip) || height >= chain.tip) {
    chain.tip = height;
    chain.tip_holder = node_id;
    return;
  }
  if (chain.tip_holder != node_id) return;
  // The node that defined the tip went backwards (chain reset): the tip is
  // the highest latest height among the chain's nodes again.
  chain.tip = height;
  for (const auto& [id, n] : nodes_.oldest_first())
    if (n.chain == key && std::isfinite(n.height.height()) && n.height.height() > chain.tip) {
      chain.tip = n.height.height();
      chain.tip_holder = id;
    }
}

bool Synthesizer::on_patterns(std::string_view patterns_json) {
  std::map<std::string, std::map<std::string, uint64_t>> per_chain;
  const auto read =
      insights::for_each_active_anomaly(patterns_json, [&](std::string_view kind, std::string_view id) {
        if (const NodeTrack* n = nodes_.find(id)) ++per_chain[n->chain][std::string(kind)];
      });
  if (read != insights::ActiveList::kRead) return false;
  anomalies_ = std::move(per_chain);  // the latest insight is the current truth
  return true;
}

}  // namespace nebula::intelligence

namespace nebula::intelligence {

bool Synthesizer::due() const {
  if (since_emit_ == 0) return false;
  if (cfg_.interval_s <= 0) return true;
  return generated_at_ >= window_start_ + cfg_.interval_s;
}

nlohmann::json Synthesizer::build_insight() {
  std::map<std::string, size_t> nodes_per_chain;
  for (const auto& [id, n] : nodes_) ++nodes_per_chain[n.chain];
  std::map<std::string, const ChainTrack*> sorted;  // chain ids in order: deterministic output
  for (const auto& [key, c] : chains_) sorted.emplace(key, &c);

  static const std::map<std::string, uint64_t> kNone;
  std::vector<ChainNumbers> numbers;
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& [key, track] : sorted) {
    numbers.push_back(numbers_of(key, *track));
    auto a = anomalies_.find(key);
    nlohmann::json c = chain_json(numbers.back(), *track, nodes_per_chain[key], a == anomalies_.end() ? kNone : a->second);
    c["characterisation"] = characterise(numbers.back(), cfg_);
    chains.push_back(std::move(c));
  }
  nlohmann::json doc = {
      {"kind", "intelligence"},
      {"generated_at", number_or_null(generated_at_)},
      {"window", {{"from", number_or_null(window_from_)}, {"to", number_or_null(generated_at_)}, {"samples", since_emit_}}},
      {"chains", std::move(chains)},
      {"comparisons", compare_chains(numbers)},
      {"block_time_effects", block_time_effects(numbers)},
      {"nodes_tracked", nodes_.size()},
      {"nodes_evicted", nodes_.evictions()},
      {"chains_evicted", chains_.evictions()},
      {"out_of_order_samples", out_of_order_},
  };
  since_emit_ = 0;
  window_from_ = kMissing;
  if (cfg_.interval_s > 0 && std::isfinite(generated_at_))
    window_start_ = std::floor(generated_at_ / cfg_.interval_s) * cfg_.interval_s;
  return doc;
}

}  // namespace nebula::intelligence
