// Loads the real plugin library through the mock host, as the pool would.
#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "batch_rows.hpp"

namespace {

const std::string kLibrary = std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_network_monitor.so";
constexpr const char* kId = "nebula.processor.network_monitor";

test_rows::Row sample(double t, const std::string& node, int64_t peers, double latency) {
  return {{"timestamp", t},
          {"node_id", node},
          {"chain_id", "testnet"},
          {"network.peer_count", peers},
          {"network.average_latency", latency},
          {"network.bandwidth_usage", 10.0},
          {"network.connection_quality", 0.8}};
}

}  // namespace

TEST(NetworkPlugin, EmitsDistributionsAndIsolation) {
  nebula::testing::PluginLibrary lib(kLibrary);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(kId), R"({"warmup_samples":3,"isolation_peers":1})");
  std::vector<test_rows::Row> rows;
  for (int t = 0; t < 4; ++t)
    for (const char* n : {"a", "b"}) rows.push_back(sample(t, n, 9, 40 + t));
  rows.push_back(sample(4, "b", 1, 40));
  ASSERT_EQ(inst.feed(test_rows::make_batch(rows)), NEBULA_OK) << inst.last_error();
  auto out = host.insights("network");
  ASSERT_EQ(out.size(), 1u);
  auto doc = nlohmann::json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "network");
  EXPECT_EQ(doc["generated_at"], 4.0);
  const auto& c = doc["chains"]["testnet"];
  EXPECT_EQ(c["peer_count"]["count"], 9);
  EXPECT_EQ(c["peer_count"]["p50"], 9.0);
  EXPECT_EQ(c["latency_ms"]["p99"], 43.0);
  EXPECT_DOUBLE_EQ(c["bandwidth"]["total"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(c["connection_quality"]["mean"].get<double>(), 0.8);
  EXPECT_EQ(c["isolated"][0]["node_id"], "b");
}

TEST(NetworkPlugin, ValidateRejectsABadConfig) {
  nebula::testing::PluginLibrary lib(kLibrary);
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(lib.find(kId)->validate_config(R"({"isolation_peers":-3,"partition":{}})", err, sizeof err),
            NEBULA_INVALID);
  std::string text = err;
  EXPECT_NE(text.find("/isolation_peers: must be between 0"), std::string::npos) << text;
  EXPECT_NE(text.find("/partition: unknown key"), std::string::npos) << text;
}
