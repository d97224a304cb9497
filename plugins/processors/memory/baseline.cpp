#include "baseline.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <nebula/json_numbers.hpp>

namespace nebula::memory {

void Ewma::add(double x, double alpha) {
  if (count++ == 0) {
    mean = x;
    var = 0;
    return;
  }
  const double diff = x - mean;
  const double inc = alpha * diff;
  mean += inc;
  var = (1 - alpha) * (var + diff * inc);
}

double Ewma::stddev() const { return std::sqrt(std::max(0.0, var)); }

Deviation Baseline::observe(const MetricValues& values, double ts, double alpha, uint64_t min_samples) {
  Deviation d;
  for (size_t i = 0; i < kMetricCount; ++i) {
    if (!std::isfinite(values[i])) continue;
    Ewma& e = metrics[i];
    if (e.count >= min_samples) {
      d.reference_mean[i] = e.mean;
      d.reference_spread[i] = std::max({e.stddev(), 0.05 * std::fabs(e.mean), 1e-9});
      d.z[i] = (values[i] - e.mean) / d.reference_spread[i];
    }
    e.add(values[i], alpha);
  }
  ++samples;
  if (!std::isfinite(first_seen) || ts < first_seen) first_seen = ts;
  if (!std::isfinite(last_seen) || ts > last_seen) last_seen = ts;
  return d;
}

nlohmann::json Baseline::summary() const {
  nlohmann::json m = nlohmann::json::object();
  for (size_t i = 0; i < kMetricCount; ++i) {
    const Ewma& e = metrics[i];
    m[std::string(kMetricNames[i])] = {{"mean", e.count ? number_or_null(e.mean) : nullptr},
                                       {"std", e.count ? number_or_null(e.stddev()) : nullptr},
                                       {"count", e.count}};
  }
  return {{"samples", samples},
          {"first_seen", number_or_null(first_seen)},
          {"last_seen", number_or_null(last_seen)},
          {"metrics", m}};
}

nlohmann::json Baseline::to_json() const {
  nlohmann::json m = nlohmann::json::object();
  for (size_t i = 0; i < kMetricCount; ++i)
    m[std::string(kMetricNames[i])] = {metrics[i].mean, metrics[i].var, metrics[i].count};
  return {{"samples", samples}, {"first_seen", number_or_null(first_seen)}, {"last_seen", number_or_null(last_seen)},
          {"metrics", m}};
}

Baseline Baseline::from_json(const nlohmann::json& doc) {
  Baseline b;
  b.samples = doc.at("samples").get<uint64_t>();
  b.first_seen = number_at(doc, "first_seen");
  b.last_seen = number_at(doc, "last_seen");
  const auto& m = doc.at("metrics");
  for (size_t i = 0; i < kMetricCount; ++i) {
    const auto& e = m.at(std::string(kMetricNames[i]));
    if (!e.is_array() || e.size() != 3) throw std::runtime_error("baseline metric is not [mean, var, count]");
    b.metrics[i] = {e[0].get<double>(), e[1].get<double>(), e[2].get<uint64_t>()};
    if (!std::isfinite(b.metrics[i].mean) || !(b.metrics[i].var >= 0))
      throw std::runtime_error("baseline metric has impossible values");
  }
  return b;
}

}  // namespace nebula::memory
