// The runtime with real plugin libraries: fault isolation, bounded queues
// and the back-pressure signal, batch size/time triggers, topic routing.
#include <gtest/gtest.h>

#include <algorithm>

#include "nebula_test/wait.hpp"
#include "runtime_harness.hpp"

using nebula_test::wait_until;

namespace {

int64_t described(RuntimeHarness& h, const char* what) {
  auto e = h.runtime->endpoints();
  return e.contains("feed") ? e["feed"][what].get<int64_t>() : -1;
}

}  // namespace

TEST(Runtime, AThrowingProcessorDoesNotStopItsSiblings) {
  RuntimeHarness h("pool: {batch_max_records: 10, batch_max_wait_ms: 50}",
                   fake_feed(20, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: boom, plugin: nebula.test.faulty, inputs: [feed]}\n"
                       "  - {id: refuse, plugin: nebula.test.faulty, inputs: [feed], config: {mode: status}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 100; }));
  // records_processed counts a cycle as it starts: read the per-processor
  // counts once shutdown has waited for the last cycle.
  h.runtime->shutdown();
  auto boom = h.processor("boom");
  auto refuse = h.processor("refuse");
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "count"}}), 100);
  EXPECT_EQ(boom["failures"], boom["calls"]);
  EXPECT_GT(boom["failures"].get<int>(), 0);
  EXPECT_EQ(refuse["failures"], refuse["calls"]);
  EXPECT_EQ(h.metrics.value("nebula_processor_failures_total", {{"component", "count"}}), 0);
  EXPECT_GT(h.metrics.value("nebula_processor_failures_total", {{"component", "boom"}}), 0);
  // The healthy processor's insights kept flowing: one per batch, plus its flush.
  EXPECT_GE(h.runtime->insights().latest("counts", 1000).size(), 10u);
}

TEST(Runtime, FullPoolQueueTellsTheTransportToRetryAndLosesNothingAccepted) {
  // Queue of 10 records, a slow processor (200 ms a batch), no admission
  // wait: most of the 40 payloads of 5 records find the queue full and get RETRY.
  RuntimeHarness h("pool: {queue_capacity: 10, batch_max_records: 5, batch_max_wait_ms: 10, admission_wait_ms: 0}",
                   fake_feed(40, batch_payload("n1", 5)) +
                       "  - {id: slow, plugin: nebula.test.counting, inputs: [feed], config: {delay_ms: 200}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return described(h, "accepted") + 5 * described(h, "refused") == 200; }));
  const int64_t accepted = described(h, "accepted");
  EXPECT_GT(described(h, "refused"), 0) << "the producer must be told the queue is full";
  EXPECT_LE(h.stats()["pool"]["queue_depth"].get<int64_t>(), 10);
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == accepted; }));
  const int64_t refused = described(h, "refused");
  h.runtime->shutdown();
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "slow"}}), accepted);
  EXPECT_EQ(h.metrics.value("nebula_ingest_payloads_total", {{"component", "feed"}, {"result", "retry"}}),
            refused);
}

TEST(Runtime, AFullQueueHoldsThePayloadUntilThereIsRoomInsteadOfRefusingIt) {
  // The same slow pool, with an admission wait far longer than one batch:
  // a payload that finds the queue full waits for the dispatcher to make
  // room and is accepted; nobody is told to retry and nothing is lost.
  RuntimeHarness h("pool: {queue_capacity: 10, batch_max_records: 5, batch_max_wait_ms: 10, admission_wait_ms: 5000}",
                   fake_feed(20, batch_payload("n1", 5)) +
                       "  - {id: slow, plugin: nebula.test.counting, inputs: [feed], config: {delay_ms: 50}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return described(h, "accepted") + 5 * described(h, "refused") == 100; }));
  EXPECT_EQ(described(h, "refused"), 0);
  EXPECT_LE(h.stats()["pool"]["queue_depth"].get<int64_t>(), 10);
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 100; }));
  h.runtime->shutdown();
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "slow"}}), 100);
  EXPECT_GT(h.metrics.value("nebula_ingest_admission_waits_total", {{"component", "feed"}}), 0)
      << "the queue never filled: the test did not exercise the wait";
  EXPECT_EQ(h.metrics.value("nebula_ingest_payloads_total", {{"component", "feed"}, {"result", "retry"}}), 0);
}

TEST(Runtime, ADownstreamProcessorGetsItsInputsInsightsInFileOrderWhateverThreadFinishesFirst) {
  // slow and fast run in parallel in stage 0; fast always finishes first.
  // The downstream processor must still see slow's insight before fast's in
  // every cycle (pipeline file order), or its answers would depend on timing.
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 10, workers: 2}",
                   fake_feed(6, batch_payload("n1", 5)) +
                       "  - {id: slow, plugin: nebula.test.counting, inputs: [feed], config: {topic: a, delay_ms: 30}}\n"
                       "  - {id: fast, plugin: nebula.test.counting, inputs: [feed], config: {topic: b}}\n"
                       "  - {id: down, plugin: nebula.test.counting, inputs: [slow, fast],"
                       " config: {topic: f, forward_insights: true}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.runtime->insights().latest("f.forwarded", 100).size() >= 12; }));
  auto forwarded = h.runtime->insights().latest("f.forwarded", 100);
  std::reverse(forwarded.begin(), forwarded.end());  // oldest first
  for (size_t i = 0; i + 1 < 12; i += 2) {
    EXPECT_EQ(nlohmann::json::parse(forwarded[i]->json)["from"], "slow") << "cycle " << i / 2;
    EXPECT_EQ(nlohmann::json::parse(forwarded[i + 1]->json)["from"], "fast") << "cycle " << i / 2;
  }
}

