#include "resonant_engine.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <nebula/config_helpers.hpp>

#include "nebula_agents/model_actions.hpp"
#include "nebula_agents/ranked_nodes.hpp"

namespace nebula::resonant {

using agents::TrainingExample;

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  agents::validate_settings(cfg, {"baseline_alpha", "health_alpha"}, errors);
  config::number(cfg, "baseline_alpha", 0, 1e-4, 1, &errors);
  config::number(cfg, "health_alpha", 0, 1e-3, 1, &errors);
}

Config parse_config(const nlohmann::json& cfg) {
  agents::ModelSettings defaults;
  defaults.architecture = {static_cast<int64_t>(kInputs), 2, {32, 32}};
  defaults.learning_rate = 3e-3;
  Config c;
  c.agent = agents::parse_settings(cfg, defaults);
  c.baseline_alpha = config::number(cfg, "baseline_alpha", c.baseline_alpha, 1e-4, 1);
  c.health_alpha = config::number(cfg, "health_alpha", c.health_alpha, 1e-3, 1);
  return c;
}

namespace {

constexpr uint64_t kScaleWarmup = 256;   // targets seen before training starts
constexpr uint64_t kScaleFreeze = 5000;  // then the target scales stop moving
constexpr double kFloor = 0.05;
constexpr double kResidualAlpha = 0.01;
constexpr uint64_t kBaselineMin = 6;     // examples before a node baseline is used
// The context: every feature except the network ones being predicted
// (peer_count, latency_ms) and those derived from them (bandwidth, connection_quality).
constexpr size_t kContext[] = {agents::kBlocks,   agents::kTxRate,        agents::kHeightLag,
                               agents::kCpu,      agents::kMemory,        agents::kHashRate,
                               agents::kBlockInterval, agents::kIsTestnet, agents::kIsMainnet};

std::optional<double> log_latency(const TrainingExample& e) {
  if (e.next_latency && *e.next_latency > 0) return std::log(*e.next_latency);
  return std::nullopt;
}
std::optional<double> log_peers(const TrainingExample& e) {
  if (e.next_peers && *e.next_peers >= 0) return std::log1p(*e.next_peers);
  return std::nullopt;
}
void track_square(agents::RunningStat& s, double r) {
  s.var = s.count ? (1 - kResidualAlpha) * s.var + kResidualAlpha * r * r : r * r;
  ++s.count;
}

// Statistics shared in federation rounds, and the model columns standardised
// with them (see inputs() and to_sample(): outputs 0/1, node baselines 9/10
// present when column 11 is 1, chain median 12 present when column 13 is 1).
constexpr const char* kLatencyStat = "log_latency";
constexpr const char* kPeersStat = "log1p_peers";
constexpr const char* kResidualLatencyStat = "residual_latency";
constexpr const char* kResidualPeersStat = "residual_peers";
const std::vector<agents::NormUse> kNormUses = {
    {kLatencyStat, kFloor, true, 0},      {kPeersStat, kFloor, true, 1},       {kLatencyStat, kFloor, false, 9, 11},
    {kPeersStat, kFloor, false, 10, 11}, {kLatencyStat, kFloor, false, 12, 13}};

float clip(double v) { return static_cast<float>(std::clamp(v, -10.0, 10.0)); }

// Badness: only the harmful directions (slower, fewer peers) count.
double health_of(double z_latency, double z_peers) {
  const double bad = std::hypot(std::max(0.0, z_latency), std::max(0.0, -z_peers));
  const double excess = std::max(0.0, bad - 1.0);
  return std::exp(-excess * excess / 8.0);
}

}  // namespace

const char* health_band(double health) {
  if (health >= 0.8) return "healthy";
  if (health >= 0.4) return "degraded";
  return "unhealthy";
}

