#include "nebula_processors/block_interval.hpp"

#include <cmath>

namespace nebula::processors {

HeightStep HeightClock::observe(double timestamp, double height) {
  HeightStep step;
  if (height == height_) return step;  // the same block again: the clock keeps running
  if (height > height_) {
    step.blocks = height - height_;
    if (timestamp > changed_at_) step.seconds_per_block = (timestamp - changed_at_) / step.blocks;
  }
  step.changed = true;
  height_ = height;
  changed_at_ = timestamp;
  return step;
}

}  // namespace nebula::processors
