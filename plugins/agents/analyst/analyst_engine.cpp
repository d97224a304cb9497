#include "analyst_engine.hpp"

#include <algorithm>
#include <cmath>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "nebula_agents/model_actions.hpp"
#include "nebula_agents/ranked_nodes.hpp"

namespace nebula::analyst {

using agents::TrainingExample;

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  agents::validate_settings(cfg, {"baseline_alpha", "pattern_weight", "drivers", "max_pattern_sources"}, errors);
  config::number(cfg, "baseline_alpha", 0, 1e-4, 1, &errors);
  config::number(cfg, "pattern_weight", 0, 0, 1, &errors);
  config::number(cfg, "drivers", 0, 1, static_cast<double>(kInputs), &errors);
  config::whole_number(cfg, "max_pattern_sources", size_t{16}, 1, 1024, &errors);
}

Config parse_config(const nlohmann::json& cfg) {
  agents::ModelSettings defaults;
  defaults.architecture = {static_cast<int64_t>(kInputs), static_cast<int64_t>(kInputs), {16, 6, 16}};
  defaults.learning_rate = 3e-3;
  Config c;
  c.agent = agents::parse_settings(cfg, defaults);
  c.baseline_alpha = config::number(cfg, "baseline_alpha", c.baseline_alpha, 1e-4, 1);
  c.pattern_weight = config::number(cfg, "pattern_weight", c.pattern_weight, 0, 1);
  c.drivers = static_cast<size_t>(config::number(cfg, "drivers", 3, 1, static_cast<double>(kInputs)));
  c.max_pattern_sources = config::whole_number(cfg, "max_pattern_sources", c.max_pattern_sources, 1, 1024);
  return c;
}

