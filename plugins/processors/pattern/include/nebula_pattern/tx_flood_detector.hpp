// "tx_flood": the node's transaction rate, from deltas of the cumulative
// transaction_count over a window, reaches factor x its baseline rate. A
// decreasing counter is a process restart (reset), never a negative rate.
//
// The counter moves in block-sized steps, so the rate is measured over
// max(rate_window_s, window_blocks x block interval) and the baseline takes
// one settled rate per sixth of that window: overlapping windows would
// otherwise make the baseline a copy of the last minute.
//
// A node that reports its fees (the `economics` group) is not flooded when
// the tip its window's transactions paid rose with the rate: that is demand
// bidding for block space, an organic surge (nebula_processors/economics.hpp;
// the Transaction Analyzer reports it as such). That tip is the median of
// the samples' block tips, each weighted by the transactions the sample
// added: a surge lands in lumps (a block full of it, then one with only the
// usual traffic), and the rate spans both, so the newest block alone does
// not speak for the window. Without a weighed tip in the window (no tips, or
// no transactions beside them) the newest tip the node reported within the
// window decides: one missing reading must not turn a surge into a flood.
// The usual tip learns a tip only once it is a window old with no burst
// since (FeeBaseline::hold): a surge's ramp raises tips before the windowed
// rate crosses the threshold, and must not become the surge's yardstick.
#pragma once

#include <cstdint>
#include <vector>
#include <utility>

#include <nebula_processors/economics.hpp>

#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/robust_baseline.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class TxFloodDetector {
 public:
  struct Point {
    double ts;
    double count;
    float lag;  // blocks behind the chain tip, NaN when unknown (small whole numbers: exact)
    float tip;  // the sample's median tip (gwei), NaN when it carried none
  };
  struct State {
    explicit State(const BaselineConfig& c)
        : rate(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)) {}
    // Vectors, not deques: a handful of entries each, and an empty std::deque
    // allocates ~600 bytes up front (issue 15: per-node state).
    std::vector<Point> points;                       // the rate window
    std::vector<std::pair<double, double>> settling; // (ts, rate) not yet in the baseline
    RobustBaseline rate;                            // tx/s
    double window = 0;                              // seconds, for the chain of this node
    double last_rate = kMissing;
    double last_learned = kMissing;                 // ts of the last rate taken into the baseline
    std::uint64_t resets = 0;
    processors::FeeBaseline fees;                   // usual median tip, from tips a window old outside bursts
    double last_tip = kMissing;                     // newest median tip reported, and when
    double last_tip_ts = kMissing;
  };

  TxFloodDetector(const TxFloodConfig& config, const BaselineConfig& baseline)
      : config_(config), min_z_(baseline.min_z) {}

  // `interval` is the chain's expected block interval, `tip` its highest height.
  Verdict observe(const Sample& sample, State& state, double interval, double tip) const;

  // Baseline upkeep after every sample. A rate joins the baseline once it
  // is a full window old and nothing was open on the node meanwhile, so the
  // ramp of a flood caught late never leaks in; `frozen` drops what waits.
  void learn(State& state, double now, bool frozen) const;

 private:
  TxFloodConfig config_;
  double min_z_;
};

}  // namespace nebula::pattern
