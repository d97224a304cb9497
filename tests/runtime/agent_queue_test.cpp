// A full agent queue: at training.priority idle the emitter never waits (the
// oldest queued insight is dropped and counted); at normal it waits, then is
// told RETRY, as before.
#include <gtest/gtest.h>

#include "nebula_test/wait.hpp"
#include "runtime_harness.hpp"

namespace {

// `records` cycles of one record, each emitting a `counts` insight, into an
// agent that takes 300 ms per batch of 1 and has room for 2.
RuntimeHarness slow_agent(const std::string& priority, int records) {
  return RuntimeHarness("pool: {batch_max_records: 1, batch_max_wait_ms: 5}\n"
                        "training: {priority: " + priority +
                            ", queue_capacity: 2, batch_max_insights: 1, batch_max_wait_ms: 10}",
                        "  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n"
                        "      repeat: " + std::to_string(records) + "\n      payload: " + batch_payload("n1", 1) + "\n"
                        "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                        "  - {id: agent, plugin: nebula.test.recording_agent, inputs: [count],"
                        " config: {learn_delay_ms: 300}}\n");
}

double metric(RuntimeHarness& h, const char* family) { return h.metrics.value(family, {{"component", "agent"}}); }

}  // namespace

TEST(AgentQueue, AtIdlePriorityAFullQueueDropsItsOldestAndIngestNeverWaits) {
  RuntimeHarness h = slow_agent("idle", 20);
  h.start();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(nebula_test::wait_until([&] { return h.stats()["pool"]["records_processed"] == 20; }));
  // 20 cycles would take over 5 s if each waited for the agent.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_GT(metric(h, "nebula_training_dropped_total"), 0);
  EXPECT_EQ(metric(h, "nebula_training_rejected_total"), 0);
  EXPECT_EQ(h.runtime->agent("agent")->describe()["dropped"], metric(h, "nebula_training_dropped_total"));
  EXPECT_EQ(h.metrics.value("nebula_processor_failures_total", {{"component", "count"}}), 0);
  h.runtime->shutdown();
}

TEST(AgentQueue, AtNormalPriorityAFullQueueKeepsTheOldBackPressureAndDropsNothing) {
  RuntimeHarness h = slow_agent("normal", 6);
  h.start();
  ASSERT_TRUE(nebula_test::wait_until([&] { return h.stats()["pool"]["records_processed"] == 6; }));
  EXPECT_EQ(metric(h, "nebula_training_dropped_total"), 0);
  h.runtime->shutdown();
  // Every insight was either learned or refused (RETRY): none dropped silently.
  EXPECT_EQ(metric(h, "nebula_agent_insights_total") + metric(h, "nebula_training_rejected_total"),
            h.metrics.value("nebula_insights_total", {{"component", "count"}, {"topic", "counts"}}));
}
