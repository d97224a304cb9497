// Mean and variance that track a drifting stream: exact (Welford) for the
// first 1/alpha values, exponentially weighted afterwards.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace nebula::agents {

struct RunningStat {
  double mean = 0;
  double var = 0;
  uint64_t count = 0;

  void add(double x, double alpha) {
    if (!std::isfinite(x)) return;
    ++count;
    const double w = std::max(alpha, 1.0 / static_cast<double>(count));
    const double d = x - mean;
    mean += w * d;
    var = (1 - w) * (var + w * d * d);
  }
  double std_or(double floor) const { return std::max(std::sqrt(std::max(var, 0.0)), floor); }
  double z(double x, double floor) const { return (x - mean) / std_or(floor); }

  // Two summaries of disjoint data as one (Chan et al.): counts weight the
  // means, and the spread between the means adds to the variance.
  static RunningStat combine(const RunningStat& a, const RunningStat& b) {
    if (a.count == 0) return b;
    if (b.count == 0) return a;
    const double na = static_cast<double>(a.count), nb = static_cast<double>(b.count), n = na + nb;
    const double d = b.mean - a.mean;
    RunningStat c;
    c.count = a.count + b.count;
    c.mean = a.mean + d * nb / n;
    c.var = (na * a.var + nb * b.var) / n + d * d * na * nb / (n * n);
    return c;
  }

  nlohmann::json to_json() const { return {mean, var, count}; }
  static RunningStat from_json(const nlohmann::json& j) {
    RunningStat s;
    if (j.is_array() && j.size() == 3 && j[0].is_number() && j[1].is_number() && j[2].is_number_unsigned()) {
      s.mean = j[0].get<double>();
      s.var = std::max(0.0, j[1].get<double>());
      s.count = j[2].get<uint64_t>();
    }
    return s;
  }
};

}  // namespace nebula::agents
