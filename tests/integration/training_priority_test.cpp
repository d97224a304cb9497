// The real pool with the real (libtorch) Analyst: its training thread and the
// threads libtorch starts from it run at SCHED_IDLE, with the intra-op thread
// count the host's training.torch_threads_per_agent gives the agent, while
// the pool's own threads (transport, dispatcher, stage pool, admin) keep
// normal priority. Read from /proc/<pid>/task/*/stat.
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>

#include "nebula_test/http_client.hpp"
#include "nebula_test/thread_sched.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"

using nebula_test::ThreadSched;

namespace {

// Starts the pool with the in-tree plugins, feeds it until the Analyst has
// trained, and returns its threads.
std::vector<ThreadSched> threads_after_training(PoolProcess& pool) {
  use_in_tree_plugins(pool);
  if (!pool.start()) {
    ADD_FAILURE() << pool.log();
    return {};
  }
  auto ingest = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  for (int round = 0; round < 4; ++round) send_node_records(ingest, round * 20, 20);
  const bool trained = nebula_test::wait_until([&] {
    auto a = nlohmann::json::parse(nebula_test::http_get(pool.admin_port, "/api/v1/agents/analyst").body);
    return a["stats"]["steps"].get<int>() >= 5;
  }, std::chrono::seconds(60));
  EXPECT_TRUE(trained) << pool.log();
  return nebula_test::threads_of(pool.process->pid());
}

// Splits the pool's threads into the Analyst's training family and the rest.
void split(const std::vector<ThreadSched>& all, std::vector<ThreadSched>& training, std::vector<ThreadSched>& rest) {
  for (const auto& t : all) (t.name == "train:analyst" ? training : rest).push_back(t);
}

}  // namespace

TEST(TrainingPriority, LibtorchThreadsOfAnIdleAgentAreIdleAndIngestIsNot) {
  PoolProcess pool(kAnalystComponents,
                   "pool: {batch_max_records: 100, batch_max_wait_ms: 50}\n"
                   "training: {priority: idle, torch_threads_per_agent: 2,"
                   " batch_max_insights: 5, batch_max_wait_ms: 100}");
  std::vector<ThreadSched> training, rest;
  split(threads_after_training(pool), training, rest);
  // The training thread and at least one libtorch worker it started (2 intra-op threads).
  EXPECT_GE(training.size(), 2u);
  for (const auto& t : training) EXPECT_EQ(t.policy, SCHED_IDLE) << describe(t);
  ASSERT_FALSE(rest.empty());
  for (const auto& t : rest) {
    EXPECT_EQ(t.policy, SCHED_OTHER) << describe(t);
    EXPECT_EQ(t.nice, rest.front().nice) << describe(t);
  }
  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(20)), 0) << pool.log();
}

TEST(TrainingPriority, LowIsNice19AndOneTorchThreadStartsNoWorker) {
  PoolProcess pool(kAnalystComponents,
                   "pool: {batch_max_records: 100, batch_max_wait_ms: 50}\n"
                   "training: {priority: low, batch_max_insights: 5, batch_max_wait_ms: 100}");
  std::vector<ThreadSched> training, rest;
  split(threads_after_training(pool), training, rest);
  ASSERT_EQ(training.size(), 1u);  // torch_threads_per_agent defaults to 1: no libtorch worker
  EXPECT_EQ(training[0].policy, SCHED_OTHER);
  EXPECT_EQ(training[0].nice, 19);
  for (const auto& t : rest) EXPECT_NE(t.nice, 19) << describe(t);
  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(20)), 0) << pool.log();
}