ResonantEngine::ResonantEngine(Config cfg)
    : cfg_(std::move(cfg)),
      model_(cfg_.agent.model),
      nodes_(cfg_.agent.max_nodes),
      federation_(cfg_.agent.federation, kAgentId, kNormUses,
                  agents::stat_hooks(mu_, {{kLatencyStat, &scales_.latency, &local_scales_.latency},
                                           {kPeersStat, &scales_.peers, &local_scales_.peers},
                                           {kResidualLatencyStat, &scales_.residual_latency, &local_scales_.residual_latency},
                                           {kResidualPeersStat, &scales_.residual_peers, &local_scales_.residual_peers}})) {}

std::vector<float> ResonantEngine::inputs(const TrainingExample& e, const NodeState* node) const {
  std::vector<float> x;
  x.reserve(kInputs);
  for (size_t i : kContext) x.push_back(e.features[i]);
  const bool has_base = node && node->log_latency.count + node->log_peers.count >= kBaselineMin;
  x.push_back(has_base && node->log_latency.count ? clip(scales_.latency.z(node->log_latency.mean, kFloor)) : 0.0f);
  x.push_back(has_base && node->log_peers.count ? clip(scales_.peers.z(node->log_peers.mean, kFloor)) : 0.0f);
  x.push_back(has_base ? 1.0f : 0.0f);
  auto chain = chain_log_latency_.find(e.chain_id);
  const bool has_chain = chain != chain_log_latency_.end();
  x.push_back(has_chain ? clip(scales_.latency.z(chain->second, kFloor)) : 0.0f);
  x.push_back(has_chain ? 1.0f : 0.0f);
  return x;
}

agents::Sample ResonantEngine::to_sample(const TrainingExample& e, const NodeState* node) const {
  agents::Sample s{inputs(e, node), {0, 0}, {0, 0}};
  if (auto l = log_latency(e)) {
    s.y[0] = clip(scales_.latency.z(*l, kFloor));
    s.mask[0] = 1;
  }
  if (auto p = log_peers(e)) {
    s.y[1] = clip(scales_.peers.z(*p, kFloor));
    s.mask[1] = 1;
  }
  return s;
}

Assessment ResonantEngine::assess_with(const agents::DenseSnapshot& net, const TrainingExample& e,
                                       const NodeState* node) const {
  const auto y = net.forward(inputs(e, node));
  Assessment a;
  const double lat_log = y[0] * scales_.latency.std_or(kFloor) + scales_.latency.mean;
  const double peers_log = y[1] * scales_.peers.std_or(kFloor) + scales_.peers.mean;
  a.expected_latency = std::exp(lat_log);
  a.expected_peers = std::max(0.0, std::expm1(peers_log));
  const double sl = std::sqrt(std::max(scales_.residual_latency.var, 1e-4));
  const double sp = std::sqrt(std::max(scales_.residual_peers.var, 1e-4));
  if (auto l = log_latency(e)) a.z_latency = (scales_.latency.z(*l, kFloor) - y[0]) / sl;
  if (auto p = log_peers(e)) a.z_peers = (scales_.peers.z(*p, kFloor) - y[1]) / sp;
  a.health = health_of(a.z_latency, a.z_peers);
  return a;
}

Assessment ResonantEngine::assess(const TrainingExample& e) const {
  const auto net = model_.snapshot();
  std::lock_guard lock(mu_);
  return assess_with(*net, e, nodes_.find(e.node_id));
}

void ResonantEngine::on_network(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("chains") || !doc["chains"].is_object()) return;
  std::lock_guard lock(mu_);
  ++network_insights_;
  for (auto it = doc["chains"].begin(); it != doc["chains"].end(); ++it) {
    const auto& lat = it.value().is_object() && it.value().contains("latency_ms") ? it.value()["latency_ms"] : nlohmann::json();
    if (auto p50 = agents::finite_number(lat, "p50"); p50 && *p50 > 0) chain_log_latency_[it.key()] = std::log(*p50);
  }
}

size_t ResonantEngine::learn_batch(std::vector<agents::DomInput> batch) {
  std::vector<TrainingExample> examples;
  for (auto& [topic, doc, parsed] : batch) {
    if (topic == "network") {
      on_network(doc);
      continue;
    }
    if (!parsed.usable) continue;
    std::lock_guard lock(mu_);
    skipped_ += parsed.skipped;
    std::move(parsed.examples.begin(), parsed.examples.end(), std::back_inserter(examples));
  }
  const size_t steps = learn(examples);
  agents::federate_if_due(model_, federation_);
  return steps;
}

