// A chain's block interval as one node sees it, measured from changes of the
// node's height over time: (time since the height last changed) / (blocks it
// rose by). A node that reports every 5 s on a 30 s chain repeats each height
// about six times; those repeats are not blocks, so the spacing of samples
// says nothing about the spacing of blocks.
#pragma once

#include "nebula_processors/record_sample.hpp"

namespace nebula::processors {

// What one height sample says about blocks. NaN = nothing measured.
struct HeightStep {
  bool changed = false;                 // first height, a rise or a reset: the height clock restarted
  double blocks = kMissing;             // blocks the height rose by
  double seconds_per_block = kMissing;  // the measured block interval
};

class HeightClock {
 public:
  // Folds in a finite height reported at `timestamp` (later than every
  // earlier one: callers drop duplicate and late samples first). A height
  // that went down (node or chain reset) restarts the clock, measuring nothing.
  HeightStep observe(double timestamp, double height);

  // Restores a persisted clock.
  void restore(double height, double changed_at) {
    height_ = height;
    changed_at_ = changed_at;
  }

  double height() const { return height_; }          // the latest height, NaN before the first
  double changed_at() const { return changed_at_; }  // when that height was first reported

 private:
  double height_ = kMissing;
  double changed_at_ = kMissing;
};

}  // namespace nebula::processors
