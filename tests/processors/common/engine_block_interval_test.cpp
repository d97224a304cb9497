// The engines that measure block intervals (intelligence's cadence, memory's
// block_interval_s baseline) read them off the shared height clock: a MainNet
// node sampled every 5 s shows ~30 s blocks, a TestNet node ~5 s (issue #14).
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "consolidator.hpp"
#include "synthesizer.hpp"

namespace {

namespace intel = nebula::intelligence;
namespace mem = nebula::memory;
using nebula::processors::Sample;

// One node on `chain` whose height advances every `block_s`, sampled every
// 5 s for `seconds`, with every sample delivered twice (a retried batch).
template <class Engine>
void feed(Engine& engine, const std::string& node, const std::string& chain, double block_s, double seconds) {
  for (double t = 1; t <= seconds; t += 5) {
    Sample s;
    s.timestamp = t;
    s.node_id = node;
    s.chain_id = chain;
    s.node_type = chain;
    s.height = 1000 + std::floor(t / block_s);
    engine.ingest(s);
    engine.ingest(s);  // the duplicate is dropped as out of order
  }
}

double observed_interval(const nlohmann::json& insight, const std::string& chain) {
  for (const auto& c : insight["chains"])
    if (c["chain_id"] == chain) return c["cadence"]["observed_interval_s"].get<double>();
  throw std::runtime_error("no chain " + chain);
}

}  // namespace

TEST(IntelligenceBlockInterval, MainNetSampledEveryFiveSecondsHasThirtySecondBlocks) {
  intel::Synthesizer syn{intel::Config{}};
  feed(syn, "m1", "mainnet", 30, 1800);
  feed(syn, "t1", "testnet", 5, 1800);
  const auto doc = syn.build_insight();
  EXPECT_NEAR(observed_interval(doc, "mainnet"), 30.0, 0.5);
  EXPECT_NEAR(observed_interval(doc, "testnet"), 5.0, 0.1);
  EXPECT_EQ(doc["out_of_order_samples"], 2 * 360);
}

TEST(IntelligenceBlockInterval, TwoMainNetNodesOutOfPhaseStillSeeThirtySeconds) {
  intel::Synthesizer syn{intel::Config{}};
  feed(syn, "a", "mainnet", 30, 1800);
  for (double t = 3; t <= 1800; t += 5) {  // a second node, 2 s later, same chain
    Sample s;
    s.timestamp = t, s.node_id = "b", s.chain_id = "mainnet", s.height = 1000 + std::floor(t / 30);
    syn.ingest(s);
  }
  EXPECT_NEAR(observed_interval(syn.build_insight(), "mainnet"), 30.0, 0.5);
}

TEST(MemoryBlockInterval, BaselineOfAMainNetNodeSampledEveryFiveSecondsIsThirtySeconds) {
  mem::Consolidator memory{mem::Config{}};
  feed(memory, "m1", "mainnet", 30, 1800);
  const auto baseline = memory.node("m1")->baseline.summary();
  EXPECT_NEAR(baseline["metrics"]["block_interval_s"]["mean"].get<double>(), 30.0, 0.5);
}
