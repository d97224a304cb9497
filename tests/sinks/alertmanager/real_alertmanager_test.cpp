// End to end through a real Alertmanager started by the test: an incident
// delivered to the real module reaches the test's webhook receiver as a
// firing notification with the sink's labels, and as a resolved one once a
// patterns insight no longer lists it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alert_json.hpp"
#include "alertmanager_process.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/wait.hpp"
#include "sink_test_support.hpp"

using namespace alertmanager_test;
using nlohmann::json;

namespace {

// The first webhook notification with `status` whose alerts include one
// labelled node_id=`node`; null when none arrived yet.
json notification(const HttpReceiver& receiver, const std::string& status, const std::string& node) {
  for (const auto& r : receiver.requests()) {
    auto doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object() || doc.value("status", "") != status || !doc.contains("alerts")) continue;
    for (const auto& alert : doc["alerts"])
      if (alert["labels"].value("node_id", "") == node) return alert;
  }
  return nullptr;
}

std::string received_text(const HttpReceiver& receiver) {
  std::string out;
  for (const auto& r : receiver.requests()) out += r.target + " " + r.body + "\n";
  return out.empty() ? "(nothing)" : out;
}

}  // namespace

TEST(RealAlertmanager, IncidentFiresAndResolvesThroughTheWebhookReceiver) {
  HttpReceiver receiver;
  std::unique_ptr<AlertmanagerProcess> alertmanager;
  try {
    alertmanager = std::make_unique<AlertmanagerProcess>(receiver.url("/hook"));
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }

  nebula::testing::MockHost host;
  auto sink = host.create(sink_descriptor(),
                          json{{"url", alertmanager->url()}, {"labels", {{"cluster", "e2e"}}}}.dump());
  const double start = wall_seconds() - 60;
  const auto incident = stall_incident("node-7", start);
  ASSERT_EQ(sink.deliver({patterns_insight({incident})}, "pattern"), NEBULA_OK) << sink.last_error();

  ASSERT_TRUE(nebula_test::wait_until([&] { return !notification(receiver, "firing", "node-7").is_null(); }))
      << "no firing notification; received:\n" << received_text(receiver) << "alertmanager log:\n"
      << alertmanager->log_text();
  const json firing = notification(receiver, "firing", "node-7");
  EXPECT_EQ(firing["labels"], json({{"alertname", "NebulaIncident"}, {"node_id", "node-7"},
                                    {"chain_id", "btc-testnet"}, {"kind", "stall"}, {"severity", "critical"},
                                    {"source", "pattern"}, {"cluster", "e2e"}}));
  EXPECT_EQ(firing["annotations"]["incident_id"], incident["id"]);
  EXPECT_EQ(firing["startsAt"].get<std::string>().substr(0, 19),
            nebula::alertmanager::rfc3339(start).substr(0, 19));

  // The re-send keeps it open: Alertmanager still lists it as active.
  EXPECT_EQ(host.run_timers(), 1u);
  const auto listed = json::parse(nebula_test::http_get(alertmanager->port(), "/api/v2/alerts").body);
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["status"]["state"], "active");

  ASSERT_EQ(sink.deliver({patterns_insight(json::array(), {incident})}, "pattern"), NEBULA_OK) << sink.last_error();
  ASSERT_TRUE(nebula_test::wait_until([&] { return !notification(receiver, "resolved", "node-7").is_null(); }))
      << "no resolved notification; received:\n" << received_text(receiver) << "alertmanager log:\n"
      << alertmanager->log_text();
  EXPECT_EQ(notification(receiver, "resolved", "node-7")["labels"]["kind"], "stall");
}