// ABI 1.4: after a processor's batch and insights of one cycle, the host
// ends the cycle for it, once: `down` sees both upstream insights of each
// cycle before its end, never half of them. A processor built for 1.3 has no
// end_cycle in its table, and the host, going by struct_size, never calls past it.
TEST(Runtime, EachCycleEndsOnceAfterAllItsDeliveriesAndOnlyForTablesThatHaveIt) {
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 10, workers: 2}",
                   fake_feed(6, batch_payload("n1", 5)) +
                       "  - {id: slow, plugin: nebula.test.counting, inputs: [feed], config: {topic: a, delay_ms: 30}}\n"
                       "  - {id: fast, plugin: nebula.test.counting, inputs: [feed], config: {topic: b}}\n"
                       "  - {id: down, plugin: nebula.test.counting, inputs: [slow, fast],"
                       " config: {topic: f, cycle_topic: cycles}}\n"
                       "  - {id: old, plugin: nebula.test.minor3, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 30; }));
  h.runtime->shutdown();  // the drain ends with the flushes' own cycles
  const auto cycles = h.runtime->insights().latest("cycles", 100);
  ASSERT_GE(cycles.size(), 6u);
  int64_t delivered = 0;
  for (const auto& c : cycles) {
    const auto doc = nlohmann::json::parse(c->json);
    EXPECT_EQ(doc["records"], 0) << "down reads no transport";
    // slow and fast each emit once a cycle (and once on their flush).
    EXPECT_EQ(doc["insights"], 2) << "a cycle ended before all its deliveries, or after none";
    delivered += doc["insights"].get<int64_t>();
  }
  // Every insight slow and fast emitted (one a batch, plus a flush each) was
  // delivered in some cycle that was then ended.
  EXPECT_EQ(delivered, static_cast<int64_t>(h.runtime->insights().latest("a", 100).size() +
                                            h.runtime->insights().latest("b", 100).size()));
  EXPECT_FALSE(h.runtime->insights().latest("minor3.records", 100).empty());
  EXPECT_TRUE(h.runtime->insights().latest("minor3.end_cycle", 100).empty());
  EXPECT_EQ(h.metrics.value("nebula_processor_failures_total", {{"component", "old"}}), 0);
}

TEST(Runtime, BatchesAreCutAtTheSizeLimit) {
  RuntimeHarness h("pool: {batch_max_records: 7, batch_max_wait_ms: 60000}",
                   fake_feed(10, batch_payload("n1", 7)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  // A 60 s wait would never elapse here: batches must be cut by size alone.
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 70; }));
  for (auto& in : h.runtime->insights().latest("counts", 100)) {
    auto doc = nlohmann::json::parse(in->json);
    if (doc.contains("batch_rows")) {
      EXPECT_LE(doc["batch_rows"].get<int>(), 7);
    }
  }
  h.runtime->shutdown();
}

TEST(Runtime, APartialBatchIsDispatchedWhenTheWaitElapses) {
  RuntimeHarness h("pool: {batch_max_records: 100, batch_max_wait_ms: 100}",
                   fake_feed(1, batch_payload("n1", 3)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 3; }));
  // The cycle is counted as it starts; its insight follows.
  ASSERT_TRUE(wait_until([&] { return !h.runtime->insights().latest("counts", 10).empty(); }));
  auto insights = h.runtime->insights().latest("counts", 10);
  EXPECT_EQ(nlohmann::json::parse(insights.back()->json)["batch_rows"], 3);
  h.runtime->shutdown();
}

TEST(Runtime, InsightsReachAgentsByTopicAndWiringOnly) {
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 20}\n"
                   "training: {batch_max_insights: 4, batch_max_wait_ms: 50}",
                   fake_feed(12, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: other, plugin: nebula.test.counting, inputs: [feed], config: {topic: noise}}\n"
                       "  - id: fwd\n    plugin: nebula.test.counting\n    inputs: [count]\n"
                       "    config: {topic: second, forward_insights: true}\n"
                       "  - {id: wants_counts, plugin: nebula.test.recording_agent, inputs: [count, other],"
                       " config: {subscribe: [counts]}}\n"
                       "  - {id: wants_forwarded, plugin: nebula.test.recording_agent, inputs: [fwd],"
                       " config: {subscribe: [second.forwarded, counts]}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 60; }));
  h.runtime->shutdown();  // drains: every routed insight is learned before exit
  // Counts come from `count` only (12 batches + 1 flush); `other` publishes on `noise`.
  auto counts_emitted = h.metrics.value("nebula_insights_total", {{"component", "count"}, {"topic", "counts"}});
  auto forwarded = h.metrics.value("nebula_insights_total", {{"component", "fwd"}, {"topic", "second.forwarded"}});
  EXPECT_GT(counts_emitted, 0);
  EXPECT_EQ(forwarded, counts_emitted);  // fwd forwards every insight from count
  EXPECT_EQ(h.metrics.value("nebula_agent_insights_total", {{"component", "wants_counts"}}), counts_emitted);
  // wants_forwarded is wired to fwd only: it gets fwd's forwarded insights, never count's `counts`.
  EXPECT_EQ(h.metrics.value("nebula_agent_insights_total", {{"component", "wants_forwarded"}}), forwarded);
}

