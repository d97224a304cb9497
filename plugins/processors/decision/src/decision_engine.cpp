#include "nebula_decision/decision_engine.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <nebula_insights/json_tape.hpp>
#include <nebula_insights/nlohmann_copy.hpp>

#include "nebula_decision/agent_priority.hpp"
#include "nebula_decision/chain_observer.hpp"
#include "nebula_decision/enrichment_rules.hpp"
#include "nebula_decision/incident_rules.hpp"
#include "nebula_decision/json_read.hpp"
#include "reason_text.hpp"

namespace nebula::decision {

using nlohmann::json;

DecisionEngine::DecisionEngine(DecisionConfig config)
    : config_(std::move(config)), history_(static_cast<std::size_t>(config_.max_nodes)),
      agents_(static_cast<std::size_t>(config_.max_nodes), static_cast<std::size_t>(config_.max_chains)),
      chain_recency_(static_cast<std::size_t>(config_.max_chains)) {}

DecisionEngine::Input DecisionEngine::classify(std::string_view topic, const std::string& kind) {
  if (kind == "patterns") return Input::Patterns;
  if (kind == "network") return Input::Network;
  if (kind == "block_data") return Input::BlockData;
  if (kind == "anomalies") return Input::Anomalies;
  if (kind == "health") return Input::Health;
  if (kind == "forecasts") return Input::Forecasts;
  if (!kind.empty()) return Input::Other;  // e.g. our own "decisions" looped back
  if (topic == "patterns") return Input::Patterns;
  if (topic == "network") return Input::Network;
  if (topic == "blockchain") return Input::BlockData;
  if (topic == "anomalies") return Input::Anomalies;
  if (topic == "health") return Input::Health;
  if (topic == "forecasts") return Input::Forecasts;
  return Input::Other;
}

std::optional<json> DecisionEngine::ingest(std::string_view topic, std::string_view source, std::string_view text) {
  if (!take(topic, source, text)) return std::nullopt;
  return decide_if_changed();
}

bool DecisionEngine::take(std::string_view topic, std::string_view source, std::string_view text) {
  // Through simdjson's tape: a `patterns` insight lists every open incident,
  // and nlohmann's lexer was most of reading it (perf, #15).
  const auto root = insights::parse_json_tape(text);
  if (!root || root->type() != simdjson::dom::element_type::OBJECT) {
    ++stats_.malformed;
    return false;
  }
  const Input in = classify(topic, text_at(*root, {"kind"}));
  if (in == Input::Other) {
    ++stats_.ignored;
    return false;
  }
  // A `patterns` insight's incident lists are most of it: they are read from
  // the tape (take_patterns), the rest is copied for the DOM readers.
  const json doc = in == Input::Patterns
                       ? insights::to_nlohmann_without(insights::object_of(*root), {"active", "started", "ended"})
                       : insights::to_nlohmann(*root);
  advance_clock(doc);
  switch (in) {
    case Input::Patterns:
      ++stats_.patterns;
      take_patterns(std::string(source), *root);
      store_chains(pattern_chains_, parse_pattern_chains(doc, clock_));
      break;
    case Input::Network:
      ++stats_.network;
      store_chains(network_, parse_network(doc, clock_));
      break;
    case Input::BlockData:
      ++stats_.block_data;
      store_chains(blocks_, parse_block_data(doc, clock_));
      break;
    case Input::Anomalies:
      ++stats_.anomalies;
      agents_.take_anomalies(doc);
      break;
    case Input::Health:
      ++stats_.health;
      agents_.take_health(doc);
      break;
    case Input::Forecasts:
      ++stats_.forecasts;
      agents_.take_forecasts(doc);
      break;
    case Input::Other: break;
  }
  // Per input, not per decision: a source or chain that went quiet must be
  // gone before a later input of the same cycle re-creates it.
  expire_inputs();
  return true;
}

std::optional<json> DecisionEngine::decide_if_changed() {
  const std::string before = last_signature_;
  json out = decide();
  if (!config_.emit_unchanged && last_signature_ == before) return std::nullopt;
  return out;
}

void DecisionEngine::advance_clock(const json& doc) {
  const double t = number_at(doc, {"generated_at", "timestamp"});
  if (std::isfinite(t) && (!has_clock_ || t > clock_)) {
    clock_ = t;
    has_clock_ = true;
  }
}

void DecisionEngine::take_patterns(const std::string& source, const simdjson::dom::element& doc) {
  if (!sources_.count(source) && sources_.size() >= static_cast<std::size_t>(config_.max_sources)) {
    auto oldest = std::min_element(sources_.begin(), sources_.end(),
                                   [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
    sources_.erase(oldest);
    ++stats_.evicted_sources;
  }
  SourceState& s = sources_[source];
  s.at = clock_;
  auto remember = [&](const IncidentView& inc) {
    if (!inc.node_id.empty()) history_.record(inc.node_id, inc.id, inc.kind, inc.start);
  };
  // `known`: views whose unchanged evidence a listed incident may share.
  auto each = [&](const char* key, const IncidentsById* known, auto&& fn) {
    if (const auto list = field_at(doc, {key}); list && list->type() == simdjson::dom::element_type::ARRAY)
      for (const simdjson::dom::element item : insights::array_of(*list))
        if (auto inc = parse_incident(item, known)) fn(*inc);
  };
  // Each view is parsed per list and moved into place, never copied.
  auto keep = [&s](IncidentView& inc) {
    IncidentView& slot = s.active[inc.id];
    slot = std::move(inc);
  };
  each("started", nullptr, remember);
  if (const auto list = field_at(doc, {"active"}); list && list->type() == simdjson::dom::element_type::ARRAY) {
    // The producer's complete current view replaces ours: incidents that are
    // no longer listed have ended, and their recommendations expire. One
    // listed again with the same evidence shares it rather than copying it
    // (copying and freeing it was ~2.5 % of the pool's CPU samples, #15).
    const IncidentsById before = std::move(s.active);
    s.active.clear();
    each("active", &before, [&](IncidentView& inc) {
      remember(inc);
      keep(inc);
    });
  } else {
    each("started", &s.active, keep);
    each("ended", nullptr, [&](const IncidentView& inc) { s.active.erase(inc.id); });
  }
}

template <class Facts>
void DecisionEngine::store_chains(std::map<std::string, Facts>& into, std::map<std::string, Facts> facts) {
  for (auto& [id, f] : facts) {
    into[id] = std::move(f);
    touch_chain(id);
  }
}

void DecisionEngine::touch_chain(const std::string& chain_id) {
  if (!chain_recency_.find(chain_id))
    if (const auto* victim = chain_recency_.next_victim()) {
      pattern_chains_.erase(victim->first);
      network_.erase(victim->first);
      blocks_.erase(victim->first);
      ++stats_.evicted_chains;
    }
  chain_recency_.touch(chain_id);
}

std::array<StateTable, 3> DecisionEngine::state_tables() const {
  return {{{"nodes", "max_nodes", history_.size(), history_.capacity(), history_.evictions()},
           state_table("chains", "max_chains", chain_recency_),
           {"sources", "max_sources", sources_.size(), static_cast<std::size_t>(config_.max_sources),
            stats_.evicted_sources}}};
}

void DecisionEngine::expire_inputs() {
  const double cutoff = clock_ - config_.input_ttl_s;
  std::erase_if(sources_, [&](const auto& kv) { return kv.second.at < cutoff; });
  std::erase_if(pattern_chains_, [&](const auto& kv) { return kv.second.at < cutoff; });
  std::erase_if(network_, [&](const auto& kv) { return kv.second.at < cutoff; });
  std::erase_if(blocks_, [&](const auto& kv) { return kv.second.at < cutoff; });
  agents_.expire(clock_ - config_.agent_evidence_ttl_s);
}

IncidentRefs DecisionEngine::all_active() const {
  // Ordered by id, the first source's view of an id wins.
  std::map<std::string_view, const IncidentView*> by_id;
  for (const auto& [src, s] : sources_)
    for (const auto& [id, inc] : s.active) by_id.emplace(id, &inc);
  IncidentRefs out;
  out.reserve(by_id.size());
  for (const auto& [id, inc] : by_id) out.emplace_back(*inc);
  return out;
}

json DecisionEngine::decide() {
  const auto active = all_active();
  std::vector<Recommendation> candidates = recommend_for_incidents(active, history_, config_, clock_);
  for (auto& r : recommend_from_network(network_)) candidates.push_back(std::move(r));
  for (auto& r : recommend_from_blocks(blocks_)) candidates.push_back(std::move(r));

  std::map<std::string, ChainInputs> chains;
  for (const auto& [id, f] : pattern_chains_) chains[id].patterns = &f;
  for (const auto& [id, f] : blocks_) chains[id].blocks = &f;
  for (const auto& [id, f] : network_) chains[id].network = &f;
  ChainObservations obs = observe_chains(chains, active, config_);
  for (auto& r : obs.recommendations) candidates.push_back(std::move(r));
  // Before ranking: the agents' findings may move a score (agent_priority.hpp).
  for (auto& r : candidates) apply_agent_evidence(r, agents_, clock_, config_.agent_score_step);

  std::size_t dropped = 0;
  std::vector<Recommendation> ranked =
      rank(std::move(candidates), static_cast<std::size_t>(config_.max_recommendations), &dropped);

  std::set<std::string> now_keys, before_keys;
  for (const auto& r : ranked) now_keys.insert(r.key());
  json added = json::array(), expired = json::array();
  for (const auto& r : current_) {
    before_keys.insert(r.key());
    if (!now_keys.count(r.key()))
      expired.push_back({{"action", action_name(r.action)}, {"target", r.target}, {"since", r.since}});
  }
  json recs = json::array();
  std::string signature;
  for (auto& r : ranked) {
    if (!before_keys.count(r.key())) added.push_back({{"action", action_name(r.action)}, {"target", r.target}});
    recs.push_back(to_json(r, std::move(r.evidence)));  // current_ keeps no evidence
    signature += r.key() + "@" + num(r.score, 2) + ";";
  }
  for (const auto& o : obs.observations) signature += o["chain_id"].get<std::string>() + "=" + o["status"].get<std::string>() + ";";
  last_signature_ = std::move(signature);
  current_ = std::move(ranked);

  json doc = {{"kind", "decisions"},
              {"generated_at", has_clock_ ? json(clock_) : json(nullptr)},
              {"recommendations", std::move(recs)},
              {"chain_observations", std::move(obs.observations)},
              {"added", std::move(added)},
              {"expired", std::move(expired)},
              {"active_incidents", active.size()},
              {"inputs",
               {{"patterns", stats_.patterns},
                {"network", stats_.network},
                {"block_data", stats_.block_data},
                {"anomalies", stats_.anomalies},
                {"health", stats_.health},
                {"forecasts", stats_.forecasts},
                {"ignored", stats_.ignored},
                {"malformed", stats_.malformed}}}};
  if (dropped) doc["truncated"] = dropped;
  return doc;
}

}  // namespace nebula::decision
