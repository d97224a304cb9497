#include "data_stream_config.hpp"

#include <string>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::data_stream {

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
  c.dedup_window = config::whole_number(cfg, "dedup_window", c.dedup_window, 64, 1 << 20, errors);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 1e6, errors);
  c.max_chains = config::whole_number(cfg, "max_chains", c.max_chains, 1, 10000, errors);
  return c;
}

}  // namespace nebula::data_stream