namespace {

// Features compared with the node's own baseline, on a scale where
// multiplicative changes (x0.2 hash rate, x10 tx) become additive.
struct Deviation {
  size_t feature;
  enum { kLog, kLog1p, kLinear } transform;
  double floor;  // smallest spread assumed, in transformed units
};
constexpr Deviation kDeviationSpec[kDeviations] = {
    {agents::kTxRate, Deviation::kLog1p, 0.3},   {agents::kHeightLag, Deviation::kLog1p, 0.3},
    {agents::kPeers, Deviation::kLog1p, 0.05},   {agents::kLatency, Deviation::kLog, 0.05},
    {agents::kBandwidth, Deviation::kLog1p, 0.05}, {agents::kQuality, Deviation::kLinear, 0.02},
    {agents::kCpu, Deviation::kLinear, 1.0},     {agents::kMemory, Deviation::kLinear, 1.0},
    {agents::kHashRate, Deviation::kLog, 0.05}};
constexpr uint64_t kBaselineMin = 10;   // examples before a node's deviations are used
constexpr uint64_t kErrorWarmup = 200;  // normal examples before scores mean anything
constexpr double kErrorAlpha = 0.002;
constexpr const char* kErrorStat = "log_reconstruction_error";  // shared in federation rounds
constexpr double kAnomalousScore = 0.5;  // counted as anomalous in the `anomalies` insight

std::optional<double> transformed(const TrainingExample& e, const Deviation& d) {
  if (!e.present[d.feature]) return std::nullopt;
  const double v = e.raw[d.feature];
  switch (d.transform) {
    case Deviation::kLog: return v > 0 ? std::optional<double>(std::log(v)) : std::nullopt;
    case Deviation::kLog1p: return std::log1p(std::max(0.0, v));
    case Deviation::kLinear: return v;
  }
  return std::nullopt;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

const std::array<std::string, kInputs>& AnalystEngine::input_names() {
  static const auto names = [] {
    std::array<std::string, kInputs> n;
    for (size_t i = 0; i < agents::kFeatureCount; ++i) n[i] = std::string(agents::kFeatureNames[i]);
    for (size_t i = 0; i < kDeviations; ++i)
      n[agents::kFeatureCount + i] = std::string(agents::kFeatureNames[kDeviationSpec[i].feature]) + " vs node baseline";
    return n;
  }();
  return names;
}

AnalystEngine::AnalystEngine(Config cfg)
    : cfg_(std::move(cfg)),
      model_(cfg_.agent.model),
      nodes_(cfg_.agent.max_nodes),
      patterns_(cfg_.max_pattern_sources),
      // Inputs are the producer's features: no column to rescale.
      federation_(cfg_.agent.federation, kAgentId, {},
                  agents::stat_hooks(mu_, {{kErrorStat, &log_error_, &local_log_error_}})) {}

std::vector<float> AnalystEngine::inputs(const TrainingExample& e, const NodeState* node) const {
  std::vector<float> x(e.features.begin(), e.features.end());
  for (const auto& d : kDeviationSpec) {
    double z = 0;
    const auto v = transformed(e, d);
    if (v && node && node->baseline[static_cast<size_t>(&d - kDeviationSpec)].count >= kBaselineMin)
      z = node->baseline[static_cast<size_t>(&d - kDeviationSpec)].z(*v, d.floor);
    x.push_back(static_cast<float>(std::clamp(z, -10.0, 10.0)));
  }
  return x;
}

std::vector<std::string> AnalystEngine::patterns_for(const TrainingExample& e) const {
  std::set<std::string> kinds(e.anomaly_kinds.begin(), e.anomaly_kinds.end());
  for (const auto& [source, nodes] : patterns_) {
    auto it = nodes.find(e.node_id);
    if (it != nodes.end()) kinds.insert(it->second.begin(), it->second.end());
  }
  return {kinds.begin(), kinds.end()};
}

Score AnalystEngine::score_with(const agents::DenseSnapshot& net, const TrainingExample& e, const NodeState* node) const {
  const auto x = inputs(e, node);
  const auto y = net.forward(x);
  Score s;
  std::vector<Driver> errs;
  double sum = 0;
  for (size_t i = 0; i < kInputs; ++i) {
    const double d = static_cast<double>(y[i]) - static_cast<double>(x[i]);
    sum += d * d;
    errs.push_back({input_names()[i], d * d});
  }
  s.reconstruction_error = sum / static_cast<double>(kInputs);
  if (log_error_.count >= kErrorWarmup) {
    s.reconstruction_z = log_error_.z(std::log(s.reconstruction_error + 1e-9), 0.1);
    s.autoencoder = sigmoid(s.reconstruction_z - 2.0);  // 0.5 at two standard deviations above normal
  }
  s.patterns = patterns_for(e);
  if (e.anomalous && s.patterns.empty()) s.patterns.push_back("unspecified");
  const double p = s.patterns.empty() ? 0.0 : cfg_.pattern_weight;
  s.score = 1.0 - (1.0 - s.autoencoder) * (1.0 - p);
  std::partial_sort(errs.begin(), errs.begin() + static_cast<long>(std::min(cfg_.drivers, errs.size())), errs.end(),
                    [](const Driver& a, const Driver& b) { return a.error > b.error; });
  errs.resize(std::min(cfg_.drivers, errs.size()));
  s.drivers = std::move(errs);
  return s;
}

Score AnalystEngine::score(const TrainingExample& e) const {
  const auto net = model_.snapshot();
  std::lock_guard lock(mu_);
  return score_with(*net, e, nodes_.find(e.node_id));
}

void AnalystEngine::on_patterns(PatternUpdate update, const std::string& source) {
  if (!update.has_active) return;
  std::lock_guard lock(mu_);
  ++pattern_insights_;
  // Bounded: past max_pattern_sources the least recently heard source goes
  // (counted and warned through the plugin's StateCaps, like the node table).
  patterns_.touch(source) = std::move(update.active);
}

size_t AnalystEngine::learn_batch(std::vector<agents::AgentInput<PatternUpdate>> batch) {
  std::vector<TrainingExample> examples;
  size_t steps = 0;
  for (auto& [topic, update, parsed] : batch) {
    if (topic == "patterns") {
      // Examples so far were produced before this pattern update: learn them first.
      steps += learn(examples);
      examples.clear();
      on_patterns(std::move(update), "patterns");
      continue;
    }
    if (!parsed.usable) continue;
    {
      std::lock_guard lock(mu_);
      skipped_ += parsed.skipped;
    }
    std::move(parsed.examples.begin(), parsed.examples.end(), std::back_inserter(examples));
  }
  steps += learn(examples);
  agents::federate_if_due(model_, federation_);
  return steps;
}

size_t AnalystEngine::learn(const std::vector<TrainingExample>& examples, bool train) {
  if (examples.empty()) return 0;
  return model_.with_model([&](agents::EvolvingModel& model) -> size_t {
    const auto net = model.snapshot();
    size_t fresh = 0;
    {
      std::lock_guard lock(mu_);
      for (const auto& e : examples) {
        ++examples_;
        NodeState& node = nodes_.touch(e.node_id);
        const Score s = score_with(*net, e, &node);
        const bool flagged = !s.patterns.empty();
        flagged_ += flagged;
        const bool warm = node.baseline[0].count + node.baseline[2].count >= kBaselineMin;
        if (train && !flagged && warm) {
          // Normal data: it defines "reconstructs well" and what a normal error is.
          if (model.steps() > 0) {
            const double log_error = std::log(s.reconstruction_error + 1e-9);
            log_error_.add(log_error, kErrorAlpha);
            local_log_error_.add(log_error, kErrorAlpha);
          }
          agents::Sample sample;
          sample.x = inputs(e, &node);
          sample.y = sample.x;
          sample.mask.assign(kInputs, 1.0f);
          model.add(std::move(sample));
          ++fresh;
          ++trained_on_;
        }
        // Suspicious intervals barely move the baseline, so an incident does
        // not become the node's new normal while it lasts.
        const double alpha = (flagged || s.autoencoder > 0.9) ? cfg_.baseline_alpha * 0.1 : cfg_.baseline_alpha;
        for (size_t i = 0; i < kDeviations; ++i)
          if (const auto v = transformed(e, kDeviationSpec[i])) node.baseline[i].add(*v, alpha);
        node.chain_id = e.chain_id;
        node.timestamp = e.timestamp;
        node.last = s;
        node.scored = true;
        node.unpublished = true;
        new_evidence_.saw(e.timestamp);
      }
    }
    return train ? model.train(fresh) : 0;
  });
}

nlohmann::json AnalystEngine::evaluate(const std::vector<TrainingExample>& examples) {
  std::vector<agents::Sample> samples;
  {
    std::lock_guard lock(mu_);
    for (const auto& e : examples) {
      if (e.anomalous) continue;  // the autoencoder's loss is defined on normal data
      agents::Sample s;
      s.x = inputs(e, nodes_.find(e.node_id));
      s.y = s.x;
      s.mask.assign(kInputs, 1.0f);
      samples.push_back(std::move(s));
    }
  }
  return agents::evaluate_samples(model_, samples);
}

nlohmann::json AnalystEngine::node_json(const std::string& id, const NodeState& n) const {
  nlohmann::json drivers = nlohmann::json::array();
  for (const auto& d : n.last.drivers) drivers.push_back({{"feature", d.feature}, {"error", d.error}});
  return {{"node_id", id},
          {"chain_id", n.chain_id},
          {"as_of", n.timestamp},
          {"score", n.last.score},
          {"autoencoder_score", n.last.autoencoder},
          {"reconstruction_z", n.last.reconstruction_z},
          {"reconstruction_error", n.last.reconstruction_error},
          {"patterns", n.last.patterns},
          {"drivers", drivers}};
}

nlohmann::json AnalystEngine::query(const nlohmann::json& req) {
  if (!req.is_object()) throw Error(NEBULA_INVALID, "query must be a JSON object");
  if (req.contains("action"))
    return agents::answer_model_action(req, model_, federation_, [this](const auto& e) { return evaluate(e); });
  const int version = model_.version();
  std::lock_guard lock(mu_);
  if (req.contains("node_id")) {
    if (!req["node_id"].is_string()) throw Error(NEBULA_INVALID, "node_id must be a string");
    const auto id = req["node_id"].get<std::string>();
    const NodeState* n = nodes_.find(id);
    if (!n || !n->scored) throw Error(NEBULA_INVALID, "unknown node_id '" + id + "'");
    auto out = node_json(id, *n);
    out["model_version"] = version;
    return out;
  }
  size_t limit = 10;
  if (req.contains("limit")) {
    if (!req["limit"].is_number_integer() || req["limit"].get<long long>() < 1)
      throw Error(NEBULA_INVALID, "limit must be a positive integer");
    limit = req["limit"].get<size_t>();
  }
  std::vector<std::pair<const std::string*, const NodeState*>> rows;
  for (const auto& [id, n] : nodes_.oldest_first())
    if (n.scored) rows.emplace_back(&id, &n);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second->last.score != b.second->last.score ? a.second->last.score > b.second->last.score : *a.first < *b.first;
  });
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < rows.size() && i < limit; ++i) nodes.push_back(node_json(*rows[i].first, *rows[i].second));
  return {{"nodes", nodes}, {"count", rows.size()}, {"model_version", version}};
}

