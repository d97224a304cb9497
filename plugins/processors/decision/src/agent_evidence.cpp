#include "nebula_decision/agent_evidence.hpp"

#include <algorithm>
#include <cmath>

#include "nebula_decision/json_read.hpp"

namespace nebula::decision {

namespace {

using nlohmann::json;

constexpr std::size_t kDriversCited = 3;

json number_or_null(const json& obj, const char* key) {
  const double v = number_at(obj, {key});
  return std::isfinite(v) ? json(v) : json(nullptr);
}

// The named numeric fields of obj[key]; null when obj[key] is not an object
// or lacks one of the `required` fields.
json numbers_of(const json& obj, const char* key, std::initializer_list<const char*> required,
                std::initializer_list<const char*> optional = {}) {
  const json* inner = field_at(obj, {key});
  if (!inner || !inner->is_object()) return nullptr;
  json out = json::object();
  for (const char* k : required) {
    const double v = number_at(*inner, {k});
    if (!std::isfinite(v)) return nullptr;
    out[k] = v;
  }
  for (const char* k : optional)
    if (const double v = number_at(*inner, {k}); std::isfinite(v)) out[k] = v;
  return out;
}

// What every agent document shares: its model version and newest record time.
struct DocHeader {
  json model_version;
  double generated_at;
};
DocHeader header_of(const json& doc) {
  const json* version = field_at(doc, {"model_version"});
  return {version && version->is_number_integer() ? *version : json(nullptr), number_at(doc, {"generated_at"})};
}

// Fills the fields every finding has; false when the entry names no node (or chain).
bool read_common(const json& entry, const DocHeader& h, const char* id_key, AgentFinding& f) {
  std::string id = text_at(entry, {id_key});
  if (id.empty()) return false;
  (std::string_view(id_key) == "node_id" ? f.node_id : f.chain_id) = std::move(id);
  if (f.chain_id.empty()) f.chain_id = text_at(entry, {"chain_id"});
  const double as_of = number_at(entry, {"as_of"});
  f.as_of = std::isfinite(as_of) ? as_of : h.generated_at;
  f.model_version = h.model_version;
  return std::isfinite(f.as_of);
}

// Keeps `f` unless the map already holds a finding about a newer record.
template <class Finding>
void keep_newest(LruMap<Finding>& into, const std::string& key, Finding f) {
  Finding& slot = into.touch(key);
  if (slot.cited.is_null() || f.as_of >= slot.as_of) slot = std::move(f);
}

const json* list_at(const json& doc, const char* key) {
  const json* list = field_at(doc, {key});
  return list && list->is_array() ? list : nullptr;
}

json drivers_of(const json& entry) {
  json out = json::array();
  if (const json* list = list_at(entry, "drivers"))
    for (const auto& d : *list) {
      std::string feature = text_at(d, {"feature"});
      const double error = number_at(d, {"error"});
      if (feature.empty() || !std::isfinite(error)) continue;
      out.push_back({{"feature", std::move(feature)}, {"error", error}});
      if (out.size() == kDriversCited) break;
    }
  return out;
}

json texts_of(const json& entry, const char* key) {
  json out = json::array();
  if (const json* list = list_at(entry, key))
    for (const auto& item : *list)
      if (item.is_string()) out.push_back(item);
  return out;
}

template <class Finding, class Better>
const Finding* best_of_chain(const LruMap<Finding>& findings, const std::string& chain_id, Better better) {
  const Finding* best = nullptr;
  for (const auto& [id, f] : findings)
    if (f.chain_id == chain_id && (!best || better(f, *best) || (!better(*best, f) && f.node_id < best->node_id)))
      best = &f;
  return best;
}

}  // namespace

AgentEvidence::AgentEvidence(std::size_t max_nodes, std::size_t max_chains)
    : analyst_(max_nodes), resonant_(max_nodes), forecast_nodes_(max_nodes), forecast_chains_(max_chains) {}

void AgentEvidence::take_anomalies(const json& doc) {
  const DocHeader h = header_of(doc);
  const json* calibrated = field_at(doc, {"calibrated"});
  const json* nodes = list_at(doc, "nodes");
  if (!nodes) return;
  for (const auto& entry : *nodes) {
    AnalystFinding f;
    f.score = number_at(entry, {"score"});
    if (!read_common(entry, h, "node_id", f) || !std::isfinite(f.score)) continue;
    const double autoencoder = number_at(entry, {"autoencoder_score"});
    f.autoencoder = std::isfinite(autoencoder) ? autoencoder : 0.0;
    f.calibrated = calibrated && calibrated->is_boolean() && calibrated->get<bool>();
    f.cited = {{"score", f.score},
               {"autoencoder_score", std::isfinite(autoencoder) ? json(autoencoder) : json(nullptr)},
               {"calibrated", f.calibrated},
               {"drivers", drivers_of(entry)},
               {"patterns", texts_of(entry, "patterns")}};
    const std::string key = f.node_id;
    keep_newest(analyst_, key, std::move(f));
  }
}

void AgentEvidence::take_health(const json& doc) {
  const DocHeader h = header_of(doc);
  const json* nodes = list_at(doc, "nodes");
  if (!nodes) return;
  for (const auto& entry : *nodes) {
    ResonantFinding f;
    f.health = number_at(entry, {"health"});
    if (!read_common(entry, h, "node_id", f) || !std::isfinite(f.health)) continue;
    f.band = text_at(entry, {"band"});
    auto measured = [&](const char* key) {
      const json* m = field_at(entry, {key});
      if (!m || !m->is_object()) return json(nullptr);
      return json{{"expected", number_or_null(*m, "expected")}, {"observed", number_or_null(*m, "observed")}};
    };
    f.cited = {{"health", f.health},
               {"band", f.band.empty() ? json(nullptr) : json(f.band)},
               {"latency_ms", measured("latency_ms")},
               {"peers", measured("peers")}};
    const std::string key = f.node_id;
    keep_newest(resonant_, key, std::move(f));
  }
}

void AgentEvidence::take_forecasts(const json& doc) {
  const DocHeader h = header_of(doc);
  if (const json* chains = list_at(doc, "chains"))
    for (const auto& entry : *chains) {
      AgentFinding f;
      if (!read_common(entry, h, "chain_id", f)) continue;
      const json* running = field_at(entry, {"running_mae"});
      auto running_model = [&](const char* metric) {
        const json* m = running ? field_at(*running, {metric}) : nullptr;
        return m ? number_or_null(*m, "model") : json(nullptr);
      };
      f.cited = {{"next_blocks", numbers_of(entry, "next_blocks", {"forecast", "actual", "error"}, {"examples", "abs_error"})},
                 {"next_transactions",
                  numbers_of(entry, "next_transactions", {"forecast", "actual", "error"}, {"examples", "abs_error"})},
                 {"running_mae", {{"next_blocks", running_model("next_blocks")},
                                  {"next_transactions", running_model("next_transactions")}}}};
      const std::string key = f.chain_id;
      keep_newest(forecast_chains_, key, std::move(f));
    }
  if (const json* nodes = list_at(doc, "nodes"))
    for (const auto& entry : *nodes) {
      AgentFinding f;
      if (!read_common(entry, h, "node_id", f)) continue;
      f.cited = {{"next_blocks", numbers_of(entry, "next_blocks", {"forecast", "actual", "error"})},
                 {"next_transactions", numbers_of(entry, "next_transactions", {"forecast", "actual", "error"})}};
      const std::string key = f.node_id;
      keep_newest(forecast_nodes_, key, std::move(f));
    }
}

void AgentEvidence::expire(double cutoff) {
  auto old = [cutoff](const std::string&, const auto& f) { return f.as_of < cutoff; };
  analyst_.erase_if(old);
  resonant_.erase_if(old);
  forecast_nodes_.erase_if(old);
  forecast_chains_.erase_if(old);
}

const AnalystFinding* AgentEvidence::analyst_for(const Recommendation& r) const {
  if (!r.chain_target) return analyst_.find(r.target);
  return best_of_chain(analyst_, r.target, [](const AnalystFinding& a, const AnalystFinding& b) { return a.score > b.score; });
}

const ResonantFinding* AgentEvidence::resonant_for(const Recommendation& r) const {
  if (!r.chain_target) return resonant_.find(r.target);
  return best_of_chain(resonant_, r.target,
                       [](const ResonantFinding& a, const ResonantFinding& b) { return a.health < b.health; });
}

const AgentFinding* AgentEvidence::archivist_for(const Recommendation& r) const {
  if (!r.chain_target)
    if (const AgentFinding* node = forecast_nodes_.find(r.target)) return node;
  return forecast_chains_.find(r.chain_target ? r.target : r.chain_id);
}

json AgentEvidence::cite(const Recommendation& r, double now) const {
  auto quote = [now](const AgentFinding* f) {
    if (!f) return json(nullptr);
    json out = f->cited;
    out["node_id"] = f->node_id.empty() ? json(nullptr) : json(f->node_id);
    out["chain_id"] = f->chain_id;
    out["model_version"] = f->model_version;
    out["as_of"] = f->as_of;
    out["age_s"] = std::max(0.0, now - f->as_of);
    return out;
  };
  json archivist = quote(archivist_for(r));
  if (archivist.is_object() && !archivist.contains("running_mae")) {
    // A node's check: the running error is its chain's.
    const AgentFinding* chain = forecast_chains_.find(archivist["chain_id"].get<std::string>());
    archivist["running_mae"] = chain ? chain->cited["running_mae"]
                                     : json{{"next_blocks", nullptr}, {"next_transactions", nullptr}};
  }
  json cited = json::object();  // key by key: runs per candidate per cycle (incident_rules.cpp)
  cited["analyst"] = quote(analyst_for(r));
  cited["resonant"] = quote(resonant_for(r));
  cited["archivist"] = std::move(archivist);
  return cited;
}

}  // namespace nebula::decision
