// tx_flood and the `economics` group (#19): the same jump in a node's
// transaction rate is a flood when its tips stay flat, and no flood when its
// tips rose with it (an organic surge; the Transaction Analyzer names it).
#include <gtest/gtest.h>

#include "nebula_pattern/tx_flood_detector.hpp"

namespace {

using namespace nebula::pattern;

// Whether any sample of a 20 s jump to 50 tx/s, after a minute at 1 tx/s
// with 1 gwei tips, is judged anomalous; `tip` is the jump's median tip.
// `reports_tip(t)`: whether the sample at second t carries its tip (an empty
// latest block or a failed fee query carries none).
// `ramp_s`: seconds of a slow start (3 tx/s, under the flood factor) at the
// jump's tip before the 50 tx/s.
// `lumpy`: the jump's 50 tx/s arrive as 99 in every other block, at its tip,
// with blocks of only the usual transaction (1 gwei) between.
bool flagged(double tip, bool (*reports_tip)(int) = [](int) { return true; }, int ramp_s = 0, bool lumpy = false) {
  TxFloodConfig cfg;
  cfg.rate_window_s = 10;
  cfg.window_blocks = 1;
  BaselineConfig baseline;
  baseline.warmup = 4;
  TxFloodDetector detector(cfg, baseline);
  TxFloodDetector::State state(baseline);
  double count = 0;
  bool any = false;
  for (int t = 0; t <= 80 + ramp_s; ++t) {
    const bool jump = t > 60;
    const bool ramp = jump && t <= 60 + ramp_s;
    const bool usual_block = !jump || (lumpy && !ramp && t % 2 == 0);
    count += usual_block ? 1 : ramp ? 3 : lumpy ? 99 : 50;
    Sample s;
    s.timestamp = t;
    s.node_id = "n";
    s.tx_count = count;
    s.tip_gwei = !reports_tip(t) ? kMissing : usual_block ? 1.0 : tip;
    const Verdict v = detector.observe(s, state, 1.0, kMissing);
    any = any || (jump && v.anomalous);
    EXPECT_FALSE(!jump && v.anomalous) << "at " << t;
    detector.learn(state, t, v.anomalous);
  }
  return any;
}

TEST(TxFloodFees, FlatTipsAreAFlood) { EXPECT_TRUE(flagged(1.0)); }
TEST(TxFloodFees, CheaperTipsAreAFlood) { EXPECT_TRUE(flagged(0.0)); }
TEST(TxFloodFees, RisingTipsAreNoFlood) { EXPECT_FALSE(flagged(5.0)); }

TEST(TxFloodFees, WithoutTipsTheRateAloneDecides) { EXPECT_TRUE(flagged(kMissing)); }

// Seen on real anvil nodes under load (tests/e2e/real_chains_test.cpp): an
// organic surge whose samples now and then lack a tip was called a flood.
TEST(TxFloodFees, ASurgeSampleWithoutATipIsJudgedByTheNewestTipInTheWindow) {
  EXPECT_FALSE(flagged(5.0, [](int t) { return t % 3 != 0; }));
  EXPECT_TRUE(flagged(1.0, [](int t) { return t % 3 != 0; }));
}

TEST(TxFloodFees, ATipOlderThanTheWindowNoLongerSpeaksForTheNode) {
  // The surge's tips stop after its first two seconds; 10 s later (the
  // window) the rate alone decides again.
  EXPECT_TRUE(flagged(5.0, [](int t) { return t <= 62; }));
}

// Seen on real anvil nodes (tests/e2e/real_chains_test.cpp): a surge's
// first seconds raise the tips while the windowed rate is still under the
// flood factor. Learned at once, those tips lifted the usual tip to where
// the surge's own tips no longer counted as risen: a "flood".
TEST(TxFloodFees, TipsOfASurgesRampAreNotItsYardstick) {
  EXPECT_FALSE(flagged(3.0, [](int) { return true; }, 5));
  EXPECT_TRUE(flagged(1.0, [](int) { return true; }, 5));
}

// Seen on real anvil nodes (tests/e2e/real_chains_test.cpp): a surge sent
// once a second landed whole in one block, and the block after held only the
// usual transfers at the usual tip. The rate spans both; judged by the newest
// block alone, every other sample of the surge was a "flood".
TEST(TxFloodFees, ASurgeInLumpsIsJudgedByWhatItsTransactionsPaid) {
  EXPECT_FALSE(flagged(5.0, [](int) { return true; }, 0, true));
  EXPECT_TRUE(flagged(1.0, [](int) { return true; }, 0, true));
  EXPECT_TRUE(flagged(0.0, [](int) { return true; }, 0, true));
}

}  // namespace
