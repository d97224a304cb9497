// Known-answer tests for the small statistics the synthesizer is built on.
#include <cmath>

#include <gtest/gtest.h>

#include <nebula_processors/block_times.hpp>
#include <nebula_processors/counter_increase.hpp>

#include "characterisation.hpp"
#include "cross_chain.hpp"
#include "rolling_window.hpp"

using namespace nebula::intelligence;
using namespace nebula::processors;  // block_times and counter_increase moved to the processors' common library

TEST(CounterIncrease, GrowingCounterGivesDifference) { EXPECT_DOUBLE_EQ(counter_increase(100, 250), 150); }

TEST(CounterIncrease, DropMeansRestartFromZero) {
  // 900 -> 40: the node restarted and has counted 40 since.
  EXPECT_DOUBLE_EQ(counter_increase(900, 40), 40);
}

TEST(CounterIncrease, MissingSideIsUnknown) {
  EXPECT_TRUE(std::isnan(counter_increase(std::nan(""), 5)));
  EXPECT_TRUE(std::isnan(counter_increase(5, std::nan(""))));
}

TEST(RollingWindow, MeanStdCvQuantilesAreExact) {
  RollingWindow w(10);
  for (double v : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) w.add(v);
  EXPECT_DOUBLE_EQ(w.mean(), 5.0);
  EXPECT_DOUBLE_EQ(w.stddev(), 2.0);  // the textbook population example
  EXPECT_DOUBLE_EQ(w.cv(), 0.4);
  EXPECT_DOUBLE_EQ(w.quantile(0.5), 4.5);
  EXPECT_DOUBLE_EQ(w.max(), 9.0);
  EXPECT_DOUBLE_EQ(w.quantile(0.9), 7.0 + 0.3 * 2.0);  // pos 6.3 between 7 and 9
}

TEST(RollingWindow, KeepsOnlyTheLastN) {
  RollingWindow w(3);
  for (double v : {100.0, 1.0, 2.0, 3.0}) w.add(v);
  EXPECT_EQ(w.size(), 3u);
  EXPECT_DOUBLE_EQ(w.mean(), 2.0);
  w.add(std::nan(""));  // ignored
  EXPECT_EQ(w.size(), 3u);
}

TEST(RollingWindow, EmptyIsUnknownNotZero) {
  RollingWindow w(3);
  EXPECT_TRUE(std::isnan(w.mean()));
  EXPECT_TRUE(w.summary()["mean"].is_null());
  EXPECT_EQ(w.summary()["samples"], 0);
}

TEST(BlockTimes, LookupOrder) {
  BlockTimes bt;
  bt.merge({{"devnet", 2.0}, {"nebula-testnet-2", 6.0}});
  EXPECT_DOUBLE_EQ(bt.lookup("nebula-testnet-2", "basic"), 6.0);  // exact chain id first
  EXPECT_DOUBLE_EQ(bt.lookup("main", "mainnet"), 30.0);           // then node type
  EXPECT_DOUBLE_EQ(bt.lookup("nebula-testnet-7", "basic"), 5.0);  // then a name inside the chain id
  EXPECT_DOUBLE_EQ(bt.lookup("other", "basic"), 15.0);            // then the fallback
}

TEST(LeastSquares, SlopeOfALine) {
  EXPECT_DOUBLE_EQ(least_squares_slope({0, 1, 2}, {1, 3, 5}), 2.0);
  EXPECT_TRUE(std::isnan(least_squares_slope({1, 1}, {1, 2})));
}

TEST(BlockTimeEffects, TwoChainElasticityIsLogRatio) {
  ChainNumbers fast, slow;
  fast.chain = "testnet", fast.block_time_s = 5, fast.lag_seconds = 10, fast.tx_per_s = 8;
  slow.chain = "mainnet", slow.block_time_s = 30, slow.lag_seconds = 60, slow.tx_per_s = 8;
  auto e = block_time_effects({fast, slow});
  EXPECT_NEAR(e["lag_seconds"]["elasticity"].get<double>(), 1.0, 1e-12);  // 6x block time, 6x lag
  EXPECT_EQ(e["lag_seconds"]["direction"], "increases with block time");
  EXPECT_NEAR(e["throughput_tx_per_s"]["elasticity"].get<double>(), 0.0, 1e-12);
  EXPECT_EQ(e["throughput_tx_per_s"]["direction"], "insensitive to block time");
  EXPECT_EQ(e["stalls_per_node_hour"]["direction"], "unknown");
}

TEST(CompareChains, RatiosAreOtherOverFastestChain) {
  ChainNumbers fast, slow;
  fast.chain = "testnet", fast.block_time_s = 5, fast.lag_seconds = 10, fast.lag_blocks = 2, fast.tx_per_s = 20;
  slow.chain = "mainnet", slow.block_time_s = 30, slow.lag_seconds = 30, slow.lag_blocks = 1, slow.tx_per_s = 5;
  auto c = compare_chains({slow, fast});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["reference"], "testnet");
  EXPECT_EQ(c[0]["chain_id"], "mainnet");
  EXPECT_DOUBLE_EQ(c[0]["block_time_ratio"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(c[0]["lag_seconds_ratio"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(c[0]["lag_blocks_ratio"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(c[0]["throughput_ratio"].get<double>(), 0.25);
  EXPECT_TRUE(c[0]["stall_rate_ratio"].is_null());
}

TEST(Characterise, FastVariableChain) {
  Config cfg;
  cfg.min_samples = 3;
  ChainNumbers n;
  n.block_time_s = 5, n.interval_s = 5.5, n.interval_samples = 10, n.cadence_cv = 0.8;
  n.tx_cv = 0.9, n.tx_samples = 10;
  auto c = characterise(n, cfg);
  EXPECT_EQ(c["profile"], "rapid consensus / development traffic / fast adaptation");
  EXPECT_EQ(c["basis"]["cadence_from"], "observed");
}

TEST(Characterise, SlowSteadyChain) {
  Config cfg;
  cfg.min_samples = 3;
  ChainNumbers n;
  n.block_time_s = 30, n.interval_s = 29, n.interval_samples = 10, n.cadence_cv = 0.1;
  n.tx_cv = 0.05, n.tx_samples = 10;
  EXPECT_EQ(characterise(n, cfg)["profile"], "stable consensus / real usage / economic behaviour");
}

TEST(Characterise, TooFewSamplesFallsBackToExpectedAndUnknown) {
  Config cfg;  // min_samples 10
  ChainNumbers n;
  n.block_time_s = 30, n.interval_s = 2, n.interval_samples = 3, n.cadence_cv = 2;
  auto c = characterise(n, cfg);
  EXPECT_EQ(c["consensus"], "stable consensus");
  EXPECT_EQ(c["basis"]["cadence_from"], "expected");
  EXPECT_EQ(c["traffic"], "traffic unknown");
  EXPECT_EQ(c["behaviour"], "behaviour unknown");
}
