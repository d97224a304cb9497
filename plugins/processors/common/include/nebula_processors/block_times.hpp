// Expected block time per chain: the yardstick every per-chain number is
// normalised by (TestNet ~5 s, MainNet ~30 s by default). Configured, not
// measured: block_interval.hpp measures what the nodes really see.
#pragma once

#include <map>
#include <string>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

namespace nebula::processors {

struct BlockTimes {
  std::map<std::string, double> by_name{{"mainnet", 30.0}, {"testnet", 5.0}};
  double fallback_s = 15.0;

  // chain_id exact match, then node_type exact match, then the longest name
  // contained in chain_id ("nebula-testnet-2" -> "testnet"), else fallback_s.
  double lookup(const std::string& chain_id, const std::string& node_type) const;

  // Reads an optional {"name": seconds, ...} object over the defaults.
  static void validate(const nlohmann::json& value, const std::string& pointer, ConfigErrors& errors);
  void merge(const nlohmann::json& value);

  // A processor config's "block_time_s" (names to seconds, over the
  // defaults) and "default_block_time_s" (the fallback); errors optional.
  void read_config(const nlohmann::json& cfg, ConfigErrors* errors);
};

}  // namespace nebula::processors
