// The arithmetic of a federated round, free of files and clocks: merging
// normalisation statistics by counts, moving a network (or a stored sample)
// into other normalisation units, and the sample-weighted average (FedAvg).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nebula_agents/dense_snapshot.hpp"
#include "nebula_agents/mlp_trainer.hpp"
#include "nebula_agents/running_stat.hpp"

namespace nebula::agents {

using StatMap = std::map<std::string, RunningStat>;

// A column of the network standardised with a statistic: z = (v - mean) / std_or(floor).
struct NormUse {
  std::string stat;
  double floor = 0;
  bool output = false;    // a target column (else an input column)
  int column = 0;
  int present_flag = -1;  // inputs: the column that is 1 when this one is present (0 = absent); -1: always present
};

// Name by name, the combination of every map holding that name (in the order given).
StatMap combine_stats(const std::vector<const StatMap*>& maps);

// Whether a statistic some column uses differs between the two maps.
bool units_differ(const std::vector<NormUse>& uses, const StatMap& from, const StatMap& to);

// Rewrites a network standardised with `from` so that it computes the same
// function on inputs/targets standardised with `to` (exact for the first and
// last linear layers, which is where the standardisation enters and leaves).
void restandardise(std::vector<DenseLayer>& layers, const std::vector<NormUse>& uses, const StatMap& from,
                   const StatMap& to);
// Same for one stored training sample (re-clipped to +-10 like the agents do).
void restandardise(Sample& s, const std::vector<NormUse>& uses, const StatMap& from, const StatMap& to);

// sum_k w_k * net_k / sum_k w_k, accumulated in double in the order given
// (every member sums in the same order, so they get the same bits).
// Nets must have the same shapes; the weights must sum to more than 0.
std::vector<DenseLayer> weighted_average(const std::vector<const std::vector<DenseLayer>*>& nets,
                                         const std::vector<double>& weights);
// base + (now - then), element by element (local progress carried over a merge).
std::vector<DenseLayer> plus_difference(const std::vector<DenseLayer>& base, const std::vector<DenseLayer>& now,
                                        const std::vector<DenseLayer>& then);

// CRC-32 of every weight and bias in order: equal on two hosts = identical parameters.
uint32_t parameters_crc32(const std::vector<DenseLayer>& layers);

}  // namespace nebula::agents
