// A per-node "normal level" of one metric: the median of the last `window`
// accepted values, with the MAD as its noise scale. Medians ignore the odd
// spike, and the caller simply stops feeding values while an incident is
// pending or active, so an incident never becomes the new normal.
#pragma once

#include <cstddef>
#include <vector>

namespace nebula::pattern {

class RobustBaseline {
 public:
  RobustBaseline(std::size_t window, std::size_t warmup);

  // Accepts one value (NaN ignored) and refreshes the cached median: O(window)
  // with no allocation, exactly the values a sort would give. The MAD is
  // computed on the next sigma()/z() only: detectors ask for it only when a
  // value already looks unusual against the median, so most adds skip it.
  void add(double value);

  // True once `warmup` values have been accepted.
  bool ready() const { return accepted_ >= warmup_; }
  double median() const { return median_; }
  // Robust standard deviation: 1.4826 * MAD (NaN until a value is seen).
  double sigma() const;
  std::size_t accepted() const { return accepted_; }

  // How many robust sigmas `value` lies from the median. The sigma is floored
  // at `rel_floor` of |median| so a perfectly flat history (MAD 0) does not
  // turn every small wobble into an infinite deviation.
  double z(double value, double rel_floor) const;

 private:
  std::size_t window_;
  std::size_t warmup_;
  std::vector<double> ring_;    // arrival order: the oldest value leaves first
  std::vector<double> sorted_;  // the same values ascending, for the medians
  std::size_t next_ = 0;
  std::size_t accepted_ = 0;
  double median_;
  mutable double sigma_;              // valid while !sigma_stale_
  mutable bool sigma_stale_ = false;  // a value arrived since sigma_ was computed
};

}  // namespace nebula::pattern
