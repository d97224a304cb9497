// An agent in the real host checkpoints periodically; after SIGKILL and a
// restart it resumes from the checkpoint: same version, at least the steps it
// had saved, and a validation loss that does not fall back to untrained.
#include <gtest/gtest.h>
#include <signal.h>

#include "nebula_test/http_client.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

const std::string kSettings =
    "pool: {batch_max_records: 100, batch_max_wait_ms: 50}\n"
    "training: {batch_max_insights: 5, batch_max_wait_ms: 100, checkpoint_interval_s: 1}";

nlohmann::json agent(unsigned short admin) {
  return nlohmann::json::parse(http_get(admin, "/api/v1/agents/analyst").body);
}

}  // namespace

TEST(AgentResume, ResumesFromItsCheckpointAfterSigkill) {
  PoolProcess pool(kAnalystComponents, kSettings);
  use_in_tree_plugins(pool);
  ASSERT_TRUE(pool.start()) << pool.log();
  auto ingest = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  for (int round = 0; round < 6; ++round) send_node_records(ingest, round * 20, 20);

  // Wait for a checkpoint taken after real training.
  nlohmann::json saved;
  ASSERT_TRUE(wait_until([&] {
    auto a = agent(pool.admin_port);
    if (a["checkpoints"].get<int>() < 2 || a["stats"]["steps"].get<int>() < 10 || a["queue_depth"] != 0) return false;
    saved = a;
    return true;
  }, std::chrono::seconds(60))) << agent(pool.admin_port).dump();
  // One more checkpoint after the snapshot, so the file holds at least `saved`.
  const int checkpoints = saved["checkpoints"].get<int>();
  ASSERT_TRUE(wait_until([&] { return agent(pool.admin_port)["checkpoints"].get<int>() > checkpoints; }));

  pool.process->signal(SIGKILL);
  ASSERT_TRUE(pool.process->wait_exit(std::chrono::seconds(10)).has_value());

  ASSERT_TRUE(pool.start()) << pool.log();
  auto resumed = agent(pool.admin_port);
  EXPECT_EQ(resumed["checkpoint_status"], "restored") << resumed.dump();
  EXPECT_EQ(resumed["stats"]["version"], saved["stats"]["version"]);
  EXPECT_GE(resumed["stats"]["steps"].get<int>(), saved["stats"]["steps"].get<int>());
  EXPECT_GE(resumed["stats"]["samples_seen"].get<int>(), saved["stats"]["samples_seen"].get<int>());
  // Not back at an untrained level: within 2x of the loss it had when saved.
  EXPECT_LE(resumed["stats"]["val_loss"].get<double>(), 2.0 * saved["stats"]["val_loss"].get<double>() + 1e-6);

  pool.process->signal(SIGTERM);
  auto code = pool.process->wait_exit(std::chrono::seconds(20));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << pool.log();
}