size_t ResonantEngine::learn(const std::vector<TrainingExample>& examples) {
  if (examples.empty()) return 0;
  return model_.with_model([&](agents::EvolvingModel& model) {
    const auto net = model.snapshot();
    size_t fresh = 0;
    std::lock_guard lock(mu_);
    for (const auto& e : examples) {
      ++examples_;
      const auto l = log_latency(e);
      const auto p = log_peers(e);
      if (!l && !p) continue;
      for (Scales* sc : {&scales_, &local_scales_}) {
        if (l && sc->latency.count < kScaleFreeze) sc->latency.add(*l, 0.0);
        if (p && sc->peers.count < kScaleFreeze) sc->peers.add(*p, 0.0);
      }
      NodeState& node = nodes_.touch(e.node_id);
      const bool ready = scales_.latency.count + scales_.peers.count >= kScaleWarmup;
      if (ready) {
        // Judge first (out of sample), then learn from the example.
        const Assessment a = assess_with(*net, e, &node);
        if (model.steps() > 0) {
          // The residual spread that turns residuals into z-scores (mean of r^2).
          const auto y = net->forward(inputs(e, &node));
          const double rl = l ? scales_.latency.z(*l, kFloor) - y[0] : 0, rp = p ? scales_.peers.z(*p, kFloor) - y[1] : 0;
          for (Scales* sc : {&scales_, &local_scales_}) {
            if (l) track_square(sc->residual_latency, rl);
            if (p) track_square(sc->residual_peers, rp);
          }
          node.health = node.assessed ? (1 - cfg_.health_alpha) * node.health + cfg_.health_alpha * a.health : a.health;
          node.assessed = true;
          node.last = a;
          node.unpublished = true;
          new_evidence_.saw(e.timestamp);
        }
        // "Expected" means healthy-for-this-context: intervals the pattern
        // recognizer flagged are judged but not learned from, otherwise the
        // model would learn that a lagging node "should" have no peers.
        if (!e.anomalous) {
          model.add(to_sample(e, &node));
          ++fresh;
        }
      }
      // Anomalous intervals barely move the baseline, so "normal for this node" stays normal.
      const double alpha = e.anomalous ? cfg_.baseline_alpha * 0.1 : cfg_.baseline_alpha;
      if (l) node.log_latency.add(*l, alpha);
      if (p) node.log_peers.add(*p, alpha);
      node.chain_id = e.chain_id;
      node.timestamp = e.timestamp;
      node.observed_latency = e.next_latency ? *e.next_latency : -1;
      node.observed_peers = e.next_peers ? *e.next_peers : -1;
    }
    return model.train(fresh);
  });
}

nlohmann::json ResonantEngine::evaluate(const std::vector<TrainingExample>& examples) {
  std::vector<agents::Sample> samples;
  {
    std::lock_guard lock(mu_);
    for (const auto& e : examples) {
      if ((!log_latency(e) && !log_peers(e)) || e.anomalous) continue;
      samples.push_back(to_sample(e, nodes_.find(e.node_id)));
    }
  }
  return agents::evaluate_samples(model_, samples);
}

nlohmann::json ResonantEngine::node_json(const std::string& id, const NodeState& n) const {
  auto observed = [](double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"node_id", id},
          {"chain_id", n.chain_id},
          {"as_of", n.timestamp},
          {"health", n.health},
          {"latency_ms", {{"expected", n.last.expected_latency}, {"observed", observed(n.observed_latency)}, {"z", n.last.z_latency}}},
          {"peers", {{"expected", n.last.expected_peers}, {"observed", observed(n.observed_peers)}, {"z", n.last.z_peers}}}};
}

