// The bounded, least-recently-used map lives in the SDK (nebula/lru_map.hpp)
// so every plugin, in tree or out, shares one implementation.
#pragma once

#include <nebula/lru_map.hpp>

namespace nebula::transaction_analyzer {
using nebula::LruMap;
}  // namespace nebula::transaction_analyzer
