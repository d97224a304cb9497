// One bounded state table (per-node, per-chain ...) as a plugin reports it
// after a batch: how full it is and how many entries it had to evict. Plain
// data, so engines without a host can describe their tables; the plugin hands
// them to nebula::StateCaps (state_caps.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "nebula/lru_map.hpp"

namespace nebula {

struct StateTable {
  std::string_view name;        // "nodes", "chains": part of the metric names
  std::string_view config_key;  // the setting that raises the capacity: "max_nodes"
  size_t size = 0;
  size_t capacity = 0;
  uint64_t evictions = 0;       // total so far (a table rebuilt from saved state may restart it)
};

template <class Value>
StateTable state_table(std::string_view name, std::string_view config_key, const LruMap<Value>& map) {
  return {name, config_key, map.size(), map.capacity(), map.evictions()};
}

}  // namespace nebula
