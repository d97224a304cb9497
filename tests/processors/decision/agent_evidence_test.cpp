// The agents' evidence in recommendations: cited next to the incidents with
// model version and age (null per agent that has nothing), moving a node's
// score by at most the documented steps, forgotten after agent_evidence_ttl_s.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_docs.hpp"
#include "insight_docs.hpp"
#include "nebula_decision/decision_engine.hpp"
#include "topic_contract.hpp"

namespace nebula::decision::testing {
namespace {

using ::testing::HasSubstr;

constexpr double kEclipseScore = 0.55 + 0.35 * 0.6;  // add_peers for an eclipse of severity 0.6

DecisionConfig always() {
  DecisionConfig c;
  c.emit_unchanged = true;
  return c;
}

json ingest(DecisionEngine& e, const std::string& topic, const json& doc) {
  auto out = e.ingest(topic, topic, doc.dump());
  return out ? *out : json();
}

json eclipse_on(const std::string& node, double severity = 0.6) {
  return incident("eclipse", node, "testnet", severity, 100,
                  {evidence("network.peer_count", 1, 20), evidence("network.average_latency", 300, 60)});
}

const json& recommendation(const json& doc, const std::string& action, const std::string& target) {
  for (const auto& r : doc["recommendations"])
    if (r["action"] == action && r["target"] == target) return r;
  static const json none;
  ADD_FAILURE() << "no " << action << " for " << target << " in " << doc.dump();
  return none;
}

const json& agents_in(const json& doc, const std::string& action, const std::string& target) {
  return recommendation(doc, action, target)["evidence"]["agents"];
}

TEST(DecisionAgentEvidence, WithoutAgentsEveryRecommendationSaysSo) {
  DecisionEngine e(always());
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2"), partition({"t7", "t8"}, "testnet", 0.8, 100)}));
  ASSERT_FALSE(out["recommendations"].empty());
  for (const auto& r : out["recommendations"])
    EXPECT_EQ(r["evidence"]["agents"], json({{"analyst", nullptr}, {"resonant", nullptr}, {"archivist", nullptr}}))
        << r.dump();
  EXPECT_NEAR(recommendation(out, "add_peers", "t2")["score"].get<double>(), kEclipseScore, 1e-3);
  EXPECT_EQ(out["inputs"]["anomalies"], 0);
  EXPECT_TRUE(topic_contract::conforms("decisions", out));
}

TEST(DecisionAgentEvidence, CitesEachAgentWithItsModelVersionAndAge) {
  DecisionEngine e(always());
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t2", 0.97, 0.93, 190)}, 2));
  ingest(e, "health", health(196, {health_node("t2", 0.12, 191)}, 3));
  ingest(e, "forecasts", forecasts(197, {forecast_chain("testnet", 1.0, 0.2)}, {forecast_node("t2", 185, 1.1, 0.0)}, 4));
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2")}));
  EXPECT_TRUE(topic_contract::conforms("decisions", out));
  EXPECT_EQ(out["inputs"]["anomalies"], 1);
  EXPECT_EQ(out["inputs"]["health"], 1);
  EXPECT_EQ(out["inputs"]["forecasts"], 1);

  const json& r = recommendation(out, "add_peers", "t2");
  const json& agents = r["evidence"]["agents"];
  EXPECT_EQ(r["evidence"]["incidents"][0]["kind"], "eclipse") << "the pattern recognizer's evidence stays";

  EXPECT_EQ(agents["analyst"]["score"], 0.97);
  EXPECT_EQ(agents["analyst"]["drivers"][0]["feature"], "latency_ms vs node baseline");
  EXPECT_EQ(agents["analyst"]["model_version"], 2);
  EXPECT_DOUBLE_EQ(agents["analyst"]["age_s"].get<double>(), 10);

  EXPECT_EQ(agents["resonant"]["band"], "unhealthy");
  EXPECT_EQ(agents["resonant"]["latency_ms"], json({{"expected", 121.0}, {"observed", 512.3}}));
  EXPECT_EQ(agents["resonant"]["model_version"], 3);
  EXPECT_DOUBLE_EQ(agents["resonant"]["age_s"].get<double>(), 9);

  EXPECT_EQ(agents["archivist"]["node_id"], "t2");
  EXPECT_DOUBLE_EQ(agents["archivist"]["next_blocks"]["error"].get<double>(), 1.1);
  EXPECT_DOUBLE_EQ(agents["archivist"]["running_mae"]["next_blocks"].get<double>(), 0.52) << "its chain's";
  EXPECT_EQ(agents["archivist"]["model_version"], 4);
  EXPECT_DOUBLE_EQ(agents["archivist"]["age_s"].get<double>(), 15);

  EXPECT_THAT(r["reason"].get<std::string>(), HasSubstr("The Analyst scores t2 0.97 (latency_ms vs node baseline"));
  EXPECT_THAT(r["reason"].get<std::string>(), HasSubstr("the Resonant rates the network health of t2 0.12 (unhealthy)"));
  // Both agents see an anomaly: one step each.
  EXPECT_NEAR(r["score"].get<double>(), kEclipseScore + 2 * 0.05, 1e-3);
}

TEST(DecisionAgentEvidence, BothAgentsSeeingANormalNodeLowerItsScoreButNeverAQuarantine) {
  DecisionEngine e(always());
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t2", 0.7, 0.05, 190), anomaly_node("t3", 0.7, 0.05, 190)}));
  ingest(e, "health", health(196, {health_node("t2", 0.95, 190), health_node("t3", 0.95, 190)}));
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2"), eclipse_on("t3", 0.9)}));
  EXPECT_NEAR(recommendation(out, "add_peers", "t2")["score"].get<double>(), kEclipseScore - 0.05, 1e-3);
  const json& quarantine = recommendation(out, "quarantine", "t3");
  EXPECT_NEAR(quarantine["score"].get<double>(), 0.75 + 0.2 * 0.9, 1e-3) << "a quarantine is never lowered";
}

TEST(DecisionAgentEvidence, AnUncalibratedAnalystOrOneAgentAloneSayingNormalChangesNothing) {
  DecisionEngine e(always());
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t2", 0.99, 0.99, 190)}, 1, /*calibrated=*/false));
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t4", 0.7, 0.05, 190)}));
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2"), eclipse_on("t4")}));
  EXPECT_NEAR(recommendation(out, "add_peers", "t2")["score"].get<double>(), kEclipseScore, 1e-3);
  EXPECT_NEAR(recommendation(out, "add_peers", "t4")["score"].get<double>(), kEclipseScore, 1e-3);
  EXPECT_EQ(agents_in(out, "add_peers", "t2")["analyst"]["calibrated"], false);
}

TEST(DecisionAgentEvidence, AChainTargetCitesItsWorstNodeAndTheChainsForecasts) {
  DecisionEngine e(always());
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t7", 0.6, 0.4, 190), anomaly_node("t8", 0.9, 0.8, 191),
                                         anomaly_node("m1", 0.99, 0.99, 191, "mainnet")}));
  ingest(e, "health", health(196, {health_node("t7", 0.3, 190), health_node("t8", 0.5, 190)}));
  ingest(e, "forecasts", forecasts(197, {forecast_chain("testnet", 1.0, 0.2)}, json::array()));
  const json out = ingest(e, "patterns", patterns(200, {partition({"t7", "t8", "t9"}, "testnet", 0.8, 100)}));
  const json& r = recommendation(out, "investigate", "testnet");
  const json& agents = r["evidence"]["agents"];
  EXPECT_EQ(agents["analyst"]["node_id"], "t8") << "the chain's highest score, not another chain's";
  EXPECT_EQ(agents["resonant"]["node_id"], "t7") << "the chain's least healthy";
  EXPECT_EQ(agents["archivist"]["node_id"], nullptr);
  EXPECT_DOUBLE_EQ(agents["archivist"]["next_blocks"]["actual"].get<double>(), 0.2);
  EXPECT_NEAR(r["score"].get<double>(), 0.6 + 0.35 * 0.8, 1e-3) << "agents do not move a chain's score";
  EXPECT_EQ(agents_in(out, "add_peers", "t9")["analyst"], nullptr);
  EXPECT_DOUBLE_EQ(agents_in(out, "add_peers", "t9")["archivist"]["running_mae"]["next_blocks"].get<double>(), 0.52)
      << "a node without its own forecast check gets its chain's";
  EXPECT_TRUE(topic_contract::conforms("decisions", out));
}