nlohmann::json ResonantEngine::query(const nlohmann::json& req) {
  if (!req.is_object()) throw Error(NEBULA_INVALID, "query must be a JSON object");
  if (req.contains("action"))
    return agents::answer_model_action(req, model_, federation_, [this](const auto& e) { return evaluate(e); });
  const int version = model_.version();
  std::lock_guard lock(mu_);
  if (req.contains("node_id")) {
    if (!req["node_id"].is_string()) throw Error(NEBULA_INVALID, "node_id must be a string");
    const auto id = req["node_id"].get<std::string>();
    const NodeState* n = nodes_.find(id);
    if (!n || n->timestamp == 0) throw Error(NEBULA_INVALID, "unknown node_id '" + id + "'");
    auto out = node_json(id, *n);
    out["model_version"] = version;
    return out;
  }
  size_t limit = 50;
  if (req.contains("limit")) {
    if (!req["limit"].is_number_integer() || req["limit"].get<long long>() < 1)
      throw Error(NEBULA_INVALID, "limit must be a positive integer");
    limit = req["limit"].get<size_t>();
  }
  const std::string chain = req.contains("chain_id") && req["chain_id"].is_string() ? req["chain_id"].get<std::string>() : "";
  std::vector<std::pair<const std::string*, const NodeState*>> rows;
  for (const auto& [id, n] : nodes_.oldest_first())
    if (n.timestamp > 0 && (chain.empty() || n.chain_id == chain)) rows.emplace_back(&id, &n);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second->health != b.second->health ? a.second->health < b.second->health : *a.first < *b.first;
  });
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < rows.size() && i < limit; ++i) nodes.push_back(node_json(*rows[i].first, *rows[i].second));
  return {{"nodes", nodes}, {"count", rows.size()}, {"model_version", version}};
}

std::optional<double> ResonantEngine::unpublished_as_of() const {
  std::lock_guard lock(mu_);
  return new_evidence_.as_of();
}

nlohmann::json ResonantEngine::evidence_document(size_t max_nodes) const {
  const int version = model_.version();
  std::lock_guard lock(mu_);
  std::vector<agents::RankedNode<NodeState>> rows;
  size_t degraded = 0, unhealthy = 0;
  for (const auto& [id, n] : nodes_)
    if (n.unpublished) {
      rows.push_back({n.health, &id, &n});
      const std::string_view band = health_band(n.health);
      degraded += band == "degraded";
      unhealthy += band == "unhealthy";
    }
  const size_t listed = agents::rank_first(rows, max_nodes, agents::Notable::Lowest);
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < listed; ++i) {
    auto node = node_json(*rows[i].id, *rows[i].state);
    node["band"] = health_band(rows[i].key);
    nodes.push_back(std::move(node));
  }
  return {{"kind", "health"},
          {"generated_at", new_evidence_.generated_at()},
          {"model_version", version},
          {"counts",
           {{"assessed", rows.size()}, {"listed", listed}, {"degraded", degraded}, {"unhealthy", unhealthy},
            {"tracked", nodes_.size()}}},
          {"nodes", std::move(nodes)}};
}

void ResonantEngine::mark_published() {
  std::lock_guard lock(mu_);
  for (auto& [id, n] : nodes_) n.unpublished = false;
  new_evidence_.clear();
}

std::array<size_t, kHealthBands.size()> ResonantEngine::nodes_by_band() const {
  std::array<size_t, kHealthBands.size()> counts{};
  std::lock_guard lock(mu_);
  for (const auto& [id, n] : nodes_) {
    if (!n.assessed) continue;
    const std::string_view band = health_band(n.health);
    for (size_t i = 0; i < kHealthBands.size(); ++i) counts[i] += band == kHealthBands[i];
  }
  return counts;
}

StateTable ResonantEngine::node_table() const {
  std::lock_guard lock(mu_);
  return state_table("nodes", "max_nodes", nodes_);
}

nlohmann::json ResonantEngine::stats() const {
  nlohmann::json s = model_.stats();
  std::lock_guard lock(mu_);
  s["examples"] = examples_;
  s["examples_skipped"] = skipped_;
  s["network_insights"] = network_insights_;
  s["nodes_tracked"] = nodes_.size();
  s["nodes_evicted"] = nodes_.evictions();
  s["residual_std"] = {{"latency", std::sqrt(scales_.residual_latency.var)}, {"peers", std::sqrt(scales_.residual_peers.var)}};
  s["federation"] = federation_.stats();
  return s;
}