std::optional<double> AnalystEngine::unpublished_as_of() const {
  std::lock_guard lock(mu_);
  return new_evidence_.as_of();
}

nlohmann::json AnalystEngine::evidence_document(size_t max_nodes) const {
  const int version = model_.version();
  std::lock_guard lock(mu_);
  std::vector<agents::RankedNode<NodeState>> rows;
  size_t anomalous = 0;
  for (const auto& [id, n] : nodes_)
    if (n.unpublished) {
      rows.push_back({n.last.score, &id, &n});
      anomalous += n.last.score >= kAnomalousScore;
    }
  const size_t listed = agents::rank_first(rows, max_nodes, agents::Notable::Highest);
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < listed; ++i) nodes.push_back(node_json(*rows[i].id, *rows[i].state));
  return {{"kind", "anomalies"},
          {"generated_at", new_evidence_.generated_at()},
          {"model_version", version},
          {"calibrated", log_error_.count >= kErrorWarmup},
          {"counts", {{"scored", rows.size()}, {"listed", listed}, {"anomalous", anomalous}, {"tracked", nodes_.size()}}},
          {"nodes", std::move(nodes)}};
}

void AnalystEngine::mark_published() {
  std::lock_guard lock(mu_);
  for (auto& [id, n] : nodes_) n.unpublished = false;
  new_evidence_.clear();
}

