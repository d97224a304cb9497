// Names what a chain's measured numbers say about it, with fixed thresholds:
// short block times with high variability read as "rapid consensus /
// development traffic / fast adaptation", long steady ones as "stable
// consensus / real usage / economic behaviour".
#pragma once

#include <nlohmann/json.hpp>

#include "chain_track.hpp"
#include "intelligence_config.hpp"

namespace nebula::intelligence {

// {"profile","consensus","traffic","behaviour","basis":{...}}
nlohmann::json characterise(const ChainNumbers& n, const Config& cfg);

}  // namespace nebula::intelligence
