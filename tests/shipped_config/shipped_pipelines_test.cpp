// config/pipeline.yaml and config/scale-out.yaml as shipped: `validate`
// passes, `run` becomes ready on the real plugins, takes the document's
// records (pipeline.yaml) and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/redis_server.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

namespace {

using nlohmann::json;

const std::string kConfigDir = NEBULA_SOURCE_DIR "/config/";

// "VAR=value" entries for the child and the same as a shell prefix.
struct Env {
  std::vector<std::string> vars;
  std::string shell() const {
    std::string out;
    for (const auto& v : vars) out += v + " ";
    return out;
  }
};

int http_status(unsigned short port, const std::string& target) {
  try {
    return nebula_test::http_get(port, target).status;
  } catch (const std::exception&) {
    return 0;  // not listening yet
  }
}

// Validates `file`, starts it, waits for /readyz; the returned process runs.
std::unique_ptr<nebula_test::ChildProcess> start_shipped(const std::string& file, const Env& env,
                                                         unsigned short admin_port, const nebula_test::TempDir& dir) {
  auto [code, out] = nebula_test::run_and_capture(env.shell() + NEBULA_POOL_BIN " validate -c " + kConfigDir + file);
  EXPECT_EQ(code, 0) << out;
  auto pool = std::make_unique<nebula_test::ChildProcess>(
      std::vector<std::string>{NEBULA_POOL_BIN, "run", "-c", kConfigDir + file}, (dir / "pool.log").string(), env.vars);
  // Agents load libtorch first: allow a slow machine its minute.
  EXPECT_TRUE(nebula_test::wait_until([&] { return http_status(admin_port, "/readyz") == 200 || !pool->running(); },
                                      std::chrono::seconds(60)));
  EXPECT_TRUE(pool->running()) << nebula_test::read_file(dir / "pool.log");
  return pool;
}

void stop_cleanly(nebula_test::ChildProcess& pool, const nebula_test::TempDir& dir) {
  pool.signal(SIGTERM);
  auto code = pool.wait_exit(std::chrono::seconds(40));
  ASSERT_TRUE(code.has_value()) << "did not stop within 40 s";
  EXPECT_EQ(*code, 0) << nebula_test::read_file(dir / "pool.log");
}

TEST(ShippedPipelines, DefaultPipelineValidatesRunsAndTakesTheDocumentsRecords) {
  nebula_test::TempDir dir("shipped-default");
  const unsigned short admin = nebula_test::free_port(), http = nebula_test::free_port(),
                       tcp = nebula_test::free_port();
  const Env env{{"NEBULA_PLUGIN_DIR=" NEBULA_PLUGIN_DIR, "NEBULA_STATE_DIR=" + (dir / "state").string(),
                 "NEBULA_SPOOL_DIR=" + (dir / "spool").string(), "NEBULA_ADMIN_PORT=" + std::to_string(admin),
                 "NEBULA_HTTP_PORT=" + std::to_string(http), "NEBULA_TCP_PORT=" + std::to_string(tcp)}};
  auto pool = start_shipped("pipeline.yaml", env, admin, dir);
  ASSERT_TRUE(pool->running());

  const std::string batch =
      R"({"node_id": "mainnet-node-9", "data_batch": [{"timestamp": 1765000000.0, "node_id": "mainnet-node-9", )"
      R"("node_type": "mainnet", "chain_id": "mainnet", "blockchain_metrics": {"current_height": 1200, )"
      R"("blocks_processed_last_interval": 1, "transaction_count": 5400, "mining_hash_rate": 0}, )"
      R"("network_metrics": {"peer_count": 17, "average_latency": 80.5, "bandwidth_usage": 1536.25, )"
      R"("connection_quality": 0.93}, "performance_metrics": {"cpu_usage": 31.5, "memory_usage": 44.25, )"
      R"("uptime": 86400.5}}], "batch_size": 1, "submission_time": 1765000001.0})";
  auto res = nebula_test::http_request("127.0.0.1", http, "POST", "/api/v1/pool/ingest", batch);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["status"], "accepted") << res.body;
  EXPECT_TRUE(nebula_test::wait_until([&] {
    auto stats = json::parse(nebula_test::http_get(admin, "/api/v1/pool/stats").body);
    return stats["pool"]["records_processed"].get<int>() >= 1;
  }));
  stop_cleanly(*pool, dir);
}

TEST(ShippedPipelines, ScaleOutPipelineValidatesAndRunsAgainstRedis) {
  nebula_test::RedisServerProcess redis;
  nebula_test::TempDir dir("shipped-scale-out");
  const unsigned short admin = nebula_test::free_port();
  const Env env{{"NEBULA_PLUGIN_DIR=" NEBULA_PLUGIN_DIR, "NEBULA_STATE_DIR=" + (dir / "state").string(),
                 "NEBULA_ADMIN_PORT=" + std::to_string(admin), "NEBULA_REDIS_URL=" + redis.url(),
                 "NEBULA_CONSUMER=host-a", "NEBULA_FEDERATION_DIR=" + (dir / "federation").string()}};
  auto pool = start_shipped("scale-out.yaml", env, admin, dir);
  ASSERT_TRUE(pool->running());
  stop_cleanly(*pool, dir);
}

TEST(ShippedPipelines, ScaleOutPipelineSaysWhatIsMissing) {
  auto [code, out] = nebula_test::run_and_capture("env -u NEBULA_STATE_DIR NEBULA_PLUGIN_DIR=" NEBULA_PLUGIN_DIR
                                                  " " NEBULA_POOL_BIN " validate -c " + kConfigDir + "scale-out.yaml");
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("set NEBULA_STATE_DIR"), std::string::npos) << out;
}

}  // namespace
