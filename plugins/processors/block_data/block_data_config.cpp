#include "block_data_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::block_data {
namespace {

// RFC 6901: chain ids are user text and may contain '~' or '/'.
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

void read_chains(const nlohmann::json& chains, Config& c, ConfigErrors* errors) {
  if (!chains.is_object()) {
    if (errors) errors->add("/chains", "must be a mapping of chain id to {block_interval_s: seconds}");
    return;
  }
  for (auto it = chains.begin(); it != chains.end(); ++it) {
    const std::string pointer = "/chains/" + pointer_token(it.key());
    const auto& settings = it.value();
    if (!settings.is_object()) {
      if (errors) errors->add(pointer, "must be a mapping like {block_interval_s: 5}");
      continue;
    }
    if (errors) config::reject_unknown_keys(settings, {"block_interval_s"}, *errors, pointer);
    if (!settings.contains("block_interval_s")) {
      if (errors) errors->add(pointer, "block_interval_s is required");
      continue;
    }
    c.block_interval_s[it.key()] =
        config::number(settings, "block_interval_s", c.expected_interval(it.key()), 0.1, 3600, errors, pointer);
  }
}

}  // namespace

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg,
                                {"chains", "default_block_interval_s", "stall_intervals", "worst_lagging", "max_listed",
                                 "interval_samples", "node_expiry_s", "max_nodes", "max_chains"},
                                *errors);
  c.default_block_interval_s = config::number(cfg, "default_block_interval_s", c.default_block_interval_s, 0.1, 3600, errors);
  c.stall_intervals = config::number(cfg, "stall_intervals", c.stall_intervals, 1, 1000, errors);
  c.worst_lagging = config::whole_number(cfg, "worst_lagging", c.worst_lagging, 0, 1000, errors);
  c.max_listed = config::whole_number(cfg, "max_listed", c.max_listed, 0, 1000, errors);
  c.interval_samples = config::whole_number(cfg, "interval_samples", c.interval_samples, 1, 10000, errors);
  c.node_expiry_s = config::number(cfg, "node_expiry_s", c.node_expiry_s, 1, 7 * 86400, errors);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 1e6, errors);
  c.max_chains = config::whole_number(cfg, "max_chains", c.max_chains, 1, 10000, errors);
  if (cfg.is_object() && cfg.contains("chains")) read_chains(cfg.at("chains"), c, errors);
  return c;
}

}  // namespace nebula::block_data
