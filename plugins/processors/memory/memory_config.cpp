#include "memory_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::memory {
namespace {

Config read(const nlohmann::json& cfg, ConfigErrors* errors) {
  namespace c = nebula::config;
  Config out;
  out.topic = c::text(cfg, "topic", out.topic, errors);
  if (errors && out.topic.empty()) errors->add("/topic", "must not be empty");
  out.patterns_topic = c::text(cfg, "patterns_topic", out.patterns_topic, errors);
  out.alpha = c::number(cfg, "alpha", out.alpha, 1e-6, 1, errors);
  out.chain_hours = c::whole_number(cfg, "chain_hours", out.chain_hours, 1, 24 * 366, errors);
  out.node_hours = c::whole_number(cfg, "node_hours", out.node_hours, 1, 24 * 366, errors);
  out.max_nodes = c::whole_number(cfg, "max_nodes", out.max_nodes, 1, 1e6, errors);
  out.max_chains = c::whole_number(cfg, "max_chains", out.max_chains, 1, 1e4, errors);
  out.persist_interval_s = c::number(cfg, "persist_interval_s", out.persist_interval_s, 0, 86400, errors);
  out.persist_every_batches = c::whole_number(cfg, "persist_every_batches", out.persist_every_batches, 0, 1e9, errors);
  out.emit_every_batches = c::whole_number(cfg, "emit_every_batches", out.emit_every_batches, 1, 1e9, errors);
  out.top_deviations = c::whole_number(cfg, "top_deviations", out.top_deviations, 0, 1000, errors);
  out.deviation_threshold = c::number(cfg, "deviation_threshold", out.deviation_threshold, 0, 1e6, errors);
  out.deviation_window_s = c::number(cfg, "deviation_window_s", out.deviation_window_s, 0, 86400 * 366, errors);
  out.min_samples = c::whole_number(cfg, "min_samples", out.min_samples, 1, 1e9, errors);
  return out;
}

}  // namespace

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  nebula::config::reject_unknown_keys(
      cfg,
      {"topic", "patterns_topic", "alpha", "chain_hours", "node_hours", "max_nodes", "max_chains",
       "persist_interval_s", "persist_every_batches", "emit_every_batches", "top_deviations", "deviation_threshold",
       "deviation_window_s", "min_samples"},
      errors);
  read(cfg, &errors);
}

Config parse_config(const nlohmann::json& cfg) { return read(cfg, nullptr); }

}  // namespace nebula::memory
