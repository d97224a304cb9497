// The real module against an Alertmanager stand-in of the test's own: what
// it posts and when, and how Alertmanager's answers become sink statuses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alert_json.hpp"
#include "nebula_test/free_port.hpp"
#include "sink_test_support.hpp"

using namespace alertmanager_test;
using nlohmann::json;

namespace {

std::string config_for(const std::string& url, const json& extra = json::object()) {
  json cfg{{"url", url}, {"labels", {{"cluster", "test"}}}};
  cfg.update(extra);
  return cfg.dump();
}

std::vector<json> posted(const HttpReceiver& server) {
  std::vector<json> bodies;
  for (const auto& r : server.requests()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/api/v2/alerts");
    bodies.push_back(json::parse(r.body));
  }
  return bodies;
}

}  // namespace

TEST(AlertmanagerSinkPlugin, PostsANewIncidentOnceAndResendsItOnTheTimer) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  const double start = wall_seconds() - 30;
  ASSERT_EQ(sink.deliver({patterns_insight({stall_incident("n1", start)})}, "pattern"), NEBULA_OK) << sink.last_error();
  ASSERT_EQ(sink.deliver({patterns_insight({stall_incident("n1", start)})}, "pattern"), NEBULA_OK) << sink.last_error();
  auto bodies = posted(am);
  ASSERT_EQ(bodies.size(), 1u);  // the unchanged second view posts nothing
  const auto& alert = bodies[0].at(0);
  EXPECT_EQ(alert["labels"], json({{"alertname", "NebulaIncident"}, {"node_id", "n1"}, {"chain_id", "btc-testnet"},
                                   {"kind", "stall"}, {"severity", "critical"}, {"source", "pattern"},
                                   {"cluster", "test"}}));
  EXPECT_EQ(alert["annotations"]["summary"], "stall on node n1 (chain btc-testnet)");
  EXPECT_GT(alert["endsAt"].get<std::string>(), alert["startsAt"].get<std::string>());
  EXPECT_EQ(host.counter("alerts_posted"), 1);
  EXPECT_EQ(host.gauge("firing_alerts"), 1);

  EXPECT_EQ(host.run_timers(), 1u);
  bodies = posted(am);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[1].at(0)["labels"]["node_id"], "n1");
}

TEST(AlertmanagerSinkPlugin, IncidentGoneFromTheViewIsResolvedOnce) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  const double start = wall_seconds() - 30;
  ASSERT_EQ(sink.deliver({patterns_insight({stall_incident("n1", start)})}, "pattern"), NEBULA_OK);
  ASSERT_EQ(sink.deliver({patterns_insight(json::array(), {stall_incident("n1", start)})}, "pattern"), NEBULA_OK);
  const double after = wall_seconds();
  auto bodies = posted(am);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[1].size(), 1u);
  EXPECT_EQ(bodies[1][0]["labels"]["node_id"], "n1");
  EXPECT_LE(bodies[1][0]["endsAt"].get<std::string>(), nebula::alertmanager::rfc3339(after));
  EXPECT_EQ(host.counter("alerts_resolved"), 1);
  EXPECT_EQ(host.run_timers(), 1u);
  EXPECT_EQ(am.requests().size(), 2u);  // nothing firing, nothing to re-send
}

TEST(AlertmanagerSinkPlugin, ServerErrorIsRetryAndTheChangeGoesOutWithTheNextPost) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  const double start = wall_seconds() - 30;
  ASSERT_EQ(sink.deliver({patterns_insight({stall_incident("n1", start)})}, "pattern"), NEBULA_OK);
  am.answer({503, "\"unavailable\""});
  const auto gone = patterns_insight(json::array());
  EXPECT_EQ(sink.deliver({gone}, "pattern"), NEBULA_RETRY);
  EXPECT_NE(std::string(sink.last_error()).find("503"), std::string::npos) << sink.last_error();
  EXPECT_EQ(host.counter("posts_failed"), 1);
  am.answer({200, ""});
  ASSERT_EQ(sink.deliver({gone}, "pattern"), NEBULA_OK) << sink.last_error();  // the host's redelivery
  auto bodies = posted(am);
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[2].size(), 1u);
  EXPECT_EQ(bodies[2][0]["labels"]["node_id"], "n1");
  EXPECT_EQ(host.gauge("firing_alerts"), 0);
}

