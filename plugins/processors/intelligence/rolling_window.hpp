// The last N observations of one quantity, with the summary statistics the
// intelligence insight reports. Bounded by construction.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::intelligence {

class RollingWindow {
 public:
  RollingWindow() : RollingWindow(512) {}
  explicit RollingWindow(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  void add(double value);  // NaN / infinite values are ignored
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  // All NaN when empty.
  double mean() const;
  double stddev() const;  // population standard deviation
  double cv() const;      // stddev / mean; NaN when mean is 0
  double max() const;
  double quantile(double q) const;  // linear interpolation between order statistics

  // {"mean","p50","p90","max","samples"}; numbers are null when empty.
  nlohmann::json summary() const;

 private:
  size_t capacity_;
  size_t next_ = 0;  // slot to overwrite once full
  std::vector<double> values_;
};

}  // namespace nebula::intelligence
