#include "rolling_window.hpp"

#include <algorithm>
#include <cmath>

#include <nebula/json_numbers.hpp>

namespace nebula::intelligence {

void RollingWindow::add(double value) {
  if (!std::isfinite(value)) return;
  if (values_.size() < capacity_) {
    values_.push_back(value);
    return;
  }
  values_[next_] = value;
  next_ = (next_ + 1) % capacity_;
}

double RollingWindow::mean() const {
  if (values_.empty()) return std::nan("");
  double sum = 0;
  for (double v : values_) sum += v;
  return sum / static_cast<double>(values_.size());
}

double RollingWindow::stddev() const {
  if (values_.empty()) return std::nan("");
  const double m = mean();
  double sq = 0;
  for (double v : values_) sq += (v - m) * (v - m);
  return std::sqrt(sq / static_cast<double>(values_.size()));
}

double RollingWindow::cv() const {
  const double m = mean();
  if (!(std::fabs(m) > 0)) return std::nan("");
  return stddev() / std::fabs(m);
}

double RollingWindow::max() const {
  if (values_.empty()) return std::nan("");
  return *std::max_element(values_.begin(), values_.end());
}

double RollingWindow::quantile(double q) const {
  if (values_.empty()) return std::nan("");
  std::vector<double> sorted(values_);
  std::sort(sorted.begin(), sorted.end());
  const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

nlohmann::json RollingWindow::summary() const {
  return {{"mean", number_or_null(mean())},
          {"p50", number_or_null(quantile(0.5))},
          {"p90", number_or_null(quantile(0.9))},
          {"max", number_or_null(max())},
          {"samples", values_.size()}};
}

}  // namespace nebula::intelligence
