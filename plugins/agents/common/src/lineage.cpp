#include "nebula_agents/lineage.hpp"

#include <algorithm>

#include <nebula/host.hpp>

namespace nebula::agents {

nlohmann::json VersionInfo::to_json() const {
  return {{"version", version},
          {"parent", parent ? nlohmann::json(parent) : nlohmann::json(nullptr)},
          {"created_at_step", created_at_step},
          {"architecture", architecture.to_json()},
          {"learning_rate", learning_rate},
          {"val_loss", val_loss ? nlohmann::json(*val_loss) : nlohmann::json(nullptr)},
          {"origin", origin},
          {"parent_val_loss", parent_val_loss ? nlohmann::json(*parent_val_loss) : nlohmann::json(nullptr)}};
}

VersionInfo VersionInfo::from_json(const nlohmann::json& j) {
  auto bad = [] { throw Error(NEBULA_INVALID, "damaged agent checkpoint: bad lineage entry"); };
  if (!j.is_object() || !j.contains("version") || !j["version"].is_number_integer()) bad();
  VersionInfo v;
  v.version = j["version"].get<int>();
  v.parent = j.contains("parent") && j["parent"].is_number_integer() ? j["parent"].get<int>() : 0;
  v.created_at_step = j.value("created_at_step", uint64_t{0});
  v.architecture = Architecture::from_json(j.value("architecture", nlohmann::json()));
  if (!j.contains("learning_rate") || !j["learning_rate"].is_number()) bad();
  v.learning_rate = j["learning_rate"].get<double>();
  if (j.contains("val_loss") && j["val_loss"].is_number()) v.val_loss = j["val_loss"].get<double>();
  v.origin = j.value("origin", std::string());
  if (j.contains("parent_val_loss") && j["parent_val_loss"].is_number()) v.parent_val_loss = j["parent_val_loss"].get<double>();
  return v;
}

void Lineage::add(VersionInfo v) {
  newest_ = std::max(newest_, v.version);
  history_.push_back(std::move(v));
  if (history_.size() > cap_) history_.erase(history_.begin());
}

const VersionInfo* Lineage::find(int version) const {
  for (const auto& v : history_)
    if (v.version == version) return &v;
  return nullptr;
}

nlohmann::json Lineage::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : history_) out.push_back(v.to_json());
  return out;
}

void Lineage::from_json(const nlohmann::json& j) {
  if (!j.is_array()) throw Error(NEBULA_INVALID, "damaged agent checkpoint: lineage is not a list");
  Lineage fresh(cap_);
  for (const auto& e : j) fresh.add(VersionInfo::from_json(e));
  *this = std::move(fresh);
}

}  // namespace nebula::agents
