#include "archivist_engine.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nebula/config_helpers.hpp>

#include "nebula_agents/model_actions.hpp"
#include "nebula_agents/ranked_nodes.hpp"

namespace nebula::archivist {

using agents::kFeatureCount;
using agents::TrainingExample;

std::vector<std::string> extra_config_keys() { return {"mae_window", "freeze_target_scale_after"}; }

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  agents::validate_settings(cfg, extra_config_keys(), errors);
  config::number(cfg, "mae_window", 0, 1, 1e6, &errors);
  config::number(cfg, "freeze_target_scale_after", 0, 10, 1e12, &errors);
}

Config parse_config(const nlohmann::json& cfg) {
  agents::ModelSettings defaults;
  defaults.architecture = {static_cast<int64_t>(kFeatureCount), 2, {32, 32}};
  defaults.learning_rate = 3e-3;
  Config c;
  c.agent = agents::parse_settings(cfg, defaults);
  c.mae_window = static_cast<size_t>(config::number(cfg, "mae_window", 200, 1, 1e6));
  c.freeze_target_scale_after = static_cast<uint64_t>(config::number(cfg, "freeze_target_scale_after", 2000, 10, 1e12));
  return c;
}

namespace {

constexpr double kScaleAlpha = 0.0;  // exact mean/std until frozen
constexpr double kMaxGapS = 600;
constexpr uint64_t kScaleWarmup = 256;  // target values seen before training starts
constexpr double kScaleFloor = 0.05;    // std floor of a log-scale     // an older previous example is not "the last interval"
// The target scales the model's two outputs are standardised with.
constexpr const char* kBlocksScale = "log1p_blocks";
constexpr const char* kTransactionsScale = "log1p_transactions";

double to_count(double log_value) { return std::max(0.0, std::expm1(log_value)); }
// Smallest running MAE a node's miss is divided by (counts per interval), so a
// chain whose model is nearly exact does not make every small miss look huge.
constexpr double kBlocksMaeFloor = 0.1, kTransactionsMaeFloor = 1.0;

}  // namespace

ArchivistEngine::ArchivistEngine(Config cfg)
    : cfg_(std::move(cfg)),
      model_(cfg_.agent.model),
      nodes_(cfg_.agent.max_nodes),
      overall_blocks_(cfg_.mae_window * 10),
      overall_transactions_(cfg_.mae_window * 10),
      federation_(cfg_.agent.federation, kAgentId,
                  {{kBlocksScale, kScaleFloor, true, 0}, {kTransactionsScale, kScaleFloor, true, 1}},
                  agents::stat_hooks(mu_, {{kBlocksScale, &scales_.blocks, &local_scales_.blocks},
                                           {kTransactionsScale, &scales_.transactions, &local_scales_.transactions}})) {}

ArchivistEngine::NodeState ArchivistEngine::new_node() const {
  NodeState n;
  n.blocks = agents::MaeWindow(cfg_.mae_window);
  n.transactions = agents::MaeWindow(cfg_.mae_window);
  return n;
}

ArchivistEngine::ChainState ArchivistEngine::new_chain() const {
  return {agents::MaeWindow(cfg_.mae_window * 5), agents::MaeWindow(cfg_.mae_window * 5), ForecastTally{}, ForecastTally{}};
}

Forecast ArchivistEngine::forecast_with(const agents::DenseSnapshot& net, const std::array<float, kFeatureCount>& f,
                                        const Scales& scales) const {
  const auto y = net.forward(f);
  Forecast out;
  out.next_blocks = to_count(y[0] * scales.blocks.std_or(kScaleFloor) + scales.blocks.mean);
  out.next_transactions = to_count(y[1] * scales.transactions.std_or(kScaleFloor) + scales.transactions.mean);
  return out;
}

Forecast ArchivistEngine::forecast(const TrainingExample& e) const {
  const auto net = model_.snapshot();
  Scales scales;
  {
    std::lock_guard lock(mu_);
    scales = scales_;
  }
  return forecast_with(*net, e.features, scales);
}

agents::Sample ArchivistEngine::to_sample(const TrainingExample& e) const {
  agents::Sample s;
  s.x.assign(e.features.begin(), e.features.end());
  s.y = {0, 0};
  s.mask = {0, 0};
  if (e.next_blocks && *e.next_blocks >= 0) {
    s.y[0] = static_cast<float>(std::clamp(scales_.blocks.z(std::log1p(*e.next_blocks), kScaleFloor), -10.0, 10.0));
    s.mask[0] = 1;
  }
  if (e.next_transactions && *e.next_transactions >= 0) {
    s.y[1] = static_cast<float>(std::clamp(scales_.transactions.z(std::log1p(*e.next_transactions), kScaleFloor), -10.0, 10.0));
    s.mask[1] = 1;
  }
  return s;
}