size_t AnalystEngine::anomalous_nodes() const {
  std::lock_guard lock(mu_);
  size_t anomalous = 0;
  for (const auto& [id, n] : nodes_) anomalous += n.scored && n.last.score >= kAnomalousScore;
  return anomalous;
}

StateTable AnalystEngine::node_table() const {
  std::lock_guard lock(mu_);
  return state_table("nodes", "max_nodes", nodes_);
}

StateTable AnalystEngine::pattern_source_table() const {
  std::lock_guard lock(mu_);
  return state_table("pattern_sources", "max_pattern_sources", patterns_);
}

nlohmann::json AnalystEngine::stats() const {
  nlohmann::json s = model_.stats();
  std::lock_guard lock(mu_);
  s["examples"] = examples_;
  s["examples_skipped"] = skipped_;
  s["examples_trained_on"] = trained_on_;
  s["examples_flagged"] = flagged_;
  s["pattern_insights"] = pattern_insights_;
  s["nodes_tracked"] = nodes_.size();
  s["nodes_evicted"] = nodes_.evictions();
  s["log_reconstruction_error"] = {{"mean", log_error_.mean}, {"std", std::sqrt(log_error_.var)}, {"count", log_error_.count}};
  s["federation"] = federation_.stats();
  return s;
}

nlohmann::json AnalystEngine::state_json() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& [id, n] : nodes_.oldest_first()) {
    nlohmann::json base = nlohmann::json::array();
    for (const auto& b : n.baseline) base.push_back(b.to_json());
    nodes.push_back({{"id", id}, {"chain", n.chain_id}, {"ts", n.timestamp}, {"base", base}});
  }
  return {{"log_error", log_error_.to_json()},
          {"local_log_error", local_log_error_.to_json()},
          {"nodes", nodes},
          {"counters", {examples_, skipped_, trained_on_, flagged_, pattern_insights_}}};
}

void AnalystEngine::save(std::ostream& out) {
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

void AnalystEngine::load(std::istream& in) {
  const auto reader = agents::read_agent_checkpoint(in, kAgentId);
  const auto j = nlohmann::json::parse(reader.at("agent.state"), nullptr, false);
  if (!j.is_object()) throw Error(NEBULA_INVALID, "damaged agent checkpoint: agent.state is not JSON");
  agents::RunningStat log_error, local_log_error;
  LruMap<NodeState> nodes(cfg_.agent.max_nodes);
  std::array<uint64_t, 5> counters{};
  try {
    log_error = agents::RunningStat::from_json(j.at("log_error"));
    // Checkpoints from before federation: everything in use was observed here.
    local_log_error = agents::RunningStat::from_json(j.contains("local_log_error") ? j["local_log_error"] : j["log_error"]);
    for (const auto& n : j.at("nodes")) {
      NodeState& s = nodes.touch(n.at("id").get<std::string>());
      s.chain_id = n.at("chain").get<std::string>();
      s.timestamp = n.at("ts").get<double>();
      const auto& base = n.at("base");
      if (!base.is_array() || base.size() != kDeviations) throw Error(NEBULA_INVALID, "damaged agent checkpoint: node baseline");
      for (size_t i = 0; i < kDeviations; ++i) s.baseline[i] = agents::RunningStat::from_json(base[i]);
    }
    for (size_t i = 0; i < counters.size(); ++i) counters[i] = j.at("counters").at(i).get<uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(NEBULA_INVALID, std::string("damaged agent checkpoint: agent.state: ") + e.what());
  }
  model_.load(reader);
  federation_.load(reader);
  std::lock_guard lock(mu_);
  log_error_ = log_error;
  local_log_error_ = local_log_error;
  nodes_ = std::move(nodes);
  examples_ = counters[0];
  skipped_ = counters[1];
  trained_on_ = counters[2];
  flagged_ = counters[3];
  pattern_insights_ = counters[4];
}

}  // namespace nebula::analyst
