// A streaming quantile sketch (KLL: Karnin, Lang, Liberty 2016) in bounded memory.
//
// Items live in levels of "compactors"; an item at level h stands for 2^h
// inputs. When the sketch is over capacity, the lowest full level is sorted
// and every other item (random offset) is promoted, halving it. Capacities
// shrink by 2/3 per level below the top, so at most about 3k + 2*levels
// doubles are retained (k = 200: < 700 doubles, ~5.5 KiB, for any stream).
//
// Error bound: the rank of quantile(q) is within q +- eps with eps ~
// 2.296 / k^0.9723 (the Apache DataSketches KLL bound, 99% confidence, for a
// single query): k = 200 -> 1.33%. count/min/max are exact. The coin flips come
// from a fixed-seed generator, so a given input always gives the same answers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace nebula::network_monitor {

class KllSketch {
 public:
  explicit KllSketch(uint32_t k = 200);

  void insert(double value);  // NaN and infinities are ignored
  void merge(const KllSketch& other);

  uint64_t count() const { return count_; }
  double min() const { return min_; }
  double max() const { return max_; }
  // Value whose estimated rank is q (0..1); NaN when empty.
  double quantile(double q) const;
  // quantile(qs[i]) for each i, sorting the retained items once.
  std::vector<double> quantiles(std::initializer_list<double> qs) const;
  // Items retained, a measure of memory.
  size_t retained() const { return retained_; }
  uint32_t k() const { return k_; }

  // The documented normalized rank error for a k (see above).
  static double rank_error(uint32_t k);

 private:
  void add_level();  // also recomputes the capacities, which depend on the depth
  void compress();
  bool coin();

  uint32_t k_;
  uint64_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
  uint64_t rng_ = 0x9E3779B97F4A7C15ull;
  std::vector<std::vector<double>> levels_;
  std::vector<size_t> capacities_;  // per level
  size_t total_capacity_ = 0;
  size_t retained_ = 0;
};

}  // namespace nebula::network_monitor