size_t ArchivistEngine::learn_batch(std::vector<agents::DomInput> batch) {
  std::vector<TrainingExample> examples;
  for (auto& [topic, doc, parsed] : batch) {
    if (topic == "blockchain") {
      std::lock_guard lock(mu_);
      ++blockchain_insights_;
      continue;
    }
    std::lock_guard lock(mu_);
    if (!parsed.usable) continue;
    ++learning_insights_;
    skipped_ += parsed.skipped;
    std::move(parsed.examples.begin(), parsed.examples.end(), std::back_inserter(examples));
  }
  const size_t steps = learn(examples);
  agents::federate_if_due(model_, federation_);
  return steps;
}

size_t ArchivistEngine::learn(const std::vector<TrainingExample>& examples) {
  if (examples.empty()) return 0;
  return model_.with_model([&](agents::EvolvingModel& model) {
    const auto net = model.snapshot();
    size_t fresh = 0;
    {
      std::lock_guard lock(mu_);
      for (const auto& e : examples) {
        ++examples_;
        const auto observe = [&](agents::RunningStat& in_use, agents::RunningStat& local, double v) {
          if (in_use.count < cfg_.freeze_target_scale_after) in_use.add(v, kScaleAlpha);
          if (local.count < cfg_.freeze_target_scale_after) local.add(v, kScaleAlpha);
        };
        if (e.next_blocks && *e.next_blocks >= 0) observe(scales_.blocks, local_scales_.blocks, std::log1p(*e.next_blocks));
        if (e.next_transactions && *e.next_transactions >= 0)
          observe(scales_.transactions, local_scales_.transactions, std::log1p(*e.next_transactions));

        NodeState& node = nodes_.touch(e.node_id);
        if (node.timestamp == 0) node = new_node();
        ChainState& chain = chains_.try_emplace(e.chain_id, new_chain()).first->second;
        const bool consecutive = node.timestamp > 0 && e.timestamp > node.timestamp && e.timestamp - node.timestamp <= kMaxGapS;
        // Out-of-sample check first: the model has not trained on e yet.
        if (model.steps() > 0) {
          const Forecast f = forecast_with(*net, e.features, scales_);
          check_forecast(f, e, node, chain);
          if (e.next_blocks && e.present[agents::kBlocks]) {
            const double m = std::abs(f.next_blocks - *e.next_blocks);
            const double n = std::abs(e.raw[agents::kBlocks] - *e.next_blocks);  // blocks of the last interval
            node.blocks.add(m, n);
            chain.blocks.add(m, n);
            overall_blocks_.add(m, n);
          }
          if (e.next_transactions && consecutive && node.last_transactions) {
            const double m = std::abs(f.next_transactions - *e.next_transactions);
            const double n = std::abs(*node.last_transactions - *e.next_transactions);
            node.transactions.add(m, n);
            chain.transactions.add(m, n);
            overall_transactions_.add(m, n);
          }
        }
        node.chain_id = e.chain_id;
        node.timestamp = e.timestamp;
        node.features = e.features;
        node.last_transactions = e.next_transactions;
        if (e.next_blocks || e.next_transactions) pending_.push_back(e);
      }
      // Targets are standardised with the running log-scales; until those
      // have seen enough values, examples wait (a scale from 3 values would
      // turn ordinary targets into huge outliers that stay in the reservoir).
      if (scales_.blocks.count >= kScaleWarmup || scales_.transactions.count >= kScaleWarmup) {
        for (const auto& p : pending_) {
          agents::Sample s = to_sample(p);
          if (s.mask[0] + s.mask[1] > 0) {
            model.add(std::move(s));
            ++fresh;
          }
        }
        pending_.clear();
      }
    }
    return model.train(fresh);
  });
}

