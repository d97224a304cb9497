// An agent that cannot keep up: at training.priority idle the emitter never
// waits and the agent learns from a uniform sample of what was offered
// (the rest counted as skipped); at normal it waits, then is told RETRY, as
// before. Either way offered = sampled + skipped + still queued.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

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

void expect_adds_up(const nlohmann::json& agent) {
  EXPECT_EQ(agent["offered"].get<uint64_t>(), agent["sampled"].get<uint64_t>() + agent["skipped"].get<uint64_t>() +
                                                  agent["queue_depth"].get<uint64_t>())
      << agent.dump();
}

}  // namespace

TEST(AgentQueue, AtIdlePriorityAFullReservoirSamplesAndIngestNeverWaits) {
  RuntimeHarness h = slow_agent("idle", 20);
  h.start();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(nebula_test::wait_until([&] { return h.stats()["pool"]["records_processed"] == 20; }));
  // 20 cycles would take over 5 s if each waited for the agent.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_GT(metric(h, "nebula_training_skipped_total"), 0);
  EXPECT_EQ(metric(h, "nebula_training_rejected_total"), 0);
  const auto agent = h.runtime->agent("agent")->describe();
  EXPECT_EQ(agent["skipped"], metric(h, "nebula_training_skipped_total"));
  expect_adds_up(agent);
  EXPECT_EQ(h.metrics.value("nebula_processor_failures_total", {{"component", "count"}}), 0);
  h.runtime->shutdown();
}

TEST(AgentQueue, AtNormalPriorityAFullReservoirKeepsTheOldBackPressureAndSamplesNothingAway) {
  RuntimeHarness h = slow_agent("normal", 6);
  h.start();
  ASSERT_TRUE(nebula_test::wait_until([&] { return h.stats()["pool"]["records_processed"] == 6; }));
  h.runtime->shutdown();
  // Every insight was either learned or refused (RETRY): none skipped silently.
  EXPECT_EQ(metric(h, "nebula_training_skipped_total"), metric(h, "nebula_training_rejected_total"));
  EXPECT_EQ(metric(h, "nebula_training_sampled_total"), metric(h, "nebula_agent_insights_total"));
  EXPECT_EQ(metric(h, "nebula_agent_insights_total") + metric(h, "nebula_training_rejected_total"),
            h.metrics.value("nebula_insights_total", {{"component", "count"}, {"topic", "counts"}}));
}

// The counting processor numbers its insights (`total` = 1..N, one record per
// cycle); the agent remembers which numbers it learned. It takes 1 s per
// learn(), so while it learns its first round nearly all N are offered: a
// drop-oldest queue of 40 would then learn only the newest 40 (the last
// tenth), the reservoir learns 40 spread over the whole range.
TEST(AgentQueue, ASlowAgentLearnsFromTheWholeOfferedRangeAndTheCountersAddUp) {
  constexpr int kRecords = 400;
  RuntimeHarness h("pool: {batch_max_records: 1, batch_max_wait_ms: 5}\n"
                   "training: {priority: idle, queue_capacity: 40, batch_max_insights: 40, batch_max_wait_ms: 10}",
                   "  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n"
                   "      repeat: " + std::to_string(kRecords) + "\n      payload: " + batch_payload("n1", 1) + "\n"
                   "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                   "  - {id: agent, plugin: nebula.test.recording_agent, inputs: [count],"
                   " config: {learn_delay_ms: 1000, remember: total}}\n");
  h.start();
  auto* worker = h.runtime->agent("agent");
  ASSERT_NE(worker, nullptr);
  nlohmann::json agent;
  // The gauge is the last round's rate: the final round may fit whole (1.0),
  // so what must show is that it fell below 1 while training lagged.
  double lowest_rate = 1.0;
  // Done: every insight offered, and through learn(). The counters add up at every look.
  ASSERT_TRUE(nebula_test::wait_until([&] {
    agent = worker->describe();
    expect_adds_up(agent);
    lowest_rate = std::min(lowest_rate, agent["sample_rate"].get<double>());
    return h.stats()["pool"]["records_processed"] == kRecords &&
           agent["offered"] == kRecords && agent["queue_depth"] == 0;
  })) << agent.dump();
  EXPECT_GT(agent["skipped"].get<int>(), 0) << "training kept up: nothing to sample";
  EXPECT_EQ(agent["offered"], metric(h, "nebula_training_offered_total"));
  EXPECT_EQ(agent["sampled"], metric(h, "nebula_training_sampled_total"));
  EXPECT_EQ(agent["skipped"], metric(h, "nebula_training_skipped_total"));
  EXPECT_LT(lowest_rate, 1.0) << "the sample rate never showed that training fell behind";
  EXPECT_EQ(agent["sample_rate"], metric(h, "nebula_training_sample_rate"));

  std::string answer, error;
  ASSERT_TRUE(worker->query("{}", answer, error)) << error;
  const auto learned = nlohmann::json::parse(answer)["remembered"].get<std::vector<double>>();
  EXPECT_EQ(learned.size(), agent["sampled"].get<size_t>());
  std::array<int, 4> per_quarter{};
  for (double n : learned) {
    ASSERT_GE(n, 1);
    ASSERT_LE(n, kRecords);
    ++per_quarter[static_cast<size_t>((n - 1) * 4 / kRecords)];
  }
  for (size_t q = 0; q < per_quarter.size(); ++q)
    EXPECT_GT(per_quarter[q], 0) << "nothing learned from quarter " << q + 1 << " of the offered range";
  h.runtime->shutdown();
}