TEST(Runtime, TrainingBatchesRespectTheSizeLimit) {
  RuntimeHarness h("pool: {batch_max_records: 1, batch_max_wait_ms: 10}\n"
                   "training: {batch_max_insights: 3, batch_max_wait_ms: 60000}",
                   fake_feed(30, batch_payload("n1", 1)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                       "  - {id: agent, plugin: nebula.test.recording_agent, inputs: [count]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.metrics.value("nebula_agent_insights_total", {{"component", "agent"}}) >= 30; }));
  auto* agent = h.runtime->agent("agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->describe()["stats"]["max_batch"], 3);
  h.runtime->shutdown();
}

TEST(Runtime, AFailingCreateIsReportedAndNothingCrashes) {
  RuntimeHarness h("", "  - {id: broken, plugin: nebula.test.counting, config: {delay_ms: -5}}\n");
  // The config loader already rejects this; here we go around it to test create().
  auto errors = h.runtime->create();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("component 'broken' (nebula.test.counting): create failed: /delay_ms: must be between 0 and 60000"),
            std::string::npos)
      << errors[0];
}

TEST(Runtime, ARepeatedPayloadIsAcceptedButProcessedOnce) {
  // The same five (node_id, seq) pairs ten times, as a client retrying a
  // batch whose answer it lost: every retry is answered accepted.
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 10}",
                   fake_feed(10, batch_payload("n1", 5, 100)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return described(h, "accepted") == 50; }));
  EXPECT_EQ(described(h, "refused"), 0);
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 5; }));
  EXPECT_EQ(h.stats()["pool"]["records_duplicate"], 45);
  h.runtime->shutdown();
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "count"}}), 5);
  EXPECT_EQ(h.metrics.value("nebula_ingest_duplicates_total", {{"component", "feed"}}), 45);
}

TEST(Runtime, ANodeOverItsRateLimitIsToldToRetry) {
  // 10 records/s with a burst of 10: the first payloads get through, the
  // rest of a fast burst of 30 payloads is refused with RETRY, not dropped.
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 10}\n"
                   "limits: {records_per_second_per_node: 10, burst_records_per_node: 10}",
                   fake_feed(30, batch_payload("n1", 5)) +
                       "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return described(h, "accepted") + 5 * described(h, "refused") == 150; }));
  EXPECT_GT(described(h, "refused"), 20);
  EXPECT_GE(described(h, "accepted"), 10);
  EXPECT_GT(h.stats()["pool"]["payloads_limited"].get<int>(), 20);
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == described(h, "accepted"); }));
  h.runtime->shutdown();
  EXPECT_GT(h.metrics.value("nebula_ingest_limited_total", {{"component", "feed"}}), 20);
}

// Runtime::emit validates insight text without building a DOM; what it
// accepts must be exactly what nlohmann::json::parse accepts.
TEST(Runtime, InsightTextIsJudgedExactlyAsJsonParseWould) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {R"({"a":[1,2,{"b":null}]})", true},
      {R"({"big":123456789012345678901234567890})", true},  // beyond 64 bits: simdjson refuses, nlohmann reads
      {"\xEF\xBB\xBF{\"bom\":true}", true},                // a leading byte-order mark
      {R"({"a":1} trailing)", false},
      {R"({"x":1e400})", false},
      {R"({"s":"\ud800"})", false},  // a lone surrogate
      {"", false},
  };
  nlohmann::json texts = nlohmann::json::array();
  for (const auto& [text, ok] : cases) texts.push_back(text);
  RuntimeHarness h("pool: {batch_max_records: 10, batch_max_wait_ms: 20}",
                   fake_feed(1, batch_payload("n1", 1)) +
                       "  - {id: echo, plugin: nebula.test.echo, inputs: [feed], config: {raw_texts: " + texts.dump() +
                       "}}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return !h.runtime->insights().latest("raw_results", 1).empty(); }));
  const auto results = nlohmann::json::parse(h.runtime->insights().latest("raw_results", 1).front()->json);
  ASSERT_EQ(results.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const bool accepted = results[i]["status"] == NEBULA_OK;
    EXPECT_EQ(accepted, cases[i].second) << "case " << i << ": " << results[i].dump();
    EXPECT_EQ(accepted, nlohmann::json::accept(cases[i].first)) << "case " << i;
    if (!accepted) {
      EXPECT_EQ(results[i]["status"], NEBULA_INVALID) << results[i].dump();
    }
  }
  h.runtime->shutdown();
}