void ArchivistEngine::check_forecast(const Forecast& f, const TrainingExample& e, NodeState& node, ChainState& chain) {
  const bool blocks = e.next_blocks && *e.next_blocks >= 0;
  const bool transactions = e.next_transactions && *e.next_transactions >= 0;
  if (!blocks && !transactions) return;
  node.checked_blocks.reset();
  node.checked_transactions.reset();
  if (blocks) {
    node.checked_blocks = ForecastCheck{f.next_blocks, *e.next_blocks};
    chain.blocks_since.add(*node.checked_blocks);
  }
  if (transactions) {
    node.checked_transactions = ForecastCheck{f.next_transactions, *e.next_transactions};
    chain.transactions_since.add(*node.checked_transactions);
  }
  new_evidence_.saw(e.timestamp);
}

double ArchivistEngine::relative_error(const NodeState& n) const {
  const auto chain = chains_.find(n.chain_id);
  const double blocks_mae = chain == chains_.end() ? 0 : chain->second.blocks.model();
  const double txs_mae = chain == chains_.end() ? 0 : chain->second.transactions.model();
  double worst = 0;
  if (n.checked_blocks) worst = std::max(worst, n.checked_blocks->abs_error() / std::max(blocks_mae, kBlocksMaeFloor));
  if (n.checked_transactions)
    worst = std::max(worst, n.checked_transactions->abs_error() / std::max(txs_mae, kTransactionsMaeFloor));
  return worst;
}

nlohmann::json ArchivistEngine::checked_node_json(const std::string& node_id, const NodeState& n) const {
  return {{"node_id", node_id},
          {"chain_id", n.chain_id},
          {"as_of", n.timestamp},
          {"relative_error", relative_error(n)},
          {"next_blocks", to_json(n.checked_blocks)},
          {"next_transactions", to_json(n.checked_transactions)}};
}

std::optional<double> ArchivistEngine::unpublished_as_of() const {
  std::lock_guard lock(mu_);
  return new_evidence_.as_of();
}

nlohmann::json ArchivistEngine::evidence_document(size_t max_nodes) const {
  const int version = model_.version();
  std::lock_guard lock(mu_);
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& [id, c] : chains_) {
    if (c.blocks_since.empty() && c.transactions_since.empty()) continue;
    chains.push_back({{"chain_id", id},
                      {"next_blocks", c.blocks_since.to_json()},
                      {"next_transactions", c.transactions_since.to_json()},
                      {"running_mae", {{"next_blocks", c.blocks.to_json()}, {"next_transactions", c.transactions.to_json()}}}});
  }
  std::vector<agents::RankedNode<NodeState>> rows;
  for (const auto& [id, n] : nodes_)
    if (n.checked_blocks || n.checked_transactions) rows.push_back({relative_error(n), &id, &n});
  const size_t listed = agents::rank_first(rows, max_nodes, agents::Notable::Highest);
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < listed; ++i) nodes.push_back(checked_node_json(*rows[i].id, *rows[i].state));
  return {{"kind", "forecasts"},
          {"generated_at", new_evidence_.generated_at()},
          {"model_version", version},
          {"counts", {{"checked", rows.size()}, {"listed", listed}, {"tracked", nodes_.size()}}},
          {"chains", std::move(chains)},
          {"nodes", std::move(nodes)},
          {"running_mae",
           {{"next_blocks", overall_blocks_.to_json()}, {"next_transactions", overall_transactions_.to_json()}}}};
}

void ArchivistEngine::mark_published() {
  std::lock_guard lock(mu_);
  for (auto& [id, n] : nodes_) {
    n.checked_blocks.reset();
    n.checked_transactions.reset();
  }
  for (auto& [id, c] : chains_) c.blocks_since = c.transactions_since = ForecastTally{};
  new_evidence_.clear();
}

nlohmann::json ArchivistEngine::evaluate(const std::vector<TrainingExample>& examples) {
  std::vector<agents::Sample> samples;
  // Also in counts: the loss is in this agent's own target units, the MAE
  // compares any two agents (e.g. hosts whose normalisations differ).
  const auto net = model_.snapshot();
  double abs_blocks = 0, abs_txs = 0;
  size_t n_blocks = 0, n_txs = 0;
  {
    std::lock_guard lock(mu_);
    for (const auto& e : examples) {
      auto s = to_sample(e);
      if (s.mask[0] + s.mask[1] == 0) continue;
      const Forecast f = forecast_with(*net, e.features, scales_);
      if (s.mask[0] > 0) abs_blocks += std::abs(f.next_blocks - *e.next_blocks), ++n_blocks;
      if (s.mask[1] > 0) abs_txs += std::abs(f.next_transactions - *e.next_transactions), ++n_txs;
      samples.push_back(std::move(s));
    }
  }
  auto out = agents::evaluate_samples(model_, samples);
  auto mean = [](double sum, size_t n) { return n ? nlohmann::json(sum / static_cast<double>(n)) : nlohmann::json(nullptr); };
  out["mae"] = {{"next_blocks", mean(abs_blocks, n_blocks)}, {"next_transactions", mean(abs_txs, n_txs)}};
  return out;
}

