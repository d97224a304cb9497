#include "nebula_processors/block_times.hpp"

#include <nebula/config_helpers.hpp>

namespace nebula::processors {

double BlockTimes::lookup(const std::string& chain_id, const std::string& node_type) const {
  if (auto it = by_name.find(chain_id); it != by_name.end()) return it->second;
  if (auto it = by_name.find(node_type); it != by_name.end()) return it->second;
  const std::pair<const std::string, double>* best = nullptr;
  for (const auto& entry : by_name)
    if (!entry.first.empty() && chain_id.find(entry.first) != std::string::npos &&
        (!best || entry.first.size() > best->first.size()))
      best = &entry;
  return best ? best->second : fallback_s;
}

void BlockTimes::validate(const nlohmann::json& value, const std::string& pointer, ConfigErrors& errors) {
  if (!value.is_object()) {
    errors.add(pointer, "must be a mapping of chain id or node type to seconds");
    return;
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    const auto& v = it.value();
    if (!v.is_number() || !(v.get<double>() > 0) || v.get<double>() > 86400)
      errors.add(pointer + "/" + it.key(), "must be a number of seconds in (0, 86400], got " + v.dump());
  }
}

void BlockTimes::merge(const nlohmann::json& value) {
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end(); ++it)
    if (it.value().is_number()) by_name[it.key()] = it.value().get<double>();
}

void BlockTimes::read_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  if (cfg.is_object() && cfg.contains("block_time_s")) {
    if (errors) validate(cfg.at("block_time_s"), "/block_time_s", *errors);
    merge(cfg.at("block_time_s"));
  }
  fallback_s = config::number(cfg, "default_block_time_s", fallback_s, 0.001, 86400, errors);
}

}  // namespace nebula::processors
