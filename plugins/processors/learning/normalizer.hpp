// Running mean / standard deviation per feature (Welford), the scales the
// agents train on. Missing values are imputed with the running mean, i.e.
// they normalise to 0. Serialisable so scales survive restarts.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "features.hpp"

namespace nebula::learning {

struct Welford {
  double count = 0;
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from the mean
  void add(double x);
};

class Normalizer {
 public:
  explicit Normalizer(uint64_t freeze_after = 0) : freeze_after_(freeze_after) {}

  // Folds the sample's present values in (no-op once frozen).
  void update(const FeatureVector& raw);
  bool frozen() const { return freeze_after_ > 0 && samples_ >= freeze_after_; }
  uint64_t samples() const { return samples_; }

  double mean(size_t i) const { return stats_[i].mean; }
  // Population standard deviation; 1 while it is 0 or unknown (fewer than 2
  // values), so a constant feature normalises to 0 instead of dividing by 0.
  double divisor(size_t i) const;
  const Welford& stats(size_t i) const { return stats_[i]; }

  FeatureVector impute(const FeatureVector& raw) const;     // NaN -> mean
  FeatureVector normalise(const FeatureVector& raw) const;  // (imputed - mean) / divisor

  // {"mean":[...],"std":[...],"count":N} as published in every insight.
  nlohmann::json published() const;

  // Persisted form; from_json throws std::runtime_error when the document is
  // not a normalisation state for exactly these feature names.
  nlohmann::json to_json() const;
  void from_json(const nlohmann::json& doc);

 private:
  uint64_t freeze_after_;
  uint64_t samples_ = 0;
  std::array<Welford, kFeatureCount> stats_{};
};

}  // namespace nebula::learning
