// Loads the real plugin library through the mock host, as the pool would.
#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "batch_rows.hpp"

namespace {

const std::string kLibrary = std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_transaction_analyzer.so";
constexpr const char* kId = "nebula.processor.transaction_analyzer";

test_rows::Row sample(double t, const std::string& node, int64_t count) {
  return {{"timestamp", t}, {"node_id", node}, {"chain_id", "mainnet"}, {"blockchain.transaction_count", count}};
}

}  // namespace

TEST(TransactionPlugin, EmitsThroughputAndShares) {
  nebula::testing::PluginLibrary lib(kLibrary);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(kId), R"({"top_nodes":5})");
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(100, "a", 0), sample(100, "b", 0)})), NEBULA_OK)
      << inst.last_error();
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(130, "a", 900), sample(130, "b", 300), sample(120, "b", 10)})),
            NEBULA_OK)
      << inst.last_error();
  auto out = host.insights("blockchain");
  ASSERT_EQ(out.size(), 2u) << "one insight per batch";
  auto doc = nlohmann::json::parse(out[1].json);
  EXPECT_EQ(doc["kind"], "transactions");
  EXPECT_EQ(doc["generated_at"], 130.0);
  const auto& c = doc["chains"]["mainnet"];
  EXPECT_DOUBLE_EQ(c["throughput_tps"].get<double>(), 40.0);
  EXPECT_EQ(c["out_of_order"], 1);
  EXPECT_EQ(c["top_nodes"][0]["node_id"], "a");
  EXPECT_DOUBLE_EQ(c["top_nodes"][0]["share"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(c["top_nodes"][1]["share"].get<double>(), 0.25);
}

TEST(TransactionPlugin, ValidateRejectsABadConfig) {
  nebula::testing::PluginLibrary lib(kLibrary);
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(lib.find(kId)->validate_config(R"({"burst_z":-1,"burst":2})", err, sizeof err), NEBULA_INVALID);
  std::string text = err;
  EXPECT_NE(text.find("/burst_z: must be between 0"), std::string::npos) << text;
  EXPECT_NE(text.find("/burst: unknown key 'burst'"), std::string::npos) << text;
}

TEST(TransactionPlugin, ReadsWhatFullNodesReportOfTheirMempool) {
  nebula::testing::PluginLibrary lib(kLibrary);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(kId), "{}");
  auto full = [](double t, const std::string& node, const std::string& extra) {
    auto row = sample(t, node, 10);
    row["extra"] = extra;
    return row;
  };
  ASSERT_EQ(inst.feed(test_rows::make_batch(
                {full(100, "f1", R"({"transaction_analysis":{"mempool_size":800,"average_fee":0.002}})"),
                 full(100, "f2", R"({"transaction_analysis":{"mempool_size":1200,"average_fee":"cheap"}})"),
                 full(100, "f3", R"({"transaction_analysis":{"mempool_size":-5}})"),  // broken sender: left out
                 sample(100, "plain", 10)})),
            NEBULA_OK)
      << inst.last_error();
  const auto doc = nlohmann::json::parse(host.insights("blockchain").at(0).json);
  const auto& reported = doc["chains"]["mainnet"]["node_reported"];
  EXPECT_EQ(reported["mempool_reports"], 2);
  EXPECT_DOUBLE_EQ(reported["mempool_size_mean"].get<double>(), 1000.0);
  EXPECT_EQ(reported["fee_reports"], 1);
  EXPECT_DOUBLE_EQ(reported["average_fee_mean"].get<double>(), 0.002);

  // A batch without full nodes says nothing about mempools.
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(130, "plain", 40)})), NEBULA_OK);
  EXPECT_FALSE(nlohmann::json::parse(host.insights("blockchain").at(1).json)["chains"]["mainnet"].contains(
      "node_reported"));
}
