// The Transaction Analyzer on the `economics` group (#19): a burst of cheap
// transactions (tips flat or lower) is a spam flood, a burst whose tips rose
// with it an organic surge, a burst without fees stays "unknown"; the chain
// summary carries fee pressure and the mempool backlog, within the
// blockchain topic's schema.
#include <gtest/gtest.h>

#include <cmath>

#include "topic_contract.hpp"
#include "transaction_analyzer.hpp"

namespace {

using nebula::processors::Economics;
using nebula::transaction_analyzer::Config;
using nebula::transaction_analyzer::TransactionAnalyzer;
using nebula::transaction_analyzer::TxSample;
using nlohmann::json;

Economics fees(double tip_gwei, double pending) {
  Economics e;
  e.base_fee_gwei = 0.5;
  e.tip_p50_gwei = tip_gwei;
  e.gas_used_ratio = 0.1;
  e.mempool_pending = pending;
  e.mempool_queued = 0;
  return e;
}

TxSample sample(double t, std::string_view node, int64_t count, const Economics& e) {
  return TxSample{t, node, "eth", count, std::nullopt, std::nullopt, e, std::nullopt};
}

// Ten quiet seconds (10 tx/s at a 1 gwei tip) for each node, then one second
// of `burst_tx` transactions at `burst_tip`.
json burst_insight(TransactionAnalyzer& a, std::string_view node, int64_t burst_tx, double burst_tip,
                   bool with_fees = true) {
  int64_t count = 0;
  for (int t = 0; t <= 10; ++t, count += 10) a.observe(sample(t, node, count, with_fees ? fees(1.0, 5) : Economics{}));
  a.take_insight();
  a.observe(sample(11, node, count + burst_tx, with_fees ? fees(burst_tip, 400) : Economics{}));
  return a.take_insight().value_or(json::object());
}

TEST(FeeDemand, CheapBurstIsASpamFlood) {
  TransactionAnalyzer a{Config{}};
  const json doc = burst_insight(a, "spammed", 500, 0.0);
  const json& chain = doc["chains"]["eth"];
  ASSERT_EQ(chain["bursts"].size(), 1u) << doc.dump();
  EXPECT_EQ(chain["bursts"][0]["cause"], "spam_flood");
  EXPECT_EQ(chain["bursts"][0]["priority_fee_p50_gwei"], 0.0);
  EXPECT_NEAR(chain["bursts"][0]["usual_priority_fee_gwei"].get<double>(), 1.0, 1e-9);
  EXPECT_TRUE(topic_contract::conforms("blockchain", doc));
}

TEST(FeeDemand, BurstWithRisingTipsIsAnOrganicSurge) {
  TransactionAnalyzer a{Config{}};
  const json doc = burst_insight(a, "busy", 500, 4.0);
  const json& chain = doc["chains"]["eth"];
  ASSERT_EQ(chain["bursts"].size(), 1u) << doc.dump();
  EXPECT_EQ(chain["bursts"][0]["cause"], "organic_surge");
  const json& econ = chain["economics"];
  EXPECT_EQ(econ["nodes_reporting"], 1);
  EXPECT_NEAR(econ["fee_pressure"].get<double>(), 4.0, 1e-9) << "4 gwei against the usual 1";
  EXPECT_EQ(econ["mempool_pending"], 400.0);
  EXPECT_EQ(econ["nodes"][0]["mempool_growth"], 395.0) << "the backlog grew by 395 since the last report";
  EXPECT_TRUE(topic_contract::conforms("blockchain", doc));
}

TEST(FeeDemand, FlatTipsSlightlyAboveUsualAreStillAFlood) {
  TransactionAnalyzer a{Config{}};
  const json doc = burst_insight(a, "spammed", 500, 1.2);  // below 1.5 x usual
  EXPECT_EQ(doc["chains"]["eth"]["bursts"][0]["cause"], "spam_flood");
}

TEST(FeeDemand, WithoutFeesTheCauseIsUnknown) {
  TransactionAnalyzer a{Config{}};
  const json doc = burst_insight(a, "plain", 500, 0, /*with_fees=*/false);
  const json& chain = doc["chains"]["eth"];
  ASSERT_EQ(chain["bursts"].size(), 1u);
  EXPECT_EQ(chain["bursts"][0]["cause"], "unknown");
  EXPECT_FALSE(chain["bursts"][0].contains("priority_fee_p50_gwei"));
  EXPECT_FALSE(chain.contains("economics"));
  EXPECT_TRUE(topic_contract::conforms("blockchain", doc));
}

TEST(FeeDemand, ABurstDoesNotTeachTheUsualTip) {
  TransactionAnalyzer a{Config{}};
  burst_insight(a, "n", 500, 9.0);
  // A second burst right after, still at 9 gwei: judged against the 1 gwei
  // before the first, not against the first burst's tips.
  a.observe(sample(12, "n", 100 + 500 + 3000, fees(9.0, 400)));
  const json doc = a.take_insight().value_or(json::object());
  ASSERT_EQ(doc["chains"]["eth"]["bursts"].size(), 1u) << doc.dump();
  EXPECT_EQ(doc["chains"]["eth"]["bursts"][0]["cause"], "organic_surge");
  EXPECT_NEAR(doc["chains"]["eth"]["bursts"][0]["usual_priority_fee_gwei"].get<double>(), 1.0, 1e-9);
}

// A 6 s chain sampled every second: five samples without a block, then a
// block of 12 transactions. Steady 2 tx/s, never a burst.
TEST(FeeDemand, SamplesBetweenBlocksAreNoRateSamples) {
  TransactionAnalyzer a{Config{}};
  int64_t count = 0;
  size_t bursts = 0;
  for (int t = 0; t <= 60; ++t) {
    const bool block = t % 6 == 0;
    count += block ? 12 : 0;
    TxSample s = sample(t, "slow", count, fees(1.0, 0));
    s.blocks_processed = block ? 1 : 0;
    a.observe(s);
    bursts += a.take_insight().value_or(json::object())["chains"]["eth"].value("burst_count", size_t(0));
  }
  EXPECT_EQ(bursts, 0u);
  EXPECT_DOUBLE_EQ(a.throughput("eth"), 2.0);
}

}  // namespace
