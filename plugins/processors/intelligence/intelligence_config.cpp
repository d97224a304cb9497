#include "intelligence_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::intelligence {
namespace {

Config read(const nlohmann::json& cfg, ConfigErrors* errors) {
  namespace c = nebula::config;
  Config out;
  out.topic = c::text(cfg, "topic", out.topic, errors);
  if (errors && out.topic.empty()) errors->add("/topic", "must not be empty");
  out.patterns_topic = c::text(cfg, "patterns_topic", out.patterns_topic, errors);
  out.block_times.read_config(cfg, errors);
  out.interval_s = c::number(cfg, "interval_s", out.interval_s, 0, 86400 * 7, errors);
  out.window = c::whole_number(cfg, "window", out.window, 2, 1e6, errors);
  out.max_nodes = c::whole_number(cfg, "max_nodes", out.max_nodes, 1, 1e7, errors);
  out.max_chains = c::whole_number(cfg, "max_chains", out.max_chains, 1, 1e4, errors);
  out.stall_after_blocks = c::number(cfg, "stall_after_blocks", out.stall_after_blocks, 1, 1e6, errors);
  out.max_gap_s = c::number(cfg, "max_gap_s", out.max_gap_s, 0.001, 86400 * 7, errors);
  out.min_samples = c::whole_number(cfg, "min_samples", out.min_samples, 1, 1e6, errors);
  out.fast_block_time_s = c::number(cfg, "fast_block_time_s", out.fast_block_time_s, 0, 86400, errors);
  out.variability_cv = c::number(cfg, "variability_cv", out.variability_cv, 0, 1e6, errors);
  out.min_peers = c::number(cfg, "min_peers", out.min_peers, 0, 1e6, errors);
  out.max_latency_ms = c::number(cfg, "max_latency_ms", out.max_latency_ms, 0, 1e9, errors);
  return out;
}

}  // namespace

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  nebula::config::reject_unknown_keys(
      cfg,
      {"topic", "patterns_topic", "block_time_s", "default_block_time_s", "interval_s", "window", "max_nodes",
       "max_chains", "stall_after_blocks", "max_gap_s", "min_samples", "fast_block_time_s", "variability_cv",
       "min_peers", "max_latency_ms"},
      errors);
  read(cfg, &errors);
}

Config parse_config(const nlohmann::json& cfg) { return read(cfg, nullptr); }

}  // namespace nebula::intelligence
