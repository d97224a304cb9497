// The real plugin library, loaded the way the host loads it, against the SDK's mock host.
#include <filesystem>

#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "nebula_test/test_batch.hpp"
#include "pattern_docs.hpp"

namespace {

using test_batch::Row;

const nebula::testing::PluginLibrary& library() {
  static nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_intelligence.so");
  return lib;
}
const nebula_plugin_descriptor* descriptor() { return library().find("nebula.processor.intelligence"); }

std::vector<Row> two_chains(double t0) {
  std::vector<Row> rows;
  for (int i = 0; i < 3; ++i) {
    const double ts = t0 + 10.0 * i;
    rows.push_back({.ts = ts, .node = "t1", .type = "testnet", .chain = "testnet", .height = int64_t(100 + 2 * i),
                    .tx = int64_t(50 * i), .peers = 8, .latency = 20.0});
    rows.push_back({.ts = ts, .node = "m1", .type = "mainnet", .chain = "mainnet", .height = int64_t(10 + i / 3),
                    .tx = int64_t(10 * i), .peers = 12, .latency = 60.0});
  }
  return rows;
}

// The mock host needs a state dir even though this plugin keeps no state.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("nebula-intelligence-test-" + std::to_string(::getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST(IntelligencePlugin, DescriptorIsAProcessor) {
  const auto* d = descriptor();
  EXPECT_EQ(d->kind, NEBULA_KIND_PROCESSOR);
  EXPECT_STREQ(d->name, "Intelligence Synthesizer");
  EXPECT_NE(d->get_capability(NEBULA_CAP_PROCESSOR), nullptr);
  EXPECT_EQ(d->get_capability(NEBULA_CAP_AGENT), nullptr);
}

TEST(IntelligencePlugin, OneCombinedInsightPerBatch) {
  TempDir dir;
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  ASSERT_EQ(inst.feed(test_batch::make(two_chains(1000))), NEBULA_OK) << inst.last_error();
  ASSERT_EQ(inst.feed(test_batch::make(two_chains(1030))), NEBULA_OK) << inst.last_error();
  auto out = host.insights("intelligence");
  ASSERT_EQ(out.size(), 2u);
  auto doc = nlohmann::json::parse(out.back().json);
  EXPECT_EQ(doc["kind"], "intelligence");
  EXPECT_EQ(doc["generated_at"], 1050.0);
  ASSERT_EQ(doc["chains"].size(), 2u);
  EXPECT_EQ(doc["chains"][0]["chain_id"], "mainnet");
  EXPECT_EQ(doc["chains"][1]["chain_id"], "testnet");
  EXPECT_EQ(doc["comparisons"][0]["reference"], "testnet");
  EXPECT_DOUBLE_EQ(doc["chains"][1]["throughput"]["tx_per_s"].get<double>(), 5.0);
  EXPECT_EQ(host.counter("records"), 12.0);
  EXPECT_EQ(host.gauge("chains_tracked"), 2.0);
}

TEST(IntelligencePlugin, IntervalModeEmitsOnFlush) {
  TempDir dir;
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor(), R"({"interval_s": 3600})");
  ASSERT_EQ(inst.feed(test_batch::make(two_chains(0))), NEBULA_OK) << inst.last_error();
  EXPECT_TRUE(host.insights("intelligence").empty());
  ASSERT_EQ(inst.flush(), NEBULA_OK);
  EXPECT_EQ(host.insights("intelligence").size(), 1u);
  ASSERT_EQ(inst.flush(), NEBULA_OK);  // nothing new: nothing emitted
  EXPECT_EQ(host.insights("intelligence").size(), 1u);
}

TEST(IntelligencePlugin, PatternsInsightIsReadAndGarbageTolerated) {
  TempDir dir;
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor(), R"({"topic":"intel"})");
  ASSERT_EQ(inst.feed(test_batch::make(two_chains(0))), NEBULA_OK);
  const auto stalled = pattern_docs::patterns(0, {pattern_docs::stall("m1", 0.5, 0)});
  EXPECT_EQ(inst.feed_insight("patterns", stalled.dump()), NEBULA_OK);
  EXPECT_EQ(inst.feed_insight("patterns", "{not json"), NEBULA_OK);
  EXPECT_EQ(inst.feed_insight("blockchain", R"({"x":1})"), NEBULA_OK);
  EXPECT_EQ(host.counter("pattern_insights"), 1.0);
  EXPECT_EQ(host.counter("pattern_insights_ignored"), 1.0);
  ASSERT_EQ(inst.feed(test_batch::make(two_chains(30))), NEBULA_OK);
  auto doc = nlohmann::json::parse(host.insights("intel").back().json);
  EXPECT_EQ(doc["chains"][0]["active_anomalies"]["stall"], 1);
}

TEST(IntelligencePlugin, RowsWithoutNodeIdAreSkippedAndCounted) {
  TempDir dir;
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  ASSERT_EQ(inst.feed(test_batch::make({{.ts = 1, .node = "", .type = "testnet"}, {.ts = 2, .node = "a", .type = "basic"}})),
            NEBULA_OK);
  EXPECT_EQ(host.counter("records_skipped"), 1.0);
  auto doc = nlohmann::json::parse(host.insights("intelligence").back().json);
  EXPECT_EQ(doc["chains"][0]["chain_id"], "basic");
  EXPECT_EQ(doc["chains"][0]["expected_block_time_s"], 15.0);
}

TEST(IntelligencePlugin, ValidateReportsPointers) {
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(descriptor()->validate_config(R"({"max_nodes": 100, "block_time_s": {"testnet": 5}})", err, sizeof err),
            NEBULA_OK)
      << err;
  EXPECT_EQ(descriptor()->validate_config(R"({"bogus": 1, "block_time_s": {"testnet": 0}})", err, sizeof err),
            NEBULA_INVALID);
  const std::string text = err;
  EXPECT_NE(text.find("/bogus: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/block_time_s/testnet:"), std::string::npos) << text;
  TempDir dir;
  nebula::testing::MockHost host(dir.path);
  EXPECT_THROW(host.create(descriptor(), R"({"window": -1})"), std::runtime_error);
}