TEST(DecisionAgentEvidence, EvidenceAboutRecordsOlderThanTheTtlIsForgotten) {
  DecisionConfig c = always();
  c.agent_evidence_ttl_s = 60;
  DecisionEngine e(c);
  ingest(e, "anomalies", anomalies(150, {anomaly_node("t2", 0.97, 0.93, 150)}));
  json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2")}));
  EXPECT_EQ(agents_in(out, "add_peers", "t2")["analyst"]["as_of"], 150.0);
  out = ingest(e, "patterns", patterns(211, {eclipse_on("t2")}));
  EXPECT_EQ(agents_in(out, "add_peers", "t2")["analyst"], nullptr);
  EXPECT_NEAR(recommendation(out, "add_peers", "t2")["score"].get<double>(), kEclipseScore, 1e-3);
}

TEST(DecisionAgentEvidence, ANewerFindingReplacesAnOlderOneButNotTheOtherWayRound) {
  DecisionEngine e(always());
  ingest(e, "health", health(190, {health_node("t2", 0.2, 190)}));
  ingest(e, "health", health(195, {health_node("t2", 0.9, 195)}));
  ingest(e, "health", health(196, {health_node("t2", 0.1, 170)}));  // a late document about older records
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2")}));
  EXPECT_EQ(agents_in(out, "add_peers", "t2")["resonant"]["health"], 0.9);
}

