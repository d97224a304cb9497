// Rules end to end through the engine: which action for which incident,
// explained; expiry; quarantine only when deserved; enrichment; bounds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "insight_docs.hpp"
#include "nebula_decision/decision_engine.hpp"

namespace nebula::decision::testing {
namespace {

using ::testing::HasSubstr;

DecisionConfig always() {
  DecisionConfig c;
  c.emit_unchanged = true;
  return c;
}

json ingest(DecisionEngine& e, const std::string& topic, const json& doc) {
  auto out = e.ingest(topic, "pattern", doc.dump());
  return out ? *out : json();
}

const json* find(const json& doc, const std::string& action, const std::string& target) {
  for (const auto& r : doc["recommendations"])
    if (r["action"] == action && r["target"] == target) return &r;
  return nullptr;
}

TEST(DecisionEngine, EachIncidentKindGetsItsAction) {
  DecisionEngine e(always());
  json active = json::array({
      stall("t1", 0.5, 100),
      incident("eclipse", "t2", "testnet", 0.6, 100,
               {evidence("network.peer_count", 1, 20), evidence("network.average_latency", 300, 60)}),
      incident("resource_exhaustion", "t3", "testnet", 0.4, 100,
               {evidence("performance.cpu_usage", 99, 40), evidence("performance.memory_usage", 60, 50)}),
      incident("tx_flood", "t4", "testnet", 0.5, 100, {evidence("transaction_rate", 80, 8)}),
      incident("hashrate_surge", "t5", "testnet", 0.5, 100, {evidence("blockchain.mining_hash_rate", 360, 120)}),
      incident("hashrate_drop", "t6", "testnet", 0.5, 100, {evidence("blockchain.mining_hash_rate", 24, 120)}),
      partition({"t7", "t8", "t9"}, "testnet", 0.8, 100),
  });
  json out = ingest(e, "patterns", patterns(200, active, active));
  ASSERT_EQ(out["kind"], "decisions");
  EXPECT_DOUBLE_EQ(out["generated_at"].get<double>(), 200);

  const json* resync = find(out, "resync", "t1");
  ASSERT_TRUE(resync);
  EXPECT_THAT(resync->at("reason").get<std::string>(), HasSubstr("stuck at height 1000"));
  EXPECT_THAT(resync->at("reason").get<std::string>(), HasSubstr("12 blocks ahead"));
  EXPECT_EQ(resync->at("target_type"), "node");
  EXPECT_EQ(resync->at("evidence")["incidents"][0]["kind"], "stall");

  const json* peers = find(out, "add_peers", "t2");
  ASSERT_TRUE(peers);
  EXPECT_THAT(peers->at("reason").get<std::string>(), HasSubstr("down to 1 peers (usually 20)"));
  EXPECT_THAT(peers->at("reason").get<std::string>(), HasSubstr("latency 300 ms"));

  ASSERT_TRUE(find(out, "scale_resources", "t3"));
  EXPECT_THAT(find(out, "scale_resources", "t3")->at("reason").get<std::string>(), HasSubstr("cpu 99 %"));
  ASSERT_TRUE(find(out, "investigate", "t4"));
  EXPECT_THAT(find(out, "investigate", "t4")->at("reason").get<std::string>(), HasSubstr("10x its usual 8 tx/s"));
  ASSERT_TRUE(find(out, "investigate", "t5"));
  ASSERT_TRUE(find(out, "investigate", "t6"));

  const json* split = find(out, "investigate", "testnet");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->at("target_type"), "chain");
  EXPECT_THAT(split->at("reason").get<std::string>(), HasSubstr("3 nodes of chain testnet (t7, t8, t9)"));
  for (const char* n : {"t7", "t8", "t9"}) EXPECT_TRUE(find(out, "add_peers", n)) << n;
  EXPECT_FALSE(find(out, "quarantine", "t4")) << "one moderate incident is no reason to quarantine";

  // Ranked 1..n by score, descending.
  double prev = 2;
  int rank = 0;
  for (const auto& r : out["recommendations"]) {
    EXPECT_EQ(r["rank"], ++rank);
    EXPECT_LE(r["score"].get<double>(), prev);
    prev = r["score"].get<double>();
  }
  const auto& obs = out["chain_observations"];
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0]["chain_id"], "testnet");
  EXPECT_EQ(obs[0]["status"], "partitioned");
  EXPECT_EQ(obs[0]["nodes_with_incidents"], 9);
}

TEST(DecisionEngine, StallOfACutOffNodePointsAtTheNetworkFirst) {
  DecisionEngine e(always());
  json s = stall("t1", 0.5, 100);
  json ecl = incident("eclipse", "t1", "testnet", 0.5, 90,
                      {evidence("network.peer_count", 1, 20), evidence("network.average_latency", 300, 60)});
  json out = ingest(e, "patterns", patterns(110, {s, ecl}, {s, ecl}));
  const json* resync = find(out, "resync", "t1");
  const json* peers = find(out, "add_peers", "t1");
  ASSERT_TRUE(resync && peers);
  EXPECT_THAT(resync->at("reason").get<std::string>(), HasSubstr("open eclipse, which likely explains the stall"));
  EXPECT_LT(peers->at("rank").get<int>(), resync->at("rank").get<int>());
}

