// The Learning Engine against hand-computed examples, and the exact shape of
// the training_examples contract.
#include <cmath>

#include <gtest/gtest.h>

#include "learning_engine.hpp"

using namespace nebula::learning;

namespace {

std::vector<nlohmann::json> parsed(const std::vector<std::string>& texts) {
  std::vector<nlohmann::json> out;
  for (const auto& t : texts) out.push_back(nlohmann::json::parse(t));
  return out;
}

Sample S(double ts, const std::string& node, const std::string& type, double height, double blocks, double tx,
         double peers, double latency) {
  Sample s;
  s.timestamp = ts;
  s.node_id = node;
  s.node_type = type;
  s.chain_id = type;
  s.height = height;
  s.blocks_processed = blocks;
  s.tx_count = tx;
  s.peers = peers;
  s.latency_ms = latency;
  return s;
}

size_t index_of(std::string_view name) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (kFeatureNames[i] == name) return i;
  throw std::runtime_error("no feature");
}

}  // namespace

TEST(LearningEngine, FeatureNamesAreTheContractOrder) {
  const std::vector<std::string> expected{"blocks_per_interval", "tx_rate", "height_lag", "peer_count", "latency_ms",
                                          "bandwidth", "connection_quality", "cpu_usage", "memory_usage", "hash_rate",
                                          "block_interval_expected_s", "is_testnet", "is_mainnet"};
  ASSERT_EQ(kFeatureCount, expected.size());
  for (size_t i = 0; i < kFeatureCount; ++i) EXPECT_EQ(kFeatureNames[i], expected[i]);
}

TEST(LearningEngine, ExampleWaitsForTheNextSampleAndTakesItsValuesAsTargets) {
  LearningEngine eng(Config{});
  EXPECT_FALSE(eng.ingest(S(100, "n1", "testnet", 50, 2, 1000, 8, 20)));
  auto e = eng.ingest(S(110, "n1", "testnet", 53, 3, 1040, 9, 35));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->timestamp, 100);  // the example is about interval t ...
  EXPECT_EQ(e->raw[kPeerCount], 8);
  EXPECT_EQ(e->raw[kLatencyMs], 20);
  EXPECT_EQ(e->targets.next_blocks, 3);  // ... its targets are what t+1 reported
  EXPECT_EQ(e->targets.next_transactions, 40);
  EXPECT_EQ(e->targets.next_latency, 35);
  EXPECT_EQ(e->targets.next_peers, 9);
}

TEST(LearningEngine, TxRateAndNextTransactionsAreResetRobust) {
  LearningEngine eng(Config{});
  eng.ingest(S(0, "n1", "testnet", 1, 1, 500, 8, 20));
  eng.ingest(S(10, "n1", "testnet", 2, 1, 600, 8, 20));  // 10 tx/s
  auto e = eng.ingest(S(20, "n1", "testnet", 3, 1, 30, 8, 20));  // restarted: 30 since restart
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->raw[kTxRate], 10.0);
  EXPECT_DOUBLE_EQ(e->targets.next_transactions, 30.0);
  auto f = eng.ingest(S(30, "n1", "testnet", 4, 1, 60, 8, 20));
  EXPECT_DOUBLE_EQ(f->raw[kTxRate], 3.0);  // the post-reset sample's own rate: 30 tx / 10 s
}

TEST(LearningEngine, HeightLagAndPerChainBlockTime) {
  LearningEngine eng(Config{});
  eng.ingest(S(0, "a", "testnet", 100, 2, 0, 8, 20));
  eng.ingest(S(0, "b", "testnet", 96, 2, 0, 8, 20));
  eng.ingest(S(0, "m", "mainnet", 10, 1, 0, 8, 20));
  auto b = eng.ingest(S(10, "b", "testnet", 99, 3, 0, 8, 20));
  auto m = eng.ingest(S(30, "m", "mainnet", 11, 1, 0, 8, 20));
  ASSERT_TRUE(b && m);
  EXPECT_EQ(b->raw[kHeightLag], 4);
  EXPECT_EQ(b->raw[kBlockIntervalExpected], 5);
  EXPECT_EQ(b->raw[kIsTestnet], 1);
  EXPECT_EQ(b->raw[kIsMainnet], 0);
  EXPECT_EQ(m->raw[kHeightLag], 0);
  EXPECT_EQ(m->raw[kBlockIntervalExpected], 30);
  EXPECT_EQ(m->raw[kIsMainnet], 1);
}

// A config that also writes each example's normalised features.
Config with_features() {
  Config c;
  c.include_features = true;
  return c;
}

