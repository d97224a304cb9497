// Tests of the example plugin, written the way a plugin author would:
//  - the logic alone (latency_watch.cpp, no ABI involved);
//  - the real built .so loaded through the SDK's mock host
//    (nebula/testing/mock_host.hpp), exactly as nebula-pool loads it.
#include <gtest/gtest.h>

#include <nebula/arrow_batch.hpp>
#include <nebula/testing/mock_host.hpp>

#include "latency_watch.hpp"

namespace {

constexpr const char* kId = "org.example.latency_watch";

// A canonical batch (every column the host sends) with the given rows;
// a negative latency leaves network.average_latency null for that row.
struct Row {
  std::string node_id;
  std::string chain_id;
  double latency_ms;
};

nebula::OwnedBatch make_batch(const std::vector<Row>& rows) {
  auto builder = nebula::RecordBatchBuilder::canonical();
  const size_t node = builder.find(nebula::fields::node_id);
  const size_t chain = builder.find(nebula::fields::chain_id);
  const size_t latency = builder.find(nebula::fields::latency);
  const size_t timestamp = builder.find(nebula::fields::timestamp);
  for (const Row& r : rows) {
    for (size_t col = 0; col < builder.column_count(); ++col) {
      if (col == node) builder.append_text(col, r.node_id);
      else if (col == chain) builder.append_text(col, r.chain_id);
      else if (col == latency && r.latency_ms >= 0) builder.append_double(col, r.latency_ms);
      else if (col == timestamp) builder.append_double(col, 1767225600.0);
      else builder.append_null(col);
    }
  }
  return nebula::OwnedBatch(std::move(builder));
}

class LatencyWatchPlugin : public ::testing::Test {
 protected:
  nebula::testing::PluginLibrary library{HELLO_PLUGIN_FILE};
  const nebula_plugin_descriptor* plugin = library.find(kId);
  nebula::testing::MockHost host;

  // Runs the plugin's validate_config and returns its error text ("" = valid).
  std::string validate(const std::string& config_json) {
    char err[NEBULA_ERROR_CAP] = {0};
    nebula_status st = plugin->validate_config(config_json.c_str(), err, sizeof err);
    return st == NEBULA_OK ? "" : err;
  }
};

}  // namespace

TEST(LatencyWatchLogic, MeansPerChainAndFlagsSlowNodes) {
  hello::Settings settings;
  settings.threshold_ms = 100;
  const std::vector<hello::Sample> samples = {
      {"testnet", "a", 40}, {"testnet", "a", 60}, {"testnet", "b", 300}, {"mainnet", "c", 90}};
  const hello::Report report = hello::summarise(samples, 5, settings);
  EXPECT_EQ(report.records, 5);
  EXPECT_EQ(report.samples, 4);
  ASSERT_EQ(report.chains.size(), 2u);
  EXPECT_EQ(report.chains[0].chain_id, "mainnet");
  EXPECT_DOUBLE_EQ(report.chains[0].mean_latency_ms, 90);
  EXPECT_EQ(report.chains[1].chain_id, "testnet");
  EXPECT_EQ(report.chains[1].nodes, 2);
  EXPECT_DOUBLE_EQ(report.chains[1].mean_latency_ms, 400.0 / 3.0);
  ASSERT_EQ(report.flagged.size(), 1u);
  EXPECT_EQ(report.flagged[0].node_id, "b");
}

TEST(LatencyWatchLogic, MinSamplesKeepsASingleSpikeFromBeingFlagged) {
  hello::Settings settings;
  settings.threshold_ms = 100;
  settings.min_samples = 2;
  const hello::Report report = hello::summarise({{"testnet", "b", 900}}, 1, settings);
  EXPECT_TRUE(report.flagged.empty());
}

TEST_F(LatencyWatchPlugin, DescribesItself) {
  EXPECT_EQ(library.entry().abi_major, NEBULA_ABI_MAJOR);
  EXPECT_EQ(plugin->kind, NEBULA_KIND_PROCESSOR);
  EXPECT_NE(plugin->get_capability(NEBULA_CAP_PROCESSOR), nullptr);
  EXPECT_EQ(plugin->get_capability(NEBULA_CAP_AGENT), nullptr);
}

TEST_F(LatencyWatchPlugin, ValidateAcceptsDefaultsAndAFullConfig) {
  EXPECT_EQ(validate("{}"), "");
  EXPECT_EQ(validate(R"({"threshold_ms": 250, "min_samples": 3, "topic": "latency"})"), "");
}

TEST_F(LatencyWatchPlugin, ValidateNamesEveryBadKeyByJsonPointer) {
  const std::string err = validate(R"({"treshold_ms": 5, "threshold_ms": -1, "min_samples": 0.5})");
  EXPECT_NE(err.find("/treshold_ms: unknown key 'treshold_ms'"), std::string::npos) << err;
  EXPECT_NE(err.find("/threshold_ms: must be greater than 0, got -1"), std::string::npos) << err;
  EXPECT_NE(err.find("/min_samples: must be a whole number"), std::string::npos) << err;
  EXPECT_NE(validate(R"({"threshold_ms": "fast"})").find("/threshold_ms: must be a number"), std::string::npos);
  // create() validates too: a bad config never makes an instance.
  EXPECT_THROW(host.create(plugin, R"({"threshold_ms": 0})"), std::runtime_error);
}

TEST_F(LatencyWatchPlugin, EmitsOneSummaryPerBatchOnTheExampleTopic) {
  auto instance = host.create(plugin, R"({"threshold_ms": 250})");
  ASSERT_EQ(instance.feed(make_batch({{"fast-1", "testnet", 40},
                                      {"slow-1", "testnet", 400},
                                      {"slow-1", "testnet", 500},
                                      {"quiet", "testnet", -1}})),
            NEBULA_OK)
      << instance.last_error();

  const auto insights = host.insights("example");
  ASSERT_EQ(insights.size(), 1u);
  const auto doc = nlohmann::json::parse(insights[0].json);
  EXPECT_EQ(doc["records"], 4);
  EXPECT_EQ(doc["samples"], 3);
  EXPECT_DOUBLE_EQ(doc["chains"][0]["mean_latency_ms"].get<double>(), 940.0 / 3.0);
  ASSERT_EQ(doc["flagged"].size(), 1u);
  EXPECT_EQ(doc["flagged"][0]["node_id"], "slow-1");
  EXPECT_DOUBLE_EQ(doc["flagged"][0]["mean_latency_ms"].get<double>(), 450.0);
  EXPECT_EQ(host.counter("records"), 4);
  EXPECT_EQ(host.counter("flagged_nodes"), 1);
}

TEST_F(LatencyWatchPlugin, ABatchWithoutLatencyEmitsNothing) {
  auto instance = host.create(plugin);
  ASSERT_EQ(instance.feed(make_batch({{"n1", "testnet", -1}})), NEBULA_OK);
  EXPECT_TRUE(host.insights().empty());
}

TEST_F(LatencyWatchPlugin, AFullHostIsReportedAsRetryNotSwallowed) {
  auto instance = host.create(plugin, R"({"topic": "latency"})");
  host.set_full(true);
  EXPECT_EQ(instance.feed(make_batch({{"n1", "testnet", 10}})), NEBULA_RETRY);
  EXPECT_NE(std::string(instance.last_error()).find("emit on 'latency'"), std::string::npos) << instance.last_error();
}
