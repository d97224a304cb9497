#include "learning_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::learning {
namespace {

Config read(const nlohmann::json& cfg, ConfigErrors* errors) {
  namespace c = nebula::config;
  Config out;
  out.topic = c::text(cfg, "topic", out.topic, errors);
  if (errors && out.topic.empty()) errors->add("/topic", "must not be empty");
  out.patterns_topic = c::text(cfg, "patterns_topic", out.patterns_topic, errors);
  out.block_times.read_config(cfg, errors);
  out.max_nodes = c::whole_number(cfg, "max_nodes", out.max_nodes, 1, 1e7, errors);
  out.max_chains = c::whole_number(cfg, "max_chains", out.max_chains, 1, 1e4, errors);
  out.max_examples_per_insight = c::whole_number(cfg, "max_examples_per_insight", out.max_examples_per_insight, 1, 1e6, errors);
  out.include_features = c::flag(cfg, "include_features", out.include_features, errors);
  out.freeze_after = c::whole_number(cfg, "freeze_after", out.freeze_after, 0, 1e15, errors);
  out.persist_every_batches = c::whole_number(cfg, "persist_every_batches", out.persist_every_batches, 1, 1e9, errors);
  out.max_gap_s = c::number(cfg, "max_gap_s", out.max_gap_s, 0.001, 86400 * 7, errors);
  return out;
}

}  // namespace

void validate_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  nebula::config::reject_unknown_keys(cfg,
                                      {"topic", "patterns_topic", "block_time_s", "default_block_time_s", "max_nodes",
                                       "max_chains", "max_examples_per_insight", "include_features", "freeze_after",
                                       "persist_every_batches", "max_gap_s"},
                                      errors);
  read(cfg, &errors);
}

Config parse_config(const nlohmann::json& cfg) { return read(cfg, nullptr); }

}  // namespace nebula::learning
