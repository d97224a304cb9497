// patterns and decisions insights as alerts: labels, severity mapping,
// partitions, what resolves, and what is refused.
#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "alert_labels.hpp"
#include "incident_alerts.hpp"
#include "recommendation_alerts.hpp"

namespace am = nebula::alertmanager;
using nlohmann::json;

namespace {

const am::LabelSet kBase{{"source", "pattern"}, {"cluster", "test"}};

json stall(const std::string& node, const std::string& label = "high", double score = 0.8) {
  return {{"id", "stall/" + node + "/100"}, {"kind", "stall"}, {"node_id", node}, {"chain_id", "btc"},
          {"severity", {{"score", score}, {"label", label}}}, {"start", 100.0}, {"last_seen", 160.0},
          {"evidence", json::array({{{"metric", "blockchain.current_height"}, {"value", 90}, {"baseline", 120},
                                     {"deviation", -0.25}}})}};
}

json patterns(json active, json ended = json::array()) {
  return {{"kind", "patterns"}, {"generated_at", 160.0}, {"active", std::move(active)}, {"started", json::array()},
          {"ended", std::move(ended)}, {"chains", json::object()}, {"stats", json::object()}};
}

}  // namespace

TEST(IncidentAlerts, NodeIncidentCarriesItsLabelsAndEvidence) {
  auto view = am::incident_alerts(patterns({stall("n1")}), kBase);
  ASSERT_EQ(view.current.size(), 1u);
  const auto& a = view.current[0];
  EXPECT_EQ(a.identity, "stall/n1/100");
  EXPECT_EQ(a.labels.at("alertname"), "NebulaIncident");
  EXPECT_EQ(a.labels.at("node_id"), "n1");
  EXPECT_EQ(a.labels.at("chain_id"), "btc");
  EXPECT_EQ(a.labels.at("kind"), "stall");
  EXPECT_EQ(a.labels.at("source"), "pattern");
  EXPECT_EQ(a.labels.at("cluster"), "test");
  EXPECT_FALSE(a.labels.contains("severity"));  // the book sets it
  EXPECT_EQ(a.severity, am::Severity::Critical);
  EXPECT_EQ(a.starts_at, 100.0);
  EXPECT_EQ(a.annotations.at("summary"), "stall on node n1 (chain btc)");
  EXPECT_NE(a.annotations.at("description").find("blockchain.current_height = 90 (baseline 120)"), std::string::npos);
  EXPECT_EQ(a.annotations.at("incident_id"), "stall/n1/100");
  EXPECT_TRUE(view.complete);
}

TEST(IncidentAlerts, SeverityLabelMapsToAlertmanagerSeverity) {
  EXPECT_EQ(am::incident_alerts(patterns({stall("n1", "high")}), kBase).current[0].severity, am::Severity::Critical);
  EXPECT_EQ(am::incident_alerts(patterns({stall("n1", "medium")}), kBase).current[0].severity, am::Severity::Warning);
  EXPECT_EQ(am::incident_alerts(patterns({stall("n1", "low")}), kBase).current[0].severity, am::Severity::Info);
  auto bare = stall("n1");
  bare["severity"] = 0.5;  // a bare score, as older producers send it
  EXPECT_EQ(am::incident_alerts(patterns({bare}), kBase).current[0].severity, am::Severity::Warning);
}

TEST(IncidentAlerts, PartitionGetsAStableNodeLabelAndListsItsNodes) {
  json part{{"id", "partition/btc/100"}, {"kind", "partition"}, {"nodes", {"n3", "n1", "n2"}}, {"chain_id", "btc"},
            {"severity", {{"score", 0.5}, {"label", "medium"}}}, {"start", 100.0}, {"last_seen", 160.0},
            {"evidence", json::array()}};
  auto view = am::incident_alerts(patterns({part}), kBase);
  ASSERT_EQ(view.current.size(), 1u);
  const auto& a = view.current[0];
  EXPECT_EQ(a.labels.at("node_id"), am::partition_label({"n1", "n2", "n3"}));
  EXPECT_EQ(a.labels.at("node_id"), am::partition_label({"n2", "n3", "n1"}));  // order does not matter
  EXPECT_NE(a.labels.at("node_id"), am::partition_label({"n1", "n2", "n4"}));
  EXPECT_EQ(a.labels.at("node_id").rfind("nodes-", 0), 0u);
  EXPECT_EQ(a.annotations.at("nodes"), "n3, n1, n2");
  EXPECT_EQ(a.annotations.at("node_count"), "3");
  EXPECT_EQ(a.annotations.at("summary"), "partition on 3 nodes (chain btc)");
}

