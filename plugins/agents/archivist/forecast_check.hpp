// Forecasts held against what then happened, for the `forecasts` insight:
// one node's latest (ForecastCheck) and a chain's since the last insight
// (ForecastTally). error = forecast - actual, so a positive error means the
// model expected more than arrived.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>

#include <nlohmann/json.hpp>

namespace nebula::archivist {

struct ForecastCheck {
  double forecast = 0;
  double actual = 0;

  double abs_error() const { return std::abs(forecast - actual); }
  nlohmann::json to_json() const { return {{"forecast", forecast}, {"actual", actual}, {"error", forecast - actual}}; }
};

inline nlohmann::json to_json(const std::optional<ForecastCheck>& check) {
  return check ? check->to_json() : nlohmann::json(nullptr);
}

class ForecastTally {
 public:
  void add(const ForecastCheck& c) {
    ++examples_;
    forecast_ += c.forecast;
    actual_ += c.actual;
    abs_error_ += c.abs_error();
  }
  bool empty() const { return examples_ == 0; }
  // Means per node-interval; null while empty.
  nlohmann::json to_json() const {
    if (empty()) return nullptr;
    const double n = static_cast<double>(examples_);
    return {{"examples", examples_},
            {"forecast", forecast_ / n},
            {"actual", actual_ / n},
            {"error", (forecast_ - actual_) / n},
            {"abs_error", abs_error_ / n}};
  }

 private:
  size_t examples_ = 0;
  double forecast_ = 0, actual_ = 0, abs_error_ = 0;
};

}  // namespace nebula::archivist
