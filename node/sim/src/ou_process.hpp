// Mean-reverting noise for slowly wandering metrics.
#pragma once

#include <cmath>

#include "nebula_sim/random.hpp"

namespace nebula_sim {

// Exact discretisation of an Ornstein-Uhlenbeck process with time scale tau
// and stationary sd sigma: its look does not depend on the sample interval.
// Coefficients are computed once per fleet, not per node and step.
struct OuProcess {
  OuProcess(double tau, double sigma, double dt)
      : rho(std::exp(-dt / tau)), shock(sigma * std::sqrt(1.0 - rho * rho)) {}

  double step(double x, double mean, Rng& rng) const {
    return mean + (x - mean) * rho + shock * rng.normal();
  }

  double rho;
  double shock;
};

}  // namespace nebula_sim
