// Settings of the network monitor, read from its pipeline config.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "node_health.hpp"

namespace nebula::network_monitor {

struct Config {
  uint32_t quantile_k = 200;            // sketch size: rank error ~1.33%, < 700 doubles per sketch
  double distribution_window_s = 300;   // quantiles cover the last 1-2 such windows; 0 = all time
  HealthRule health;                    // baselines, isolation and degradation thresholds
  size_t partition_min_nodes = 3;
  double partition_window_s = 60;       // degradation onsets this close together form a group
  size_t max_listed = 20;               // cap on node lists per chain
  double node_expiry_s = 600;           // a node silent this long (event time) is forgotten
  size_t max_nodes = 10000;
  size_t max_chains = 64;
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::network_monitor