TEST(IncidentAlerts, EndedAndTruncatedAreReported) {
  json doc = patterns({stall("n1")}, {stall("n2")});
  doc["truncated"] = {{"active", 4}, {"started", 0}, {"ended", 0}};
  auto view = am::incident_alerts(doc, kBase);
  EXPECT_EQ(view.ended, std::vector<std::string>{"stall/n2/100"});
  EXPECT_FALSE(view.complete);
}

TEST(IncidentAlerts, UnreadableIncidentIsSkippedAndCounted) {
  json broken = stall("n1");
  broken.erase("node_id");
  auto view = am::incident_alerts(patterns({broken, stall("n2")}), kBase);
  EXPECT_EQ(view.current.size(), 1u);
  EXPECT_EQ(view.malformed, 1u);
}

TEST(IncidentAlerts, DocumentWithoutActiveIsRefused) {
  try {
    am::incident_alerts(json{{"kind", "patterns"}}, kBase);
    FAIL() << "expected an error";
  } catch (const nebula::Error& e) {
    EXPECT_EQ(e.status(), NEBULA_INVALID);
    EXPECT_NE(std::string(e.what()).find("active"), std::string::npos);
  }
}

TEST(RecommendationAlerts, RecommendationCarriesActionTargetAndSeverityFromScore) {
  json doc{{"kind", "decisions"},
           {"recommendations",
            {{{"rank", 1}, {"action", "add_peers"}, {"target", "n2"}, {"target_type", "node"}, {"chain_id", "btc"},
              {"score", 0.84}, {"reason", "Node n2 may be eclipsed."}, {"since", 100.0},
              {"evidence", {{"incidents", {{{"id", "eclipse/n2/100"}, {"kind", "eclipse"}, {"severity", 0.8},
                                            {"start", 100.0}}}},
                            {"sources", {"patterns"}}}}},
             {{"rank", 2}, {"action", "observe_chain"}, {"target", "eth"}, {"target_type", "chain"},
              {"chain_id", "eth"}, {"score", 0.45}, {"reason", "slow blocks"}, {"since", 90.0},
              {"evidence", {{"incidents", json::array()}, {"sources", {"block_data"}}}}}}},
           {"expired", {{{"action", "resync"}, {"target", "n9"}, {"since", 50.0}}}},
           {"added", json::array()}};
  auto view = am::recommendation_alerts(doc, kBase);
  ASSERT_EQ(view.current.size(), 2u);
  const auto& node = view.current[0];
  EXPECT_EQ(node.identity, "add_peers/n2");
  EXPECT_EQ(node.labels.at("alertname"), "NebulaRecommendation");
  EXPECT_EQ(node.labels.at("action"), "add_peers");
  EXPECT_EQ(node.labels.at("node_id"), "n2");
  EXPECT_EQ(node.labels.at("chain_id"), "btc");
  EXPECT_EQ(node.severity, am::Severity::Critical);
  EXPECT_EQ(node.starts_at, 100.0);
  EXPECT_NE(node.annotations.at("description").find("eclipse/n2/100"), std::string::npos);
  const auto& chain = view.current[1];
  EXPECT_FALSE(chain.labels.contains("node_id"));
  EXPECT_EQ(chain.labels.at("chain_id"), "eth");
  EXPECT_EQ(chain.severity, am::Severity::Info);
  EXPECT_EQ(view.ended, std::vector<std::string>{"resync/n9"});
  EXPECT_TRUE(view.complete);
}

TEST(RecommendationAlerts, SeverityCutOffs) {
  EXPECT_EQ(am::recommendation_severity(0.75), am::Severity::Critical);
  EXPECT_EQ(am::recommendation_severity(0.5), am::Severity::Warning);
  EXPECT_EQ(am::recommendation_severity(0.49), am::Severity::Info);
}

TEST(RecommendationAlerts, TruncatedListResolvesOnlyExpired) {
  json doc{{"recommendations", json::array()}, {"expired", json::array()}, {"truncated", 3}};
  EXPECT_FALSE(am::recommendation_alerts(doc, kBase).complete);
}