TEST(DecisionEngine, RecommendationsExpireWhenTheIncidentEnds) {
  DecisionEngine e(always());
  json s = stall("t1", 0.5, 100);
  json first = ingest(e, "patterns", patterns(110, {s}, {s}));
  ASSERT_TRUE(find(first, "resync", "t1"));
  EXPECT_EQ(first["added"], (json::array({{{"action", "resync"}, {"target", "t1"}}})));
  json second = ingest(e, "patterns", patterns(150, json::array(), json::array(), {s}));
  EXPECT_TRUE(second["recommendations"].empty());
  ASSERT_EQ(second["expired"].size(), 1u);
  EXPECT_EQ(second["expired"][0]["action"], "resync");
  EXPECT_EQ(second["expired"][0]["target"], "t1");
}

TEST(DecisionEngine, DeltaOnlyProducersAreFollowedToo) {
  DecisionEngine e(always());
  json s = stall("t1", 0.5, 100);
  json started{{"kind", "patterns"}, {"generated_at", 110}, {"started", {s}}};  // no "active" list
  EXPECT_TRUE(find(ingest(e, "patterns", started), "resync", "t1"));
  json ended{{"kind", "patterns"}, {"generated_at", 120}, {"ended", {s}}};
  EXPECT_TRUE(ingest(e, "patterns", ended)["recommendations"].empty());
}

TEST(DecisionEngine, QuarantineForRepeatedIncidents) {
  DecisionEngine e(always());
  // Three stalls on t1 within the hour, each ended before the next.
  for (double start : {1000.0, 2000.0}) {
    json s = stall("t1", 0.4, start);
    json out = ingest(e, "patterns", patterns(start + 10, {s}, {s}));
    EXPECT_FALSE(find(out, "quarantine", "t1"));
    ingest(e, "patterns", patterns(start + 200, json::array(), json::array(), {s}));
  }
  json third = stall("t1", 0.4, 3000);
  json out = ingest(e, "patterns", patterns(3010, {third}, {third}));
  const json* q = find(out, "quarantine", "t1");
  ASSERT_TRUE(q);
  EXPECT_THAT(q->at("reason").get<std::string>(), HasSubstr("3 incidents in the last 1 h (stall x3)"));
  EXPECT_EQ(q->at("evidence")["recent_incidents"]["stall"], 3);
  EXPECT_TRUE(find(out, "resync", "t1")) << "the fix for the incident itself stays";

  // Outside the window the old ones no longer count.
  json later = stall("t1", 0.4, 3000 + 2 * 3600);
  ingest(e, "patterns", patterns(3200, json::array(), json::array(), {third}));
  EXPECT_FALSE(find(ingest(e, "patterns", patterns(later["start"].get<double>() + 5, {later}, {later})), "quarantine", "t1"));
}

TEST(DecisionEngine, QuarantineForASevereSecurityIncidentButNotForResources) {
  DecisionEngine e(always());
  json flood = incident("tx_flood", "t4", "testnet", 0.95, 100, {evidence("transaction_rate", 400, 8)});
  json hot = incident("resource_exhaustion", "t5", "testnet", 1.0, 100, {evidence("performance.cpu_usage", 100, 40)});
  json out = ingest(e, "patterns", patterns(110, {flood, hot}, {flood, hot}));
  const json* q = find(out, "quarantine", "t4");
  ASSERT_TRUE(q);
  EXPECT_THAT(q->at("reason").get<std::string>(), HasSubstr("severe tx_flood (severity 0.95)"));
  EXPECT_EQ(out["recommendations"][0]["action"], "quarantine") << "ranks first";
  EXPECT_FALSE(find(out, "quarantine", "t5"));
}

TEST(DecisionEngine, EnrichmentAddsAndCorroborates) {
  DecisionEngine e(always());
  json s = stall("t1", 0.5, 100);
  json only_patterns = ingest(e, "patterns", patterns(110, {s}, {s}));
  const double alone = find(only_patterns, "resync", "t1")->at("score").get<double>();

  json blocks = block_data(
      112, {{"testnet", block_chain(1012, 5, 5.1, {stalled_node("t1", 1000, 12, 60, 5), stalled_node("t9", 990, 22, 110, 5)})}});
  json out = ingest(e, "blockchain", blocks);
  const json* r = find(out, "resync", "t1");
  ASSERT_TRUE(r);
  EXPECT_GT(r->at("score").get<double>(), alone) << "two sources agree";
  EXPECT_EQ(r->at("evidence")["sources"], (json{"patterns", "block_data"}));
  ASSERT_TRUE(find(out, "resync", "t9")) << "block data alone is enough for a resync";
  EXPECT_THAT(find(out, "resync", "t9")->at("reason").get<std::string>(), HasSubstr("110 s, 22 blocks behind"));

  json net = network(113, {{"testnet", network_chain({isolated_node("t3", 100)})}});
  out = ingest(e, "network", net);
  ASSERT_TRUE(find(out, "add_peers", "t3"));
  EXPECT_EQ(out["chain_observations"][0]["isolated_nodes"], 1);
  EXPECT_EQ(out["chain_observations"][0]["sources"], (json{"patterns", "block_data", "network"}));
}

