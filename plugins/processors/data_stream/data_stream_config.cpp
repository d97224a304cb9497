#include "data_stream_config.hpp"

#include <cmath>
#include <string>

#include <nebula/config_helpers.hpp>

namespace nebula::data_stream {
namespace {

size_t whole(const nlohmann::json& cfg, const char* key, size_t def, double lo, double hi, ConfigErrors* errors) {
  const double v = config::number(cfg, key, static_cast<double>(def), lo, hi, errors);
  if (v != std::floor(v)) {
    if (errors) errors->add(std::string("/") + key, "must be a whole number, got " + cfg.at(key).dump());
    return def;
  }
  return static_cast<size_t>(v);
}

}  // namespace

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(
        cfg, {"window_s", "allowed_lateness_s", "late_policy", "dedup_window", "max_nodes", "max_chains"}, *errors);
  c.window_s = config::number(cfg, "window_s", c.window_s, 1, 86400, errors);
  c.allowed_lateness_s = config::number(cfg, "allowed_lateness_s", c.allowed_lateness_s, 0, 86400, errors);
  const std::string policy = config::text(cfg, "late_policy", "drop", errors);
  if (policy == "tally") c.late_policy = LatePolicy::Tally;
  else if (policy != "drop" && errors)
    errors->add("/late_policy", "must be \"drop\" or \"tally\", got \"" + policy + "\"");
  c.dedup_window = whole(cfg, "dedup_window", c.dedup_window, 64, 1 << 20, errors);
  c.max_nodes = whole(cfg, "max_nodes", c.max_nodes, 1, 1e6, errors);
  c.max_chains = whole(cfg, "max_chains", c.max_chains, 1, 10000, errors);
  return c;
}

}  // namespace nebula::data_stream
