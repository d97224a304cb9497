#include "network_config.hpp"

#include <string>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::network_monitor {

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(
        cfg,
        {"quantile_k", "distribution_window_s", "baseline_alpha", "warmup_samples", "isolation_peers",
         "isolation_factor", "partition_min_nodes", "partition_latency_factor", "partition_peer_factor",
         "partition_window_s", "max_listed", "node_expiry_s", "max_nodes", "max_chains"},
        *errors);
  c.quantile_k = config::whole_number(cfg, "quantile_k", c.quantile_k, 16, 4096, errors);
  c.distribution_window_s = config::number(cfg, "distribution_window_s", c.distribution_window_s, 0, 7 * 86400, errors);
  auto& h = c.health;
  h.alpha = config::number(cfg, "baseline_alpha", h.alpha, 0.001, 1, errors);
  h.warmup = config::whole_number(cfg, "warmup_samples", h.warmup, 1, 10000, errors);
  h.isolation_peers = config::number(cfg, "isolation_peers", h.isolation_peers, 0, 1e6, errors);
  h.isolation_factor = config::number(cfg, "isolation_factor", h.isolation_factor, 1, 1000, errors);
  h.latency_factor = config::number(cfg, "partition_latency_factor", h.latency_factor, 1, 1000, errors);
  h.peer_factor = config::number(cfg, "partition_peer_factor", h.peer_factor, 0, 1, errors);
  c.partition_min_nodes = config::whole_number(cfg, "partition_min_nodes", c.partition_min_nodes, 2, 1e6, errors);
  c.partition_window_s = config::number(cfg, "partition_window_s", c.partition_window_s, 1, 86400, errors);
  c.max_listed = config::whole_number(cfg, "max_listed", c.max_listed, 0, 10000, errors);
  c.node_expiry_s = config::number(cfg, "node_expiry_s", c.node_expiry_s, 1, 7 * 86400, errors);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 1e6, errors);
  c.max_chains = config::whole_number(cfg, "max_chains", c.max_chains, 1, 10000, errors);
  return c;
}

}  // namespace nebula::network_monitor
