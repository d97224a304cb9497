#include "nebula_pattern/chain_state.hpp"

#include <algorithm>

namespace nebula::pattern {

namespace {
// The interval is measured over this many expected intervals: long enough
// that Poisson block arrivals average out, short enough to notice a slowdown.
constexpr double kMeasureIntervals = 20;
constexpr double kSmoothing = 0.5;  // EWMA weight of each new measurement
}  // namespace

ChainState::ChainState(std::string chain_id, double expected_interval)
    : chain_id_(std::move(chain_id)), expected_interval_(expected_interval) {}

const Incident* ChainState::partition_of(std::string_view node_id) const {
  for (const auto& p : partitions)
    if (std::binary_search(p.nodes.begin(), p.nodes.end(), node_id)) return &p;
  return nullptr;
}

void ChainState::observe_height(double height, double ts) {
  if (!present(height)) return;
  if (!present(tip_.height) || height > tip_.height) {
    tip_.height = height;
    tip_.advanced_at = ts;
  }
  if (!present(anchor_ts_)) {
    anchor_ts_ = ts;
    anchor_height_ = tip_.height;
    return;
  }
  const double span = ts - anchor_ts_;
  const double blocks = tip_.height - anchor_height_;
  if (span < kMeasureIntervals * expected_interval_ || blocks <= 0) return;
  const double measured = span / blocks;
  observed_interval_ = present(observed_interval_) ? (1 - kSmoothing) * observed_interval_ + kSmoothing * measured
                                                   : measured;
  anchor_ts_ = ts;
  anchor_height_ = tip_.height;
}

}  // namespace nebula::pattern
