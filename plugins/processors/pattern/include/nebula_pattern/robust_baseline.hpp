// A per-node "normal level" of one metric: the median of the last `window`
// accepted values, with the MAD as its noise scale. Medians ignore the odd
// spike, and the caller simply stops feeding values while an incident is
// pending or active, so an incident never becomes the new normal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace nebula::pattern {

class RobustBaseline {
 public:
  // `window` at most kMaxWindow (the config allows up to 4096).
  static constexpr std::size_t kMaxWindow = 65535;
  RobustBaseline(std::size_t window, std::size_t warmup);
  RobustBaseline(const RobustBaseline& other);
  RobustBaseline& operator=(const RobustBaseline& other);
  RobustBaseline(RobustBaseline&&) noexcept = default;
  RobustBaseline& operator=(RobustBaseline&&) noexcept = default;

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
  // The window in one block, allocated at the first value (a metric a node
  // never reports costs nothing): `window_` values in arrival order (a ring;
  // the oldest leaves first), then `window_` uint16 slots of that ring in
  // ascending order of their values, for the medians. 10 bytes a value
  // instead of two arrays of doubles (issue 15: per-node state).
  double* ring() const { return block_.get(); }
  std::uint16_t* order() const { return reinterpret_cast<std::uint16_t*>(block_.get() + window_); }
  double sorted(std::size_t i) const { return ring()[order()[i]]; }

  std::uint32_t window_;
  std::uint32_t warmup_;
  std::uint32_t size_ = 0;  // values held, at most window_
  std::uint32_t next_ = 0;  // the oldest slot once full
  std::size_t accepted_ = 0;
  std::unique_ptr<double[]> block_;
  double median_;
  mutable double sigma_;              // valid while !sigma_stale_
  mutable bool sigma_stale_ = false;  // a value arrived since sigma_ was computed
};

}  // namespace nebula::pattern
