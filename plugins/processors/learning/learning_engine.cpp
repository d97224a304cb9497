#include "learning_engine.hpp"

#include <algorithm>
#include <cmath>

#include <nebula/json_writer.hpp>
#include <nebula_processors/counter_increase.hpp>

namespace nebula::learning {
namespace {

bool mentions(const Sample& s, const char* word) {
  return s.chain_id.find(word) != std::string::npos || s.node_type.find(word) != std::string::npos;
}

}  // namespace

LearningEngine::LearningEngine(Config cfg)
    : cfg_(std::move(cfg)),
      normalizer_(cfg_.freeze_after),
      anomalies_(cfg_.max_nodes),
      nodes_(cfg_.max_nodes),
      chains_(cfg_.max_chains) {}

std::vector<Example> LearningEngine::ingest(const std::vector<Sample>& samples) {
  std::vector<Example> out;
  for (const auto& s : samples)
    if (auto e = ingest(s)) out.push_back(std::move(*e));
  return out;
}

std::optional<Example> LearningEngine::ingest(const Sample& s) {
  const std::string chain = chain_key(s);
  NodeState& node = nodes_.touch(s.node_id);
  if (node.chain != chain) node = NodeState{chain};  // new node, or moved chain: no deltas across
  if (std::isfinite(node.last_ts) && s.timestamp <= node.last_ts) {
    ++out_of_order_;
    return std::nullopt;
  }
  generated_at_ = std::isfinite(generated_at_) ? std::max(generated_at_, s.timestamp) : s.timestamp;

  const double tx_increase = processors::counter_increase(node.tx_count, s.tx_count);
  const FeatureVector raw = features_of(s, chain, node);
  normalizer_.update(raw);  // scales include this sample before anything is normalised

  std::optional<Example> done;
  if (node.pending) {
    if (s.timestamp - node.pending->timestamp <= cfg_.max_gap_s) {
      done = std::move(node.pending);
      done->targets = {raw[kBlocksPerInterval], tx_increase, s.latency_ms, s.peers};
    } else {
      ++gaps_;  // "next interval" an hour later is not the next interval
    }
  }
  node.pending = Example{s.node_id, chain, s.node_type, s.timestamp, raw, {}};
  node.last_ts = s.timestamp;
  if (std::isfinite(s.tx_count)) {
    node.tx_count = s.tx_count;
    node.tx_ts = s.timestamp;
  }
  if (std::isfinite(s.height)) node.height = s.height;
  return done;
}

FeatureVector LearningEngine::features_of(const Sample& s, const std::string& chain, NodeState& node) {
  FeatureVector f;
  f.fill(kMissing);
  f[kBlocksPerInterval] = s.blocks_processed;
  if (!std::isfinite(f[kBlocksPerInterval]) && s.height >= node.height)  // basic nodes: height delta instead
    f[kBlocksPerInterval] = s.height - node.height;
  if (std::isfinite(node.tx_count) && s.timestamp > node.tx_ts)
    f[kTxRate] = processors::counter_increase(node.tx_count, s.tx_count) / (s.timestamp - node.tx_ts);
  if (std::isfinite(s.height)) f[kHeightLag] = lag_behind_tip(chain, s.node_id, s.height);
  f[kPeerCount] = s.peers;
  f[kLatencyMs] = s.latency_ms;
  f[kBandwidth] = s.bandwidth;
  f[kConnectionQuality] = s.connection_quality;
  f[kCpuUsage] = s.cpu;
  f[kMemoryUsage] = s.memory;
  f[kHashRate] = s.hash_rate;
  f[kBlockIntervalExpected] = cfg_.block_times.lookup(s.chain_id, s.node_type);
  f[kIsTestnet] = mentions(s, "testnet") ? 1.0 : 0.0;
  f[kIsMainnet] = mentions(s, "mainnet") ? 1.0 : 0.0;
  return f;
}

double LearningEngine::lag_behind_tip(const std::string& chain, const std::string& node_id, double height) {
  ChainTip& c = chains_.touch(chain);
  if (!std::isfinite(c.tip) || height >= c.tip) {
    c.tip = height;
    c.holder = node_id;
  } else if (c.holder == node_id) {
    // The tip's own node went backwards (chain reset): recompute from the
    // latest heights (this node's table entry still holds its old height).
    c.tip = height;
    for (const auto& [id, n] : nodes_.oldest_first())
      if (id != node_id && n.chain == chain && std::isfinite(n.height) && n.height > c.tip) {
        c.tip = n.height;
        c.holder = id;
      }
  }
  return c.tip - height;
}

namespace {

void write_features(JsonWriter& w, const FeatureVector& f) {
  w.begin_array();
  for (double v : f) w.value(v);
  w.end_array();
}

}  // namespace

// Keys in sorted order: the text is what dump() gave for the nlohmann
// document this replaced (see nebula/json_writer.hpp).
void LearningEngine::write_example(JsonWriter& w, const Example& e) const {
  const auto kinds = anomalies_.kinds(e.node_id);
  w.begin_object();
  w.key("anomaly").begin_object().key("active").value(!kinds.empty()).key("kinds").begin_array();
  for (const auto& k : kinds) w.value(k);
  w.end_array().end_object();
  w.key("chain_id").value(e.chain_id);
  if (cfg_.include_features) {
    w.key("features");
    write_features(w, normalizer_.normalise(e.raw));
  }
  w.key("node_id").value(e.node_id);
  w.key("node_type").value(e.node_type);
  w.key("raw");
  write_features(w, normalizer_.impute(e.raw));
  w.key("targets")
      .begin_object()
      .key("next_blocks")
      .value(e.targets.next_blocks)
      .key("next_latency")
      .value(e.targets.next_latency)
      .key("next_peers")
      .value(e.targets.next_peers)
      .key("next_transactions")
      .value(e.targets.next_transactions)
      .end_object();
  w.key("timestamp").value(e.timestamp);
  w.end_object();
}

std::vector<std::string> LearningEngine::insights(const std::vector<Example>& examples) const {
  std::vector<std::string> out;
  if (examples.empty()) return out;
  // The same in every insight of this call: written once.
  JsonWriter names;
  names.begin_array();
  for (auto n : kFeatureNames) names.value(n);
  names.end_array();
  const std::string scales = normalizer_.published().dump();
  for (size_t start = 0; start < examples.size(); start += cfg_.max_examples_per_insight) {
    const size_t end = std::min(examples.size(), start + cfg_.max_examples_per_insight);
    JsonWriter w;
    w.reserve(512 + (end - start) * (cfg_.include_features ? 640 : 420));
    w.begin_object().key("examples").begin_array();
    for (size_t i = start; i < end; ++i) write_example(w, examples[i]);
    w.end_array();
    w.key("feature_names").raw(names.text());
    w.key("generated_at").value(generated_at_);
    w.key("kind").value("training_examples");
    w.key("normalization").raw(scales);
    w.end_object();
    out.push_back(w.take());
  }
  return out;
}

}  // namespace nebula::learning
