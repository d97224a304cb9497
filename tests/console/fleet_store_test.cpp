// The console's fleet store on its own: one-minute means over a node's hour,
// height lag against its chain, transaction rate from the counter, health
// from the recognizer's and the agents' insights, the node cap (counted and
// reported, never silent), and the pool's rates between samples.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/fleet_store.hpp"

using nebula::host::FleetQuery;
using nebula::host::FleetStore;
using nebula::host::Metrics;
using nebula::host::OwnedInsight;
using nebula::host::PoolSample;
using nebula::host::Record;

namespace {

Record record(const std::string& node, const std::string& chain, double t, int64_t height, int64_t txs) {
  Record r;
  r.node_id = node;
  r.chain_id = chain;
  r.node_type = chain;
  r.timestamp = t;
  r.current_height = height;
  r.transaction_count = txs;
  r.peer_count = 10;
  r.latency_ms = 40;
  r.cpu_usage = 20;
  r.memory_usage = 30;
  return r;
}

void observe(FleetStore& store, const std::vector<Record>& records) {
  std::vector<const Record*> ptrs;
  for (const auto& r : records) ptrs.push_back(&r);
  store.observe(ptrs);
}

OwnedInsight insight(const std::string& topic, const nlohmann::json& doc) {
  OwnedInsight in;
  in.topic = topic;
  in.source = "test";
  in.json = doc.dump();
  return in;
}

constexpr double kT0 = 1767225600;  // a whole minute

}  // namespace

TEST(FleetStore, MinuteMeansHeightLagAndTransactionRate) {
  Metrics metrics;
  FleetStore store(metrics);
  // Two records a minute for three minutes; b falls 2 blocks further behind a each minute.
  std::vector<Record> batch;
  for (int m = 0; m < 3; ++m)
    for (int k = 0; k < 2; ++k) {
      const double t = kT0 + 60 * m + 30 * k;
      batch.push_back(record("a", "c", t, 100 + 2 * m + k, 1000 + 600 * m + 300 * k));  // 10 tx/s
      auto b = record("b", "c", t, 100, 0);
      b.latency_ms = 40 + 20 * k;  // 40 and 60: mean 50
      batch.push_back(b);
    }
  observe(store, batch);
  const auto a = store.node_json("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ((*a)["series"]["time"], nlohmann::json({kT0, kT0 + 60, kT0 + 120}));
  // The first reading is no rate yet; the minute's second one gives it.
  EXPECT_EQ((*a)["series"]["tx_rate"], nlohmann::json({10.0, 10.0, 10.0}));
  const auto b = store.node_json("b");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)["series"]["latency_ms"], nlohmann::json({50.0, 50.0, 50.0}));
  // Lag against the chain's highest height seen when each record arrived: 0/1, 2/3, 4/5.
  EXPECT_EQ((*b)["series"]["height_lag"], nlohmann::json({0.5, 2.5, 4.5}));
  EXPECT_DOUBLE_EQ((*a)["node"]["tx_rate"].get<double>(), 10.0);
  EXPECT_EQ(store.node_json("nobody"), std::nullopt);
}