TEST(LearningEngine, BasicNodeBlocksFromHeightDeltaAndMissingFieldsImputed) {
  LearningEngine eng(with_features());
  Sample s1, s2;
  s1.timestamp = 0, s1.node_id = "basic1", s1.node_type = "basic", s1.height = 10;
  s2 = s1;
  s2.timestamp = 15, s2.height = 13;
  eng.ingest(S(0, "full", "basic", 10, 2, 0, 6, 50));  // gives latency a mean
  eng.ingest(S(10, "full", "basic", 12, 2, 0, 8, 70));
  eng.ingest(s1);
  auto e = eng.ingest(s2);
  ASSERT_TRUE(e);
  EXPECT_TRUE(std::isnan(e->raw[kLatencyMs]));
  EXPECT_EQ(e->targets.next_blocks, 3);  // height 10 -> 13
  EXPECT_TRUE(std::isnan(e->targets.next_latency));
  auto doc = parsed(eng.insights({*e}))[0]["examples"][0];
  EXPECT_EQ(doc["features"][kLatencyMs], 0.0);
  EXPECT_DOUBLE_EQ(doc["raw"][kLatencyMs].get<double>(), 60.0);  // imputed running mean
  EXPECT_TRUE(doc["targets"]["next_latency"].is_null());
  EXPECT_EQ(doc["chain_id"], "basic");  // no chain_id: keyed by node type
}

TEST(LearningEngine, InsightFeaturesAreRawNormalisedByThePublishedScales) {
  LearningEngine eng(with_features());
  std::vector<Example> all;
  for (int i = 0; i < 6; ++i) {
    auto got = eng.ingest({S(10.0 * i, "n1", "testnet", 10 + i, 1 + i % 2, 100.0 * i, 5 + i, 20.0 + 3 * i),
                           S(10.0 * i, "n2", "mainnet", 5 + i, 1, 30.0 * i, 9, 80.0 - i)});
    all.insert(all.end(), got.begin(), got.end());
  }
  ASSERT_EQ(all.size(), 10u);
  const auto doc = parsed(eng.insights(all))[0];
  const auto& mean = doc["normalization"]["mean"];
  const auto& sd = doc["normalization"]["std"];
  EXPECT_EQ(doc["normalization"]["count"], 12);
  for (const auto& ex : doc["examples"])
    for (size_t i = 0; i < kFeatureCount; ++i)
      EXPECT_NEAR(ex["features"][i].get<double>(),
                  (ex["raw"][i].get<double>() - mean[i].get<double>()) / sd[i].get<double>(), 1e-12);
  // The latency scale equals a direct computation over all 12 samples.
  double m = 0, v = 0;
  std::vector<double> lat;
  for (int i = 0; i < 6; ++i) lat.push_back(20.0 + 3 * i), lat.push_back(80.0 - i);
  for (double x : lat) m += x;
  m /= lat.size();
  for (double x : lat) v += (x - m) * (x - m);
  EXPECT_NEAR(mean[index_of("latency_ms")].get<double>(), m, 1e-12);
  EXPECT_NEAR(sd[index_of("latency_ms")].get<double>(), std::sqrt(v / lat.size()), 1e-12);
}

TEST(LearningEngine, InsightHasExactlyTheContractKeys) {
  LearningEngine eng(Config{});
  eng.ingest(S(0, "n1", "testnet", 1, 1, 0, 8, 20));
  auto e = eng.ingest(S(5, "n1", "testnet", 2, 1, 10, 8, 20));
  const auto doc = parsed(eng.insights({*e}))[0];
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"examples", "feature_names", "generated_at", "kind", "normalization"}));
  EXPECT_EQ(doc["kind"], "training_examples");
  EXPECT_EQ(doc["generated_at"], 5.0);
  EXPECT_EQ(doc["feature_names"].size(), kFeatureCount);
  const auto& ex = doc["examples"][0];
  keys.clear();
  for (auto it = ex.begin(); it != ex.end(); ++it) keys.push_back(it.key());
  // `features` only on request: they are raw normalised by the insight's scales.
  EXPECT_EQ(keys, (std::vector<std::string>{"anomaly", "chain_id", "node_id", "node_type", "raw", "targets", "timestamp"}));
  EXPECT_EQ(ex["raw"].size(), kFeatureCount);
  LearningEngine with(with_features());
  with.ingest(S(0, "n1", "testnet", 1, 1, 0, 8, 20));
  const auto written = parsed(with.insights({*with.ingest(S(5, "n1", "testnet", 2, 1, 10, 8, 20))}))[0]["examples"][0];
  keys.clear();
  for (auto it = written.begin(); it != written.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"anomaly", "chain_id", "features", "node_id", "node_type", "raw", "targets",
                                            "timestamp"}));
  EXPECT_EQ(written["features"].size(), kFeatureCount);
  EXPECT_EQ(ex["anomaly"], nlohmann::json({{"active", false}, {"kinds", nlohmann::json::array()}}));
  for (const char* t : {"next_blocks", "next_transactions", "next_latency", "next_peers"})
    EXPECT_TRUE(ex["targets"].contains(t)) << t;
}

