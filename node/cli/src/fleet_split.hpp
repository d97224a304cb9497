// How `nebula-node simulate --nodes N` divides N over the node types.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include <nebula_sim/fleet_builder.hpp>

namespace nebula::node::cli {

using FleetCounts = nebula_sim::NodeCounts;

inline constexpr std::size_t kNodeTypes = 5;
using FleetWeights = std::array<double, kNodeTypes>;

// "T:M:B:F" or "T:M:B:F:S" weights, e.g. "4:4:1:1" (no simple nodes) or
// "4:4:1:1:1". Throws std::invalid_argument.
FleetWeights parse_ratio(std::string_view text);

// Largest-remainder split: the counts add up to n exactly and follow the
// weights as closely as whole nodes allow (ties go to the earlier type).
FleetCounts split_fleet(std::size_t n, const FleetWeights& weights);

}  // namespace nebula::node::cli
