// The real nebula-pool process, queried over real HTTP on 127.0.0.1 as an
// operator would, then stopped with SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include "nebula_test/http_client.hpp"
#include "nebula/nebula_plugin.h"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

// Records without seq: the same payload 20 times is 40 new records (with a
// seq the pool would rightly count the repeats as duplicates).
const std::string kPipeline =
    "  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n      repeat: 20\n"
    "      payload: {node_id: n1, data_batch: [{timestamp: 1767225600}, {timestamp: 1767225605}]}\n"
    "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
    "  - {id: learner, plugin: nebula.test.recording_agent, inputs: [count]}\n";

}  // namespace

TEST(PoolProcess, ServesHealthReadinessMetricsPluginsAndStopsOnSigterm) {
  PoolProcess pool(kPipeline, "pool: {batch_max_wait_ms: 50}\ntraining: {batch_max_wait_ms: 50}");
  ASSERT_TRUE(pool.start()) << pool.log();
  const auto port = pool.admin_port;

  auto health = http_get(port, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "ok");

  EXPECT_EQ(http_get(port, "/readyz").status, 200);

  ASSERT_TRUE(wait_until([&] {
    auto stats = nlohmann::json::parse(http_get(port, "/api/v1/pool/stats").body);
    return stats["pool"]["records_processed"] == 40;
  })) << pool.log();

  auto metrics = http_get(port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["Content-Type"].find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE nebula_pool_queue_depth gauge"), std::string::npos);
  EXPECT_NE(metrics.body.find("nebula_pool_queue_capacity 10000"), std::string::npos);
  EXPECT_NE(metrics.body.find("nebula_ingest_records_total{component=\"feed\",result=\"accepted\"} 40"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("nebula_processor_calls_total{component=\"count\"}"), std::string::npos);

  auto plugins = nlohmann::json::parse(http_get(port, "/api/v1/plugins").body);
  std::set<std::string> ids;
  for (auto& p : plugins["plugins"]) ids.insert(p["id"].get<std::string>());
  EXPECT_TRUE(ids.count("nebula.test.counting"));
  EXPECT_TRUE(ids.count("nebula.test.recording_agent"));
  const std::string abi = std::to_string(NEBULA_ABI_MAJOR) + "." + std::to_string(NEBULA_ABI_MINOR);
  // Each plugin as built; the one fixture built as for ABI 1.3 says so.
  for (auto& p : plugins["plugins"]) EXPECT_EQ(p["abi"], p["id"] == "nebula.test.minor3" ? "1.3" : abi) << p["id"];

  auto insights = nlohmann::json::parse(http_get(port, "/api/v1/pool/insights?topic=counts&limit=3").body);
  EXPECT_EQ(insights["topic"], "counts");
  EXPECT_GE(insights["count"].get<int>(), 1);
  EXPECT_EQ(insights["insights"][0]["source"], "count");

  ASSERT_TRUE(wait_until([&] {
    auto agent = nlohmann::json::parse(http_get(port, "/api/v1/agents/learner").body);
    return agent["insights"].get<int>() >= 1;
  }));
  auto agents = nlohmann::json::parse(http_get(port, "/api/v1/agents").body);
  ASSERT_EQ(agents["agents"].size(), 1u);
  EXPECT_EQ(agents["agents"][0]["name"], "learner");
  EXPECT_EQ(http_get(port, "/api/v1/agents/nobody").status, 404);

  auto answer = nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/agents/learner/query", R"({"ask":42})");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(nlohmann::json::parse(answer.body)["echo"]["ask"], 42);
  EXPECT_EQ(nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/agents/learner/query", "{nope").status, 400);

  pool.process->signal(SIGTERM);
  auto code = pool.process->wait_exit(std::chrono::seconds(10));
  ASSERT_TRUE(code.has_value()) << "did not exit within the shutdown timeout\n" << pool.log();
  EXPECT_EQ(*code, 0) << pool.log();
  EXPECT_NE(pool.log().find("shutdown complete"), std::string::npos);
  // The agent checkpointed on the way out.
  EXPECT_TRUE(std::filesystem::exists(pool.dir / "state/components/learner/checkpoint.bin"));
}

TEST(PoolProcess, ReadinessIsFalseWhileDraining) {
  // A slow processor with queued work keeps the drain going long enough to
  // observe it: 60 records at 100 ms each, 6 s of work, so a start slowed by a
  // busy machine still leaves seconds of it (under the 10 s shutdown bound).
  PoolProcess pool("  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n      repeat: 60\n"
                   "      payload: {node_id: n1, data_batch: [{timestamp: 1767225600}]}\n"
                   "  - {id: slow, plugin: nebula.test.counting, inputs: [feed], config: {delay_ms: 100}}\n",
                   "pool: {batch_max_records: 1, batch_max_wait_ms: 10}");
  ASSERT_TRUE(pool.start()) << pool.log();
  EXPECT_EQ(http_get(pool.admin_port, "/readyz").status, 200);
  const auto depth = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body)["pool"]["queue_depth"];
  pool.process->signal(SIGTERM);
  bool saw_draining = false;
  wait_until([&] {
    try {
      auto r = http_get(pool.admin_port, "/readyz");
      saw_draining = saw_draining || (r.status == 503 && r.body.find("draining") != std::string::npos);
    } catch (...) {
      return true;  // admin already closed: the process is exiting
    }
    return saw_draining;
  });
  EXPECT_TRUE(saw_draining) << "records queued at SIGTERM: " << depth;
  auto code = pool.process->wait_exit(std::chrono::seconds(15));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << pool.log();
}

TEST(PoolProcess, AFailingCreateStopsStartupWithAClearError) {
  PoolProcess pool("  - {id: feed, plugin: nebula.test.fake_transport}\n"
                   "  - {id: broken, plugin: nebula.test.create_fails, inputs: [feed]}\n");
  std::string yaml = nebula_test::read_file(pool.yaml());
  yaml.replace(yaml.find("test-plugins\"]"), 14, "test-plugins\", \"" NEBULA_BINARY_DIR "/test-plugins-bad\"]");
  pool.dir.write("pipeline.yaml", yaml);
  EXPECT_FALSE(pool.start());
  auto code = pool.process->wait_exit(std::chrono::seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
  EXPECT_NE(pool.log().find("component 'broken' (nebula.test.create_fails): create failed: cannot open /nonexistent/model.bin"),
            std::string::npos)
      << pool.log();
}
