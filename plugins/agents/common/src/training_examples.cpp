#include "nebula_agents/training_examples.hpp"

#include <algorithm>
#include <cmath>

namespace nebula::agents {

std::optional<double> finite_number(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

namespace {

// Where each of our features sits in the producer's arrays (-1: absent).
std::array<int, kFeatureCount> column_map(const nlohmann::json& names) {
  std::array<int, kFeatureCount> map{};
  map.fill(-1);
  if (!names.is_array()) {  // no names: assume the contract order
    for (size_t i = 0; i < kFeatureCount; ++i) map[i] = static_cast<int>(i);
    return map;
  }
  for (size_t j = 0; j < names.size(); ++j) {
    if (!names[j].is_string()) continue;
    const auto& n = names[j].get_ref<const std::string&>();
    for (size_t i = 0; i < kFeatureCount; ++i)
      if (kFeatureNames[i] == n) map[i] = static_cast<int>(j);
  }
  return map;
}

double number_at(const nlohmann::json& arr, int idx, bool* ok) {
  *ok = false;
  if (idx < 0 || !arr.is_array() || static_cast<size_t>(idx) >= arr.size() || !arr[idx].is_number()) return 0;
  const double v = arr[idx].get<double>();
  if (!std::isfinite(v)) return 0;
  *ok = true;
  return v;
}

}  // namespace

ParsedBatch parse_training_examples(const nlohmann::json& doc) {
  ParsedBatch out;
  if (!doc.is_object() || doc.value("kind", std::string()) != "training_examples") return out;
  const auto ex = doc.find("examples");
  if (ex == doc.end() || !ex->is_array()) return out;
  out.usable = true;
  const auto map = column_map(doc.contains("feature_names") ? doc["feature_names"] : nlohmann::json());
  const nlohmann::json norm = doc.contains("normalization") ? doc["normalization"] : nlohmann::json::object();
  const nlohmann::json mean = norm.is_object() && norm.contains("mean") ? norm["mean"] : nlohmann::json();
  for (const auto& e : *ex) {
    if (!e.is_object() || !e.contains("node_id") || !e["node_id"].is_string() || !e.contains("features")) {
      ++out.skipped;
      continue;
    }
    TrainingExample t;
    t.node_id = e["node_id"].get<std::string>();
    t.chain_id = e.contains("chain_id") && e["chain_id"].is_string() ? e["chain_id"].get<std::string>() : "unknown";
    t.node_type = e.contains("node_type") && e["node_type"].is_string() ? e["node_type"].get<std::string>() : "";
    t.timestamp = finite_number(e, "timestamp").value_or(0.0);
    const auto& f = e["features"];
    const nlohmann::json raw = e.contains("raw") ? e["raw"] : nlohmann::json();
    bool all_ok = true;
    for (size_t i = 0; i < kFeatureCount; ++i) {
      bool ok = false, raw_ok = false, mean_ok = false;
      const double v = number_at(f, map[i], &ok);
      const double r = number_at(raw, map[i], &raw_ok);
      const double m = number_at(mean, map[i], &mean_ok);
      all_ok = all_ok && ok;
      // Clip: a single wild value must not blow up a small network.
      t.features[i] = static_cast<float>(std::clamp(v, -10.0, 10.0));
      t.raw[i] = raw_ok ? r : m;
      // The producer imputes a missing value with its mean (features == 0,
      // raw == mean exactly); a real sample hitting the mean exactly is rare.
      t.present[i] = raw_ok && ok && !(v == 0.0 && mean_ok && r == m);
    }
    if (!all_ok) {
      ++out.skipped;
      continue;
    }
    const nlohmann::json targets = e.contains("targets") ? e["targets"] : nlohmann::json::object();
    t.next_blocks = finite_number(targets, "next_blocks");
    t.next_transactions = finite_number(targets, "next_transactions");
    t.next_latency = finite_number(targets, "next_latency");
    t.next_peers = finite_number(targets, "next_peers");
    if (e.contains("anomaly") && e["anomaly"].is_object()) {
      const auto& a = e["anomaly"];
      t.anomalous = a.contains("active") && a["active"].is_boolean() && a["active"].get<bool>();
      if (a.contains("kinds") && a["kinds"].is_array())
        for (const auto& k : a["kinds"])
          if (k.is_string()) t.anomaly_kinds.push_back(k.get<std::string>());
    }
    out.examples.push_back(std::move(t));
  }
  return out;
}

}  // namespace nebula::agents