TEST(AlertmanagerSinkPlugin, RefusedAlertsAreInvalidWithAlertmanagersMessage) {
  HttpReceiver am;
  am.answer({400, "\"start time must be before end time\""});
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  const auto insight = patterns_insight({stall_incident("n1", wall_seconds())});
  EXPECT_EQ(sink.deliver({insight}, "pattern"), NEBULA_INVALID);
  EXPECT_NE(std::string(sink.last_error()).find("start time must be before end time"), std::string::npos)
      << sink.last_error();
  EXPECT_EQ(host.counter("alerts_refused"), 1);
  // Refused alerts are not posted again and again.
  EXPECT_EQ(sink.deliver({insight}, "pattern"), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(am.requests().size(), 1u);
}

TEST(AlertmanagerSinkPlugin, NobodyListeningIsRetry) {
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(),
                          config_for("http://127.0.0.1:" + std::to_string(nebula_test::free_port()), {{"timeout_ms", 2000}}));
  EXPECT_EQ(sink.deliver({patterns_insight({stall_incident("n1", wall_seconds())})}, "pattern"), NEBULA_RETRY);
  EXPECT_NE(std::string(sink.last_error()).find("cannot connect"), std::string::npos) << sink.last_error();
}

TEST(AlertmanagerSinkPlugin, RecommendationsBecomeAlertsAndResolveWhenNoLongerRecommended) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  json rec{{"rank", 1}, {"action", "resync"}, {"target", "n1"}, {"target_type", "node"}, {"chain_id", "btc-testnet"},
           {"score", 0.6}, {"reason", "Node n1 is stalled."}, {"since", wall_seconds() - 10},
           {"evidence", {{"incidents", json::array()}, {"sources", {"patterns"}}}}};
  json decisions{{"kind", "decisions"}, {"recommendations", {rec}}, {"expired", json::array()}};
  ASSERT_EQ(sink.deliver({{"decisions", decisions.dump()}}, "decision"), NEBULA_OK) << sink.last_error();
  decisions["recommendations"] = json::array();
  ASSERT_EQ(sink.deliver({{"decisions", decisions.dump()}}, "decision"), NEBULA_OK) << sink.last_error();
  auto bodies = posted(am);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0][0]["labels"], json({{"alertname", "NebulaRecommendation"}, {"action", "resync"},
                                          {"target_type", "node"}, {"node_id", "n1"}, {"chain_id", "btc-testnet"},
                                          {"severity", "warning"}, {"source", "decision"}, {"cluster", "test"}}));
  EXPECT_EQ(bodies[1][0]["labels"]["action"], "resync");
  EXPECT_EQ(host.counter("alerts_resolved"), 1);
}

TEST(AlertmanagerSinkPlugin, OtherTopicsAreCountedNotPosted) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  EXPECT_EQ(sink.deliver({{"network", R"({"kind":"network"})"}}), NEBULA_OK);
  EXPECT_EQ(host.counter("insights_ignored"), 1);
  EXPECT_TRUE(am.requests().empty());
}

TEST(AlertmanagerSinkPlugin, UnreadableInsightIsInvalidButTheRestOfTheBatchIsPosted) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url("")));
  EXPECT_EQ(sink.deliver({{"patterns", R"({"kind":"patterns"})"}, patterns_insight({stall_incident("n1", wall_seconds())})},
                         "pattern"),
            NEBULA_INVALID);
  EXPECT_NE(std::string(sink.last_error()).find("active"), std::string::npos) << sink.last_error();
  EXPECT_EQ(am.requests().size(), 1u);
}

TEST(AlertmanagerSinkPlugin, CapIsCountedAndWarnedNeverSilent) {
  HttpReceiver am;
  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(), config_for(am.url(""), {{"max_alerts", 1}}));
  const double t = wall_seconds();
  ASSERT_EQ(sink.deliver({patterns_insight({stall_incident("n1", t), stall_incident("n2", t)})}, "pattern"), NEBULA_OK);
  EXPECT_EQ(host.counter("alerts_over_cap"), 1);
  bool warned = false;
  for (const auto& line : host.logs())
    warned = warned || (line.level == NEBULA_LOG_WARN && line.message.find("max_alerts") != std::string::npos);
  EXPECT_TRUE(warned);
  EXPECT_EQ(host.gauge("firing_alerts"), 1);
}

TEST(AlertmanagerSinkPlugin, ValidateNamesTheKey) {
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(sink_descriptor()->validate_config(R"({"resend_interval_s": 0})", err, sizeof err), NEBULA_INVALID);
  EXPECT_NE(std::string(err).find("/url: is required"), std::string::npos) << err;
  EXPECT_NE(std::string(err).find("/resend_interval_s:"), std::string::npos) << err;
  EXPECT_EQ(sink_descriptor()->validate_config(R"({"url": "http://127.0.0.1:9093"})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(sink_descriptor()->kind, NEBULA_KIND_SINK);
}
