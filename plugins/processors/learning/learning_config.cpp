#include "learning_config.hpp"

#include <cmath>

#include <nebula/config_helpers.hpp>

namespace nebula::learning {
namespace {

// A whole number in [lo, hi] (config_helpers only has real numbers).
uint64_t count_value(const nlohmann::json& cfg, const char* key, uint64_t def, double lo, double hi,
                     ConfigErrors* errors) {
  if (!cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>() || v.get<double>() < lo ||
      v.get<double>() > hi) {
    if (errors)
      errors->add(std::string("/") + key, "must be a whole number between " + nlohmann::json(lo).dump() +
                                              " and " + nlohmann::json(hi).dump() + ", got " + v.dump());
    return def;
  }
  return static_cast<uint64_t>(v.get<double>());
}

Config read(const nlohmann::json& cfg, ConfigErrors* errors) {
  namespace c = nebula::config;
  Config out;
  out.topic = c::text(cfg, "topic", out.topic, errors);
  if (errors && out.topic.empty()) errors->add("/topic", "must not be empty");
  out.patterns_topic = c::text(cfg, "patterns_topic", out.patterns_topic, errors);
  if (cfg.contains("block_time_s")) {
    if (errors) BlockTimes::validate(cfg.at("block_time_s"), "/block_time_s", *errors);
    out.block_times.merge(cfg.at("block_time_s"));
  }
  out.block_times.fallback_s = c::number(cfg, "default_block_time_s", out.block_times.fallback_s, 0.001, 86400, errors);
  out.max_nodes = count_value(cfg, "max_nodes", out.max_nodes, 1, 1e7, errors);
  out.max_chains = count_value(cfg, "max_chains", out.max_chains, 1, 1e4, errors);
  out.max_examples_per_insight = count_value(cfg, "max_examples_per_insight", out.max_examples_per_insight, 1, 1e6, errors);
  out.freeze_after = count_value(cfg, "freeze_after", out.freeze_after, 0, 1e15, errors);
  out.persist_every_batches = count_value(cfg, "persist_every_batches", out.persist_every_batches, 1, 1e9, errors);
  out.max_gap_s = c::number(cfg, "max_gap_s", out.max_gap_s, 0.001, 86400 * 7, errors);
  return out;
}

}  // namespace

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  nebula::config::reject_unknown_keys(cfg,
                                      {"topic", "patterns_topic", "block_time_s", "default_block_time_s", "max_nodes",
                                       "max_chains", "max_examples_per_insight", "freeze_after",
                                       "persist_every_batches", "max_gap_s"},
                                      errors);
  read(cfg, &errors);
}

Config parse_config(const nlohmann::json& cfg) { return read(cfg, nullptr); }

}  // namespace nebula::learning
