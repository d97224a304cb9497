// Cross-chain comparisons: every chain against the reference chain (the one
// with the shortest expected block time), and how block time shapes lag,
// stalls and throughput across all chains (log-log elasticity).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "chain_track.hpp"

namespace nebula::intelligence {

// Ratios are other / reference; null when either side is unknown or the
// reference is 0. Input order does not matter.
nlohmann::json compare_chains(std::vector<ChainNumbers> chains);

// {"lag_seconds":{"elasticity","direction","chains"}, ...}: the least-squares
// slope of log(metric) on log(expected block time) over chains where both are
// positive; needs two distinct block times, else elasticity null / "unknown".
nlohmann::json block_time_effects(const std::vector<ChainNumbers>& chains);

// Slope of ys on xs (least squares); NaN with fewer than 2 distinct xs.
double least_squares_slope(const std::vector<double>& xs, const std::vector<double>& ys);

}  // namespace nebula::intelligence