nlohmann::json ResonantEngine::state_json() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& [id, n] : nodes_.oldest_first())
    nodes.push_back({{"id", id}, {"chain", n.chain_id}, {"ts", n.timestamp}, {"lat", n.log_latency.to_json()},
                     {"peers", n.log_peers.to_json()}, {"health", n.health},
                     {"last", {n.last.expected_latency, n.last.expected_peers, n.last.z_latency, n.last.z_peers, n.last.health}},
                     {"obs", {n.observed_latency, n.observed_peers}}});
  auto scales_json = [](const Scales& s) {
    return nlohmann::json{s.latency.to_json(), s.peers.to_json(), s.residual_latency.to_json(), s.residual_peers.to_json()};
  };
  return {{"scales", scales_json(scales_)},
          {"local_scales", scales_json(local_scales_)},
          {"nodes", nodes},
          {"chains", chain_log_latency_},
          {"counters", {examples_, skipped_, network_insights_}}};
}

void ResonantEngine::save(std::ostream& out) {
  agents::CheckpointWriter w;
  agents::tag_agent_checkpoint(w, kAgentId);
  {
    std::lock_guard lock(mu_);
    w.add("agent.state", state_json().dump());
  }
  model_.save(w);
  federation_.save(w);
  w.write(out);
}

void ResonantEngine::load(std::istream& in) {
  const auto reader = agents::read_agent_checkpoint(in, kAgentId);
  const auto j = nlohmann::json::parse(reader.at("agent.state"), nullptr, false);
  if (!j.is_object()) throw Error(NEBULA_INVALID, "damaged agent checkpoint: agent.state is not JSON");
  Scales scales, local_scales;
  LruMap<NodeState> nodes(cfg_.agent.max_nodes);
  std::map<std::string, double> chains;
  std::array<uint64_t, 3> counters{};
  try {
    auto scales_of = [](const nlohmann::json& sc) {
      return Scales{agents::RunningStat::from_json(sc.at(0)), agents::RunningStat::from_json(sc.at(1)),
                    agents::RunningStat::from_json(sc.at(2)), agents::RunningStat::from_json(sc.at(3))};
    };
    scales = scales_of(j.at("scales"));
    // Checkpoints from before federation: everything in use was observed here.
    local_scales = scales_of(j.contains("local_scales") ? j["local_scales"] : j["scales"]);
    for (const auto& n : j.at("nodes")) {
      NodeState& s = nodes.touch(n.at("id").get<std::string>());
      s.chain_id = n.at("chain").get<std::string>();
      s.timestamp = n.at("ts").get<double>();
      s.log_latency = agents::RunningStat::from_json(n.at("lat"));
      s.log_peers = agents::RunningStat::from_json(n.at("peers"));
      s.health = n.at("health").get<double>();
      s.assessed = true;
      const auto& last = n.at("last");
      s.last = {last.at(0).get<double>(), last.at(1).get<double>(), last.at(2).get<double>(), last.at(3).get<double>(),
                last.at(4).get<double>()};
      s.observed_latency = n.at("obs").at(0).get<double>();
      s.observed_peers = n.at("obs").at(1).get<double>();
    }
    chains = j.at("chains").get<std::map<std::string, double>>();
    for (size_t i = 0; i < counters.size(); ++i) counters[i] = j.at("counters").at(i).get<uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(NEBULA_INVALID, std::string("damaged agent checkpoint: agent.state: ") + e.what());
  }
  model_.load(reader);
  federation_.load(reader);
  std::lock_guard lock(mu_);
  scales_ = scales;
  local_scales_ = local_scales;
  nodes_ = std::move(nodes);
  chain_log_latency_ = std::move(chains);
  examples_ = counters[0];
  skipped_ = counters[1];
  network_insights_ = counters[2];
}

}  // namespace nebula::resonant
