// Sinks in the real runtime with the test sink plugin: every insight wired
// to a sink is delivered once or dead-lettered, never dropped; a failing
// sink is retried with backoff; a refused insight is isolated from its
// batch; a slow sink never holds processors back; replay re-delivers.
#include <gtest/gtest.h>

#include <fstream>

#include "nebula_test/wait.hpp"
#include "runtime/dead_letters.hpp"
#include "runtime_harness.hpp"

using nebula_test::wait_until;

namespace {

// The lines the sink wrote to its delivery file (it outlives the instance).
std::vector<nlohmann::json> delivered(RuntimeHarness& h, const std::string& sink) {
  std::vector<nlohmann::json> out;
  std::ifstream in(h.config.state_dir + "/components/" + sink + "/delivered.jsonl");
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<nlohmann::json> insight_letters(RuntimeHarness& h) {
  std::vector<nlohmann::json> out;
  for (auto& letter : nebula::host::DeadLetterStore::read_pending(h.config.state_dir + "/dead-letters"))
    if (letter.contains("insight")) out.push_back(letter);
  return out;
}

double emitted(RuntimeHarness& h, const std::string& component, const std::string& topic) {
  return h.metrics.value("nebula_insights_total", {{"component", component}, {"topic", topic}});
}

double sink_metric(RuntimeHarness& h, const std::string& family, const std::string& sink) {
  return h.metrics.value(family, {{"component", sink}});
}

const char* kFastPool = "pool: {batch_max_records: 5, batch_max_wait_ms: 20}\n";

}  // namespace

TEST(Sinks, EveryInsightWiredToASinkIsDeliveredOnceInEmissionOrder) {
  RuntimeHarness h(std::string(kFastPool) + "sinks: {batch_max_insights: 3, batch_max_wait_ms: 20}",
                   fake_feed(10, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: noise, plugin: nebula.test.counting, inputs: [feed], config: {topic: noise}}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count, noise], topics: [counts]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 50; }));
  h.runtime->shutdown();  // drains the sink
  const auto lines = delivered(h, "out");
  ASSERT_EQ(double(lines.size()), emitted(h, "count", "counts"));  // `noise` is filtered out by topics:
  EXPECT_EQ(sink_metric(h, "nebula_sink_delivered_total", "out"), double(lines.size()));
  int64_t previous = -1;
  for (const auto& line : lines) {
    EXPECT_EQ(line["topic"], "counts");
    EXPECT_EQ(line["source"], "count");
    const auto doc = nlohmann::json::parse(line["json"].get<std::string>());
    const int64_t total = doc.value("total", int64_t{-1});  // a running count: never falls in emission order
    EXPECT_GE(total, previous) << "insights reach the sink in emission order";
    previous = total;
  }
  EXPECT_TRUE(insight_letters(h).empty());
}

TEST(Sinks, AFailingSinkIsRetriedWithBackoffAndLosesNothing) {
  RuntimeHarness h(std::string(kFastPool) + "sinks: {batch_max_wait_ms: 20, retry_initial_ms: 5, retry_max_ms: 20}",
                   fake_feed(6, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count], config: {fail_first: 3}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 30; }));
  h.runtime->shutdown();
  EXPECT_EQ(double(delivered(h, "out").size()), emitted(h, "count", "counts"));
  EXPECT_EQ(h.metrics.value("nebula_sink_failures_total", {{"component", "out"}, {"status", "retry"}}), 3);
  EXPECT_TRUE(insight_letters(h).empty());
}

TEST(Sinks, ARefusedInsightIsDeadLetteredAloneAndTheRestOfItsBatchDelivered) {
  RuntimeHarness h(std::string(kFastPool) + "sinks: {batch_max_insights: 50, batch_max_wait_ms: 200}",
                   fake_feed(6, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: poison, plugin: nebula.test.counting, inputs: [feed], config: {topic: poison}}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count, poison],"
                       " config: {refuse_topic: poison}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 30; }));
  h.runtime->shutdown();
  EXPECT_EQ(double(delivered(h, "out").size()), emitted(h, "count", "counts"));
  const auto letters = insight_letters(h);
  EXPECT_EQ(double(letters.size()), emitted(h, "poison", "poison"));
  for (const auto& letter : letters) {
    EXPECT_EQ(letter["component"], "out");
    EXPECT_EQ(letter["topic"], "poison");
    EXPECT_EQ(letter["source"], "poison");
    EXPECT_TRUE(letter["insight"].is_object()) << letter.dump();
    EXPECT_NE(letter["reason"].get<std::string>().find("refusing topic poison"), std::string::npos);
  }
}

TEST(Sinks, ASlowSinkNeverHoldsProcessorsBackAndItsOverflowIsDeadLetteredNotDropped) {
  // A sink queue of 2 behind a sink that takes 300 ms a delivery: the
  // processors finish at their own pace; what does not fit is a dead letter.
  RuntimeHarness h(std::string(kFastPool) + "sinks: {queue_capacity: 2, batch_max_insights: 1, batch_max_wait_ms: 10}",
                   fake_feed(20, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count], config: {delay_ms: 300}}\n");
  h.start();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 100; }));
  // 20+ insights through a 300 ms sink would take over 6 s if it held processing back.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  h.runtime->shutdown();
  const double sent = emitted(h, "count", "counts");
  const double overflow = sink_metric(h, "nebula_sink_overflow_total", "out");
  EXPECT_GT(overflow, 0);
  EXPECT_EQ(double(delivered(h, "out").size() + insight_letters(h).size()), sent);
  EXPECT_EQ(double(insight_letters(h).size()), overflow);
}

TEST(Sinks, ReplayingDeadLettersDeliversThemToTheirSinkAgain) {
  // Every delivery fails twice in a row and max_attempts is 2: the first
  // batches become dead letters; by replay time the sink has recovered.
  RuntimeHarness h(std::string(kFastPool) +
                       "sinks: {batch_max_insights: 100, batch_max_wait_ms: 20, retry_initial_ms: 1, retry_max_ms: 2,"
                       " max_attempts: 2}",
                   fake_feed(4, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count], config: {fail_first: 2}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 20; }));
  ASSERT_TRUE(wait_until([&] { return sink_metric(h, "nebula_dead_letters_total", "out") > 0; }));
  const size_t lettered = insight_letters(h).size();
  const auto answer = h.runtime->replay_dead_letters();
  EXPECT_EQ(answer["replayed"], lettered) << answer.dump();
  EXPECT_EQ(answer["kept"], 0) << answer.dump();
  h.runtime->shutdown();
  EXPECT_TRUE(insight_letters(h).empty());
  EXPECT_EQ(double(delivered(h, "out").size()), emitted(h, "count", "counts"));
}

TEST(Sinks, ShutdownDeadLettersWhatADeadSinkStillHoldsAndReturns) {
  RuntimeHarness h(std::string(kFastPool) +
                       "shutdown: {timeout_ms: 400}\nsinks: {batch_max_wait_ms: 20, retry_initial_ms: 50,"
                       " retry_max_ms: 100, max_attempts: 1000000}",
                   fake_feed(4, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: out, plugin: nebula.test.recording_sink, inputs: [count],"
                       " config: {fail_first: 1000000}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 20; }));
  h.runtime->shutdown();
  EXPECT_TRUE(delivered(h, "out").empty());
  const auto letters = insight_letters(h);
  EXPECT_EQ(double(letters.size()), emitted(h, "count", "counts"));
  for (const auto& letter : letters)
    EXPECT_NE(letter["reason"].get<std::string>().find("shut down while the sink was failing"), std::string::npos);
}