TEST(FleetStore, TxRateStartsWithTheSecondReading) {
  Metrics metrics;
  FleetStore store(metrics);
  observe(store, {record("a", "c", kT0, 1, 100), record("a", "c", kT0 + 10, 2, 150)});
  const auto a = store.node_json("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_DOUBLE_EQ((*a)["series"]["tx_rate"][0].get<double>(), 5.0);  // only the second reading had a rate
}

TEST(FleetStore, HealthFromIncidentsResonantAndAnalyst) {
  Metrics metrics;
  FleetStore store(metrics);
  observe(store, {record("p1", "t", kT0, 1, 0), record("p2", "t", kT0, 1, 0), record("slow", "t", kT0, 1, 0),
                  record("odd", "m", kT0, 1, 0), record("fine", "m", kT0, 1, 0)});
  store.on_insight(insight("patterns", {{"active", {{{"id", "partition/t/1"}, {"kind", "partition"}, {"nodes", {"p1", "p2"}}}}}}));
  store.on_insight(insight("health", {{"nodes", {{{"node_id", "slow"}, {"band", "degraded"}}}}}));
  store.on_insight(insight("anomalies", {{"nodes", {{{"node_id", "odd"}, {"score", 0.8}}, {{"node_id", "fine"}, {"score", 0.1}}}}}));
  store.on_insight(insight("patterns", "not an object"));  // ignored, nothing lost

  const auto fleet = store.fleet_json(FleetQuery{});
  EXPECT_EQ(fleet["incidents_open"], 1);
  std::map<std::string, std::string> health;
  for (const auto& n : fleet["nodes"]) health[n["node_id"]] = n["health"];
  EXPECT_EQ(health, (std::map<std::string, std::string>{
                        {"p1", "incident"}, {"p2", "incident"}, {"slow", "degraded"}, {"odd", "degraded"}, {"fine", "healthy"}}));
  EXPECT_EQ(fleet["nodes"][0]["health"], "incident") << "worst first";
  ASSERT_EQ(fleet["groups"].size(), 2u);
  EXPECT_EQ(fleet["groups"][1], nlohmann::json({{"chain_id", "t"}, {"node_type", "t"}, {"total", 3}, {"incident", 2},
                                                {"degraded", 1}, {"silent", 0}, {"healthy", 0}}));
  FleetQuery only;
  only.health = "degraded";
  only.chain_id = "m";
  const auto page = store.fleet_json(only);
  ASSERT_EQ(page["matching"], 1);
  EXPECT_EQ(page["nodes"][0]["node_id"], "odd");

  // The next `active` view replaces the last: the partition is over.
  store.on_insight(insight("patterns", {{"active", nlohmann::json::array()}}));
  EXPECT_EQ(store.node_json("p1")->at("node").at("health"), "healthy");
}

// A node incident names one node; an incident not in the expected shape is
// skipped (and logged) without losing the ones around it.
TEST(FleetStore, APatternsViewWithAMalformedIncidentKeepsTheRest) {
  Metrics metrics;
  FleetStore store(metrics);
  observe(store, {record("a", "t", kT0, 1, 0), record("b", "t", kT0, 1, 0), record("c", "t", kT0, 1, 0)});
  store.on_insight(insight("patterns", {{"active",
                                         {{{"id", "stall/a/1"}, {"kind", "stall"}, {"node_id", "a"}},
                                          42,
                                          {{"id", 7}, {"kind", "eclipse"}, {"node_id", "b"}},
                                          {{"id", "stall/c/1"}, {"kind", "stall"}, {"node_id", 5}}}}}));
  const auto fleet = store.fleet_json(FleetQuery{});
  EXPECT_EQ(fleet["incidents_open"], 4) << "the recognizer's count, as sent";
  EXPECT_EQ(store.node_json("a")->at("node").at("health"), "incident");
  EXPECT_EQ(store.node_json("b")->at("node").at("health"), "incident") << "its id was not a string; it is still in one";
  EXPECT_EQ(store.node_json("c")->at("node").at("health"), "healthy") << "no node named";
}

TEST(FleetStore, NodesBeyondTheCapAreCountedNotDropped) {
  Metrics metrics;
  FleetStore store(metrics);
  std::vector<Record> batch;
  for (size_t i = 0; i < FleetStore::kMaxNodes + 3; ++i) batch.push_back(record("n" + std::to_string(i), "c", kT0, 1, 0));
  observe(store, batch);
  EXPECT_EQ(store.nodes(), FleetStore::kMaxNodes);
  const auto fleet = store.fleet_json(FleetQuery{});
  EXPECT_EQ(fleet["records_untracked"], 3);
  EXPECT_EQ(fleet["nodes_capacity"], FleetStore::kMaxNodes);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("nebula_console_nodes_untracked_total 3"), std::string::npos) << text.substr(0, 2000);
  store.sweep();
  EXPECT_NE(metrics.render().find("nebula_console_nodes_tracked " + std::to_string(FleetStore::kMaxNodes)), std::string::npos);
}

TEST(FleetStore, PoolRatesBetweenSamplesAndAgentSeries) {
  Metrics metrics;
  FleetStore store(metrics);
  store.sample_pool({.time = 100, .records_accepted = 0, .records_processed = 0, .records_rejected = 0, .insights = 0,
                     .queue_depth = 0, .wal_bytes = 10});
  store.sample_pool({.time = 105, .records_accepted = 500, .records_processed = 400, .records_rejected = 5, .insights = 50,
                     .queue_depth = 100, .wal_bytes = 2048});
  store.sample_agent("analyst", {{"steps", 10}, {"train_loss", 0.5}, {"val_loss", nullptr}, {"version", 1}}, 105);
  const auto h = store.history_json();
  EXPECT_EQ(h["pool"]["time"], nlohmann::json({105.0}));
  EXPECT_EQ(h["pool"]["ingest_rate"], nlohmann::json({100.0}));
  EXPECT_EQ(h["pool"]["processed_rate"], nlohmann::json({80.0}));
  EXPECT_EQ(h["pool"]["rejected_rate"], nlohmann::json({1.0}));
  EXPECT_EQ(h["pool"]["queue_depth"], nlohmann::json({100}));
  EXPECT_EQ(h["pool"]["wal_bytes"], nlohmann::json({2048}));
  EXPECT_EQ(h["agents"]["analyst"]["steps"], nlohmann::json({10}));
  EXPECT_EQ(h["agents"]["analyst"]["val_loss"], nlohmann::json({nullptr}));
  EXPECT_EQ(h["agents"]["analyst"]["examples"], nlohmann::json({nullptr})) << "a figure the agent does not report is null";
}
