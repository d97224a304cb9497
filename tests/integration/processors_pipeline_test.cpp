// The real processor plugins loaded by the real host from YAML, fed over the
// real HTTP transport: every topic's insights are visible over the admin
// API, a failing processor leaves the others flowing, and the memory
// consolidator's baselines survive a restart of the host.
#include <gtest/gtest.h>
#include <signal.h>

#include <functional>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

const std::string kComponents =
    "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
    "  - {id: block_data, plugin: nebula.processor.block_data, inputs: [http_in]}\n"
    "  - {id: transactions, plugin: nebula.processor.transaction_analyzer, inputs: [http_in]}\n"
    "  - {id: network, plugin: nebula.processor.network_monitor, inputs: [http_in]}\n"
    "  - {id: stream, plugin: nebula.processor.data_stream, inputs: [http_in], config: {window_s: 60}}\n"
    "  - {id: patterns, plugin: nebula.processor.pattern, inputs: [http_in]}\n"
    "  - {id: boom, plugin: nebula.test.faulty, inputs: [http_in]}\n"
    "  - {id: intelligence, plugin: nebula.processor.intelligence, inputs: [http_in, patterns]}\n"
    "  - {id: learning, plugin: nebula.processor.learning, inputs: [http_in, patterns]}\n"
    "  - {id: memory, plugin: nebula.processor.memory, inputs: [http_in, patterns]}\n"
    "  - {id: decisions, plugin: nebula.processor.decision, inputs: [patterns, network, block_data]}\n";

const std::string kSettings = "pool: {batch_max_records: 100, batch_max_wait_ms: 50}";

// `steps` samples (5 s apart) for 6 nodes on two chains, starting at step `from`.
void send_fleet(unsigned short port, int from, int steps) {
  for (int node = 0; node < 6; ++node) {
    nlohmann::json batch = nlohmann::json::array();
    const bool testnet = node % 2 == 0;
    for (int s = from; s < from + steps; ++s)
      batch.push_back({{"timestamp", 1767225600.0 + 5.0 * s},
                       {"seq", s},
                       {"node_type", testnet ? "testnet" : "mainnet"},
                       {"chain_id", testnet ? "testnet" : "mainnet"},
                       {"blockchain",
                        {{"current_height", 1000 + (testnet ? s : s / 6)},
                         {"blocks_processed_last_interval", testnet ? 1 : (s % 6 == 0)},
                         {"transaction_count", 40 * s + node},
                         {"mining_hash_rate", 100.0 + node}}},
                       {"network",
                        {{"peer_count", 12 + node},
                         {"average_latency", 40.0 + node},
                         {"bandwidth_usage", 500.0},
                         {"connection_quality", 0.9}}},
                       {"performance", {{"cpu_usage", 20.0}, {"memory_usage", 30.0}, {"uptime", 5.0 * s}}}});
    const std::string id = "node-" + std::to_string(node);
    auto r = nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest",
                                       nlohmann::json{{"node_id", id}, {"data_batch", batch}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
}

nlohmann::json latest(unsigned short admin, const std::string& topic) {
  auto doc = nlohmann::json::parse(http_get(admin, "/api/v1/pool/insights?topic=" + topic + "&limit=1").body);
  return doc["insights"].empty() ? nlohmann::json() : doc["insights"][0];
}

// The largest value of any "samples" key in the document (memory baselines).
double max_samples(const nlohmann::json& j) {
  double best = 0;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& n) {
    if (n.is_object())
      for (auto it = n.begin(); it != n.end(); ++it) {
        if (it.key() == "samples" && it.value().is_number()) best = std::max(best, it.value().get<double>());
        walk(it.value());
      }
    else if (n.is_array())
      for (auto& e : n) walk(e);
  };
  walk(j);
  return best;
}

class ProcessorsPipeline : public ::testing::Test {
 protected:
  PoolProcess pool{kComponents, kSettings};
  void SetUp() override {
    std::string yaml = nebula_test::read_file(pool.yaml());
    yaml.replace(yaml.find("test-plugins\"]"), 14, "test-plugins\", \"" NEBULA_PLUGIN_DIR "\"]");
    pool.dir.write("pipeline.yaml", yaml);
  }
  unsigned short ingest_port() const { return pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>(); }
  void stop() {
    pool.process->signal(SIGTERM);
    auto code = pool.process->wait_exit(std::chrono::seconds(20));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << pool.log();
  }
};

}  // namespace

TEST_F(ProcessorsPipeline, EveryTopicFlowsDespiteAFailingProcessorAndMemorySurvivesARestart) {
  ASSERT_TRUE(pool.start()) << pool.log();
  send_fleet(ingest_port(), 0, 60);
  ASSERT_TRUE(wait_until([&] {
    auto s = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body);
    return s["pool"]["records_processed"] == 360;
  })) << pool.log();

  for (const char* topic : {"blockchain", "network", "stream", "patterns", "intelligence", "learning", "memory"}) {
    SCOPED_TRACE(topic);
    ASSERT_TRUE(wait_until([&] { return !latest(pool.admin_port, topic).is_null(); })) << pool.log();
  }
  // The plugins' domain series on /metrics (#16): every kind of every chain, 0 on this quiet fleet.
  const std::string incident_series = R"(nebula_incidents_active{chain_id="testnet",component="patterns",kind="stall"} 0)";
  const std::string decision_series =
      R"(nebula_recommendations_active{action="resync",component="decisions",priority="high"} 0)";
  std::string metrics;
  EXPECT_TRUE(wait_until([&] {
    metrics = http_get(pool.admin_port, "/metrics").body;
    return metrics.find(incident_series) != std::string::npos && metrics.find(decision_series) != std::string::npos;
  })) << metrics;
  EXPECT_NE(metrics.find("# TYPE nebula_incidents_active gauge"), std::string::npos);
  EXPECT_NE(metrics.find(R"(nebula_incidents_started_total{component="patterns",kind="partition"} 0)"), std::string::npos);
  EXPECT_EQ(latest(pool.admin_port, "network")["source"], "network");
  EXPECT_TRUE(latest(pool.admin_port, "learning")["data"]["examples"].is_array());
  auto stats = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body);
  for (auto& p : stats["processors"]) {
    if (p["id"] == "boom") EXPECT_GT(p["failures"].get<int>(), 0);
    else EXPECT_EQ(p["failures"], 0) << p.dump();
  }
  const double before_restart = max_samples(latest(pool.admin_port, "memory")["data"]);
  EXPECT_GE(before_restart, 150);  // 3 nodes per chain x 60 samples, at least one chain's worth
  stop();

  // Same state dir: the memory consolidator reloads its baselines.
  ASSERT_TRUE(pool.start()) << pool.log();
  send_fleet(ingest_port(), 60, 2);
  ASSERT_TRUE(wait_until([&] {
    auto m = latest(pool.admin_port, "memory");
    return !m.is_null() && max_samples(m["data"]) > before_restart;
  })) << "baselines started from zero after the restart:\n" << latest(pool.admin_port, "memory").dump();
  stop();
}