TEST(DecisionEngine, SlowAndHaltedChainsAreObserved) {
  DecisionEngine e(always());
  json doc = patterns(100, json::array());
  doc["chains"]["testnet"]["observed_interval_s"] = 9.0;
  json out = ingest(e, "patterns", doc);
  const json* r = find(out, "observe_chain", "testnet");
  ASSERT_TRUE(r);
  EXPECT_THAT(r->at("reason").get<std::string>(), HasSubstr("every 9 s vs 5 s expected (1.8x)"));
  EXPECT_EQ(out["chain_observations"][0]["status"], "slow_blocks");
  doc["chains"]["testnet"]["observed_interval_s"] = 400.0;
  doc["generated_at"] = 101;
  out = ingest(e, "patterns", doc);
  EXPECT_EQ(out["chain_observations"][0]["status"], "halted");
  EXPECT_EQ(out["recommendations"][0]["action"], "observe_chain");
}

TEST(DecisionEngine, JunkIsCountedNotFatal) {
  DecisionEngine e(always());
  EXPECT_FALSE(e.ingest("patterns", "x", "{not json"));
  EXPECT_FALSE(e.ingest("patterns", "x", "[1,2]"));
  EXPECT_FALSE(e.ingest("decisions", "x", R"({"kind":"decisions"})")) << "our own output is not an input";
  EXPECT_FALSE(e.ingest("misc", "x", R"({"hello":1})"));
  EXPECT_EQ(e.stats().malformed, 2u);
  EXPECT_EQ(e.stats().ignored, 2u);
  // Half-broken insights of the right kind still work.
  auto out = e.ingest("patterns", "x", R"({"kind":"patterns","active":[{"kind":"stall"},{"kind":"stall","node_id":"n"},7]})");
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)["recommendations"].size(), 1u);
  EXPECT_TRUE((*out)["generated_at"].is_null()) << "no time in any input yet";
}

TEST(DecisionEngine, UnchangedListsAreNotRepeated) {
  DecisionEngine e(DecisionConfig{});
  json s = stall("t1", 0.5, 100);
  EXPECT_TRUE(e.ingest("patterns", "p", patterns(110, {s}, {s}).dump()));
  EXPECT_FALSE(e.ingest("patterns", "p", patterns(115, {s}).dump()));
  EXPECT_TRUE(e.ingest("patterns", "p", patterns(120, json::array(), json::array(), {s}).dump()));
}

TEST(DecisionEngine, SilentSourcesAreForgotten) {
  DecisionConfig c = always();
  c.input_ttl_s = 300;
  DecisionEngine e(c);
  json s = stall("t1", 0.5, 100);
  EXPECT_TRUE(find(*e.ingest("patterns", "pattern-a", patterns(110, {s}, {s}).dump()), "resync", "t1"));
  // Another producer keeps the clock moving; pattern-a says nothing for 10 minutes.
  auto out = e.ingest("patterns", "pattern-b", patterns(710, json::array()).dump());
  EXPECT_TRUE((*out)["recommendations"].empty());
}

TEST(DecisionEngine, ListIsBounded) {
  DecisionConfig c = always();
  c.max_recommendations = 5;
  DecisionEngine e(c);
  json active = json::array();
  for (int i = 0; i < 30; ++i) active.push_back(stall("n" + std::to_string(i), 0.5, 100));
  json out = ingest(e, "patterns", patterns(110, active, active));
  EXPECT_EQ(out["recommendations"].size(), 5u);
  EXPECT_EQ(out["truncated"], 26) << "30 resyncs + observe_chain (30 of 10 known nodes affected) - 5";
}

TEST(DecisionEngine, SameInputsSameOutput) {
  auto run = [] {
    DecisionEngine e(always());
    std::string all;
    json s = stall("t1", 0.5, 100);
    json p = partition({"t2", "t3", "t4"}, "testnet", 0.7, 105);
    all += ingest(e, "patterns", patterns(110, {s, p}, {s, p})).dump();
    all += ingest(e, "patterns", patterns(120, {p}, json::array(), {s})).dump();
    return all;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace nebula::decision::testing