TEST(DecisionAgentEvidence, MalformedAgentEntriesAreSkippedNotThrown) {
  DecisionEngine e(always());
  json doc = anomalies(195, {anomaly_node("t2", 0.97, 0.93, 190)});
  doc["nodes"].push_back({{"score", 0.9}});                                 // no node id
  doc["nodes"].push_back({{"node_id", "t3"}, {"score", "high"}});         // no number
  doc["nodes"].push_back("t4");
  ingest(e, "anomalies", doc);
  ingest(e, "health", {{"kind", "health"}, {"generated_at", 196}, {"nodes", "none"}});
  ingest(e, "forecasts", {{"kind", "forecasts"}, {"generated_at", 197}, {"chains", {{{"chain_id", "testnet"}, {"next_blocks", "x"}}}}});
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2"), eclipse_on("t3")}));
  EXPECT_EQ(agents_in(out, "add_peers", "t2")["analyst"]["score"], 0.97);
  EXPECT_EQ(agents_in(out, "add_peers", "t3")["analyst"], nullptr);
  EXPECT_EQ(agents_in(out, "add_peers", "t3")["archivist"]["next_blocks"], nullptr);
  EXPECT_EQ(out["inputs"]["malformed"], 0);
  EXPECT_TRUE(topic_contract::conforms("decisions", out));
}

TEST(DecisionAgentEvidence, AScoreStepOfZeroCitesWithoutMovingScores) {
  DecisionConfig c = always();
  c.agent_score_step = 0;
  DecisionEngine e(c);
  ingest(e, "anomalies", anomalies(195, {anomaly_node("t2", 0.97, 0.93, 190)}));
  const json out = ingest(e, "patterns", patterns(200, {eclipse_on("t2")}));
  EXPECT_NEAR(recommendation(out, "add_peers", "t2")["score"].get<double>(), kEclipseScore, 1e-3);
  EXPECT_NE(agents_in(out, "add_peers", "t2")["analyst"], nullptr);
}

TEST(DecisionAgentEvidence, TheAgentKeysAreValidated) {
  ConfigErrors errors;
  DecisionConfig::parse({{"agent_score_step", 0.5}, {"agent_evidence_ttl_s", 0}}, &errors);
  EXPECT_THAT(errors.text(), HasSubstr("/agent_score_step"));
  EXPECT_THAT(errors.text(), HasSubstr("/agent_evidence_ttl_s"));
}

}  // namespace
}  // namespace nebula::decision::testing
