// Portable random numbers for the simulator.
//
// std::mt19937_64's output sequence is fixed by the C++ standard, but every
// std::*_distribution is implementation-defined (libstdc++ and libc++ give
// different normals for the same engine). So the engine is std's and every
// distribution below is written out here: same seed -> same numbers with any
// standard library. Beyond + - * / only sqrt (exact in IEEE 754), log and exp
// are used, and the normal uses Marsaglia's polar method rather than
// Box-Muller to avoid sin/cos. log/exp are not correctly rounded by every
// libm, so bit-identity across *libm* implementations is likely, not promised.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace nebula_sim {

// SplitMix64 finaliser: a cheap, well-mixed 64-bit hash.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent, reproducible seed for sub-stream (stream, index) of `seed`, so
// e.g. node 17's personality does not depend on how many other nodes exist.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream,
                                    std::uint64_t index = 0) noexcept {
  return mix64(mix64(seed ^ mix64(stream)) + index);
}

// Top 53 bits of a hash as a double in [0, 1).
constexpr double hash_unit(std::uint64_t h) noexcept {
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  // [0, 1) with 53 random bits.
  double uniform() { return hash_unit(engine_()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Inclusive [lo, hi], unbiased (rejection of the short last bucket).
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) {
    const auto range = static_cast<std::uint64_t>(hi - lo) + 1;
    if (range == 0) return static_cast<std::int64_t>(engine_());  // full 2^64 span
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() -
        std::numeric_limits<std::uint64_t>::max() % range;
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return lo + static_cast<std::int64_t>(x % range);
  }

  bool bernoulli(double p) { return uniform() < p; }

  // Standard normal, Marsaglia polar method; the second variate is cached.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

  // Log-normal given its median (exp(mu)) and log-space sigma.
  double lognormal(double median, double sigma) {
    return median * std::exp(sigma * normal());
  }

  // Exponential waiting time with the given mean (inverse CDF).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }

  // Poisson count: Knuth's product method for small means, a rounded normal
  // approximation above 30 where the product method gets slow.
  std::int64_t poisson(double mean) {
    if (!(mean > 0.0)) return 0;
    if (mean < 30.0) {
      const double limit = std::exp(-mean);
      std::int64_t k = 0;
      double p = uniform();
      while (p > limit) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    const double x = std::round(mean + std::sqrt(mean) * normal());
    return x < 0.0 ? 0 : static_cast<std::int64_t>(x);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace nebula_sim
