// Settings of the block data processor, read from its pipeline config.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::block_data {

struct Config {
  // Expected seconds between blocks, per chain id; chains not listed use the default.
  std::map<std::string, double, std::less<>> block_interval_s{{"testnet", 5.0}, {"mainnet", 30.0}};
  double default_block_interval_s = 15.0;
  double stall_intervals = 6.0;   // k: expected intervals without progress before "stalled"
  size_t worst_lagging = 5;       // N: lagging nodes listed per chain
  size_t max_listed = 20;         // cap on the stalled-node list per chain
  size_t interval_samples = 32;   // recent tip advances behind the observed mean interval
  double node_expiry_s = 600.0;   // a node silent this long (event time) is forgotten
  size_t max_nodes = 10000;
  size_t max_chains = 64;

  double expected_interval(std::string_view chain_id) const {
    auto it = block_interval_s.find(chain_id);
    return it == block_interval_s.end() ? default_block_interval_s : it->second;
  }
};

// Reads a config object. With `errors`, every problem (unknown key, wrong
// type, out of range) is added with its JSON pointer; without, bad values
// silently keep their defaults (the host validates before creating).
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::block_data