nlohmann::json ArchivistEngine::node_answer(const std::string& node_id, const NodeState& n,
                                            const agents::DenseSnapshot& net) const {
  const Forecast f = forecast_with(net, n.features, scales_);
  return {{"node_id", node_id},
          {"chain_id", n.chain_id},
          {"as_of", n.timestamp},
          {"forecast", {{"next_blocks", f.next_blocks}, {"next_transactions", f.next_transactions}}},
          {"recent_mae", {{"next_blocks", n.blocks.to_json()}, {"next_transactions", n.transactions.to_json()}}}};
}

nlohmann::json ArchivistEngine::chain_answer(const std::string& chain_id, const agents::DenseSnapshot& net) const {
  double blocks = 0, txs = 0, latest = 0;
  size_t nodes = 0;
  for (const auto& [id, n] : nodes_.oldest_first()) {
    if (n.chain_id != chain_id) continue;
    const Forecast f = forecast_with(net, n.features, scales_);
    blocks += f.next_blocks;
    txs += f.next_transactions;
    latest = std::max(latest, n.timestamp);
    ++nodes;
  }
  nlohmann::json out = {{"chain_id", chain_id}, {"nodes", nodes}, {"as_of", latest}};
  const double k = nodes ? static_cast<double>(nodes) : 1.0;
  out["forecast_per_node"] = {{"next_blocks", blocks / k}, {"next_transactions", txs / k}};
  auto it = chains_.find(chain_id);
  if (it != chains_.end())
    out["recent_mae"] = {{"next_blocks", it->second.blocks.to_json()},
                         {"next_transactions", it->second.transactions.to_json()}};
  return out;
}

nlohmann::json ArchivistEngine::query(const nlohmann::json& req) {
  if (!req.is_object()) throw Error(NEBULA_INVALID, "query must be a JSON object");
  if (req.contains("action"))
    return agents::answer_model_action(req, model_, federation_, [this](const auto& e) { return evaluate(e); });
  const auto net = model_.snapshot();
  const int version = model_.version();
  std::lock_guard lock(mu_);
  nlohmann::json out;
  if (req.contains("node_id")) {
    if (!req["node_id"].is_string()) throw Error(NEBULA_INVALID, "node_id must be a string");
    const auto id = req["node_id"].get<std::string>();
    const NodeState* n = nodes_.find(id);
    if (!n) throw Error(NEBULA_INVALID, "unknown node_id '" + id + "' (no training example seen for it)");
    out = node_answer(id, *n, *net);
  } else if (req.contains("chain_id")) {
    if (!req["chain_id"].is_string()) throw Error(NEBULA_INVALID, "chain_id must be a string");
    const auto id = req["chain_id"].get<std::string>();
    if (!chains_.count(id)) throw Error(NEBULA_INVALID, "unknown chain_id '" + id + "'");
    out = chain_answer(id, *net);
  } else {
    out["chains"] = nlohmann::json::array();
    for (const auto& [id, c] : chains_) out["chains"].push_back(chain_answer(id, *net));
    out["nodes"] = nodes_.size();
    out["recent_mae"] = {{"next_blocks", overall_blocks_.to_json()},
                         {"next_transactions", overall_transactions_.to_json()}};
  }
  out["model_version"] = version;
  return out;
}

StateTable ArchivistEngine::node_table() const {
  std::lock_guard lock(mu_);
  return state_table("nodes", "max_nodes", nodes_);
}

nlohmann::json ArchivistEngine::stats() const {
  nlohmann::json s = model_.stats();
  std::lock_guard lock(mu_);
  s["examples"] = examples_;
  s["examples_skipped"] = skipped_;
  s["learning_insights"] = learning_insights_;
  s["blockchain_insights"] = blockchain_insights_;
  s["nodes_tracked"] = nodes_.size();
  s["nodes_evicted"] = nodes_.evictions();
  s["recent_mae"] = {{"next_blocks", overall_blocks_.to_json()}, {"next_transactions", overall_transactions_.to_json()}};
  s["target_scales"] = {{"log1p_blocks", scales_.blocks.to_json()}, {"log1p_transactions", scales_.transactions.to_json()}};
  s["federation"] = federation_.stats();
  return s;
}