TEST(LearningEngine, InsightTextIsWhatDumpingItsDocumentGives) {
  // Written directly, not through a nlohmann document: the bytes must still
  // be dump()'s (sorted keys, number format, escapes, null for unknown).
  LearningEngine eng(with_features());
  eng.ingest(S(0, "n\"1\t", "testnet", 1, 1, 0, 8, 20));
  eng.ingest(S(0, "n2", "mainnet", 7, 1, 0.1, 3, 1e-7));
  auto e1 = eng.ingest(S(5, "n\"1\t", "testnet", 2, 1, 10, 8, std::nan("")));
  auto e2 = eng.ingest(S(5, "n2", "mainnet", 9, 2, 1e21, 3, 12.5));
  ASSERT_TRUE(e1 && e2);
  ASSERT_TRUE(eng.on_patterns(R"({"active":[{"kind":"stall","node_id":"n2"}]})", "pat"));
  for (const auto& text : eng.insights({*e1, *e2})) EXPECT_EQ(text, nlohmann::json::parse(text).dump());
}

TEST(LearningEngine, AnomalyFromLatestPatternsInsight) {
  LearningEngine eng(Config{});
  const auto doc = nlohmann::json::parse(R"({"kind":"patterns","active":[
      {"kind":"stall","node_id":"n1"}, {"kind":"partition","nodes":["n1","n2"]},
      "junk", {"kind":["x"]}, {"kind":"spike","node_id":{"id":"n1"}}, {"kind":"spike","nodes":"n1"}]})");
  ASSERT_TRUE(eng.on_patterns(doc.dump(), "pat"));
  EXPECT_FALSE(eng.on_patterns(R"({"active":{}})", "pat"));
  eng.ingest(S(0, "n1", "testnet", 1, 1, 0, 8, 20));
  eng.ingest(S(0, "n3", "testnet", 1, 1, 0, 8, 20));
  auto e1 = eng.ingest(S(5, "n1", "testnet", 2, 1, 0, 8, 20));
  auto e3 = eng.ingest(S(5, "n3", "testnet", 2, 1, 0, 8, 20));
  auto out = parsed(eng.insights({*e1, *e3}))[0]["examples"];
  EXPECT_EQ(out[0]["anomaly"], nlohmann::json({{"active", true}, {"kinds", {"partition", "stall"}}}));
  EXPECT_EQ(out[1]["anomaly"]["active"], false);
  // The next insight from the same source replaces the previous one.
  ASSERT_TRUE(eng.on_patterns(R"({"active":[]})", "pat"));
  EXPECT_EQ(parsed(eng.insights({*e1}))[0]["examples"][0]["anomaly"]["active"], false);
}

TEST(LearningEngine, ExamplesAreSplitAcrossInsightsAtTheCap) {
  Config c;
  c.max_examples_per_insight = 2;
  LearningEngine eng(c);
  std::vector<Example> all;
  for (int i = 0; i < 6; ++i) {
    auto got = eng.ingest({S(i, "a", "testnet", i, 1, i, 8, 20), S(i, "b", "testnet", i, 1, i, 8, 20)});
    all.insert(all.end(), got.begin(), got.end());
  }
  ASSERT_EQ(all.size(), 10u);
  const auto docs = parsed(eng.insights(all));
  ASSERT_EQ(docs.size(), 5u);
  for (const auto& d : docs) EXPECT_EQ(d["examples"].size(), 2u);
}

TEST(LearningEngine, NoExampleAcrossALongGapOrOutOfOrder) {
  Config c;
  c.max_gap_s = 60;
  LearningEngine eng(c);
  eng.ingest(S(0, "n1", "testnet", 1, 1, 0, 8, 20));
  EXPECT_FALSE(eng.ingest(S(600, "n1", "testnet", 100, 1, 0, 8, 20)));
  EXPECT_EQ(eng.gaps(), 1u);
  EXPECT_FALSE(eng.ingest(S(500, "n1", "testnet", 90, 1, 0, 8, 20)));
  EXPECT_EQ(eng.out_of_order(), 1u);
  EXPECT_TRUE(eng.ingest(S(610, "n1", "testnet", 102, 2, 0, 8, 20)));
}

TEST(LearningEngine, NodeCapEvicts) {
  Config c;
  c.max_nodes = 3;
  LearningEngine eng(c);
  for (int i = 0; i < 5; ++i) eng.ingest(S(i, "n" + std::to_string(i), "testnet", 1, 1, 0, 8, 20));
  EXPECT_EQ(eng.nodes_tracked(), 3u);
  EXPECT_EQ(eng.nodes_evicted(), 2u);
}
