#include "transaction_config.hpp"

#include <string>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::transaction_analyzer {

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg,
                                {"ewma_alpha", "warmup_samples", "burst_factor", "burst_z", "top_nodes", "max_listed",
                                 "node_expiry_s", "between_blocks_max_s", "fee_alpha", "fee_warmup_samples", "fee_rise_factor", "fee_floor_gwei",
                                 "max_nodes", "max_chains"},
                                *errors);
  c.ewma_alpha = config::number(cfg, "ewma_alpha", c.ewma_alpha, 0.001, 1, errors);
  c.warmup_samples = config::whole_number(cfg, "warmup_samples", c.warmup_samples, 1, 10000, errors);
  c.burst_factor = config::number(cfg, "burst_factor", c.burst_factor, 1, 1e6, errors);
  c.burst_z = config::number(cfg, "burst_z", c.burst_z, 0, 1000, errors);
  c.top_nodes = config::whole_number(cfg, "top_nodes", c.top_nodes, 0, 10000, errors);
  c.max_listed = config::whole_number(cfg, "max_listed", c.max_listed, 0, 10000, errors);
  c.node_expiry_s = config::number(cfg, "node_expiry_s", c.node_expiry_s, 1, 7 * 86400, errors);
  c.between_blocks_max_s = config::number(cfg, "between_blocks_max_s", c.between_blocks_max_s, 0, 86400, errors);
  c.fee_alpha = config::number(cfg, "fee_alpha", c.fee_alpha, 0.001, 1, errors);
  c.fee_warmup_samples = config::whole_number(cfg, "fee_warmup_samples", c.fee_warmup_samples, 1, 10000, errors);
  c.fee_rise_factor = config::number(cfg, "fee_rise_factor", c.fee_rise_factor, 1, 1e6, errors);
  c.fee_floor_gwei = config::number(cfg, "fee_floor_gwei", c.fee_floor_gwei, 0, 1e6, errors);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 1e6, errors);
  c.max_chains = config::whole_number(cfg, "max_chains", c.max_chains, 1, 10000, errors);
  return c;
}

}  // namespace nebula::transaction_analyzer