nlohmann::json ArchivistEngine::state_json() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& [id, n] : nodes_.oldest_first())  // oldest first: restoring in order keeps the LRU order
    nodes.push_back({{"id", id},
                     {"chain", n.chain_id},
                     {"ts", n.timestamp},
                     {"f", n.features},
                     {"last_tx", n.last_transactions ? nlohmann::json(*n.last_transactions) : nlohmann::json(nullptr)},
                     {"mae_b", n.blocks.dump()},
                     {"mae_t", n.transactions.dump()}});
  nlohmann::json chains = nlohmann::json::object();
  for (const auto& [id, c] : chains_) chains[id] = {{"mae_b", c.blocks.dump()}, {"mae_t", c.transactions.dump()}};
  return {{"scales", {scales_.blocks.to_json(), scales_.transactions.to_json()}},
          {"local_scales", {local_scales_.blocks.to_json(), local_scales_.transactions.to_json()}},
          {"nodes", nodes},
          {"chains", chains},
          {"overall", {overall_blocks_.dump(), overall_transactions_.dump()}},
          {"counters", {examples_, skipped_, learning_insights_, blockchain_insights_}}};
}

ArchivistEngine::Restored ArchivistEngine::parse_state(const nlohmann::json& j) const {
  Restored r{{}, {}, LruMap<NodeState>(cfg_.agent.max_nodes), {}, agents::MaeWindow(cfg_.mae_window * 10),
             agents::MaeWindow(cfg_.mae_window * 10), {}};
  r.scales = {agents::RunningStat::from_json(j.at("scales").at(0)), agents::RunningStat::from_json(j.at("scales").at(1))};
  // Checkpoints from before federation: everything in use was observed here.
  const auto& local = j.contains("local_scales") ? j["local_scales"] : j.at("scales");
  r.local_scales = {agents::RunningStat::from_json(local.at(0)), agents::RunningStat::from_json(local.at(1))};
  for (const auto& n : j.at("nodes")) {  // oldest first: restoring in order keeps the LRU order
    NodeState& s = r.nodes.touch(n.at("id").get<std::string>());
    s = new_node();
    s.chain_id = n.at("chain").get<std::string>();
    s.timestamp = n.at("ts").get<double>();
    s.features = n.at("f").get<std::array<float, kFeatureCount>>();
    if (n.at("last_tx").is_number()) s.last_transactions = n["last_tx"].get<double>();
    s.blocks.restore(n.at("mae_b"));
    s.transactions.restore(n.at("mae_t"));
  }
  for (auto it = j.at("chains").begin(); it != j.at("chains").end(); ++it) {
    ChainState c = new_chain();
    c.blocks.restore(it.value().at("mae_b"));
    c.transactions.restore(it.value().at("mae_t"));
    r.chains.emplace(it.key(), std::move(c));
  }
  r.overall_blocks.restore(j.at("overall").at(0));
  r.overall_transactions.restore(j.at("overall").at(1));
  for (size_t i = 0; i < r.counters.size(); ++i) r.counters[i] = j.at("counters").at(i).get<uint64_t>();
  return r;
}

void ArchivistEngine::save(std::ostream& out) {
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

void ArchivistEngine::load(std::istream& in) {
  const auto reader = agents::read_agent_checkpoint(in, kAgentId);
  const auto state = nlohmann::json::parse(reader.at("agent.state"), nullptr, false);
  if (!state.is_object()) throw Error(NEBULA_INVALID, "damaged agent checkpoint: agent.state is not JSON");
  Restored r = [&] {
    try {
      return parse_state(state);
    } catch (const nlohmann::json::exception& e) {
      throw Error(NEBULA_INVALID, std::string("damaged agent checkpoint: agent.state: ") + e.what());
    }
  }();
  model_.load(reader);  // swaps only on success; nothing of ours changed before this point
  federation_.load(reader);
  std::lock_guard lock(mu_);
  scales_ = r.scales;
  local_scales_ = r.local_scales;
  nodes_ = std::move(r.nodes);
  chains_ = std::move(r.chains);
  overall_blocks_ = std::move(r.overall_blocks);
  overall_transactions_ = std::move(r.overall_transactions);
  examples_ = r.counters[0];
  skipped_ = r.counters[1];
  learning_insights_ = r.counters[2];
  blockchain_insights_ = r.counters[3];
}

}  // namespace nebula::archivist
