// The wire: the POST body, timestamps, the URL, Alertmanager's answers, and
// the config checks with their JSON pointers.
#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "alert_json.hpp"
#include "alertmanager_api.hpp"
#include "alertmanager_config.hpp"
#include "http_post_outcome.hpp"

namespace am = nebula::alertmanager;
using nlohmann::json;

TEST(AlertJson, Rfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(am::rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(am::rfc3339(1767226605.25), "2026-01-01T00:16:45.250Z");
  EXPECT_EQ(am::rfc3339(1767226605.9996), "2026-01-01T00:16:45.999Z");
}

TEST(AlertJson, BodyIsAnArrayOfPostableAlerts) {
  am::OutgoingAlert a{{{"alertname", "NebulaIncident"}, {"node_id", "n1"}}, {{"summary", "s"}}, 100, 400, false};
  auto body = json::parse(am::alerts_body({a}, "http://pool:7070/api/v1/pool/insights?topic=patterns"));
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0]["labels"]["node_id"], "n1");
  EXPECT_EQ(body[0]["annotations"]["summary"], "s");
  EXPECT_EQ(body[0]["startsAt"], "1970-01-01T00:01:40.000Z");
  EXPECT_EQ(body[0]["endsAt"], "1970-01-01T00:06:40.000Z");
  EXPECT_EQ(body[0]["generatorURL"], "http://pool:7070/api/v1/pool/insights?topic=patterns");
  EXPECT_FALSE(json::parse(am::alerts_body({a}, ""))[0].contains("generatorURL"));
}

TEST(AlertJson, InvalidUtf8IsReplacedNotRefused) {
  am::OutgoingAlert a{{{"alertname", "NebulaIncident"}, {"node_id", "n\xff"}}, {}, 100, 400, false};
  EXPECT_NO_THROW(json::parse(am::alerts_body({a}, "")));
}

TEST(AlertmanagerUrl, SplitsHostPortAndPrefix) {
  auto u = am::alerts_endpoint("http://127.0.0.1:9093");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "9093");
  EXPECT_EQ(u.target(), "/api/v2/alerts");
  auto p = am::alerts_endpoint("https://am.example/alertmanager/");
  EXPECT_TRUE(p.tls);
  EXPECT_EQ(p.port, "443");
  EXPECT_EQ(p.target(), "/alertmanager/api/v2/alerts");
  EXPECT_EQ(p.text(), "https://am.example/alertmanager/api/v2/alerts");
  EXPECT_EQ(am::alerts_endpoint("http://[::1]:9093").host, "::1");
  EXPECT_THROW(am::alerts_endpoint("ftp://x"), nebula::Error);
  EXPECT_THROW(am::alerts_endpoint("http://:9093"), nebula::Error);
  EXPECT_THROW(am::alerts_endpoint("http://h:99999"), nebula::Error);
  EXPECT_THROW(am::alerts_endpoint("http://h:9093/?x=1"), nebula::Error);
}

// The statuses map as for every sink that POSTs (tests/sinks/common); what
// is Alertmanager's own is the reason quoted from its error body.
TEST(AlertmanagerAnswer, StatusesMapToRetryOrInvalidWithAlertmanagersMessage) {
  auto answer = [](unsigned status, std::string_view body) {
    return nebula::sinks::outcome_of(status, "", am::alertmanager_message(body));
  };
  EXPECT_EQ(answer(200, "").status, NEBULA_OK);
  EXPECT_EQ(answer(503, "down").status, NEBULA_RETRY);
  EXPECT_EQ(answer(429, "").status, NEBULA_RETRY);
  auto bad = answer(400, R"("start time must be before end time")");
  EXPECT_EQ(bad.status, NEBULA_INVALID);
  EXPECT_EQ(bad.message, "HTTP 400: start time must be before end time");
  EXPECT_EQ(am::alertmanager_message(R"({"code":422,"message":"labels in body is required"})"),
            "labels in body is required");
  EXPECT_EQ(am::alertmanager_message("plain text"), "plain text");
}

TEST(AlertmanagerConfig, DefaultsAndRequiredUrl) {
  nebula::ConfigErrors errors;
  auto c = am::parse_config(json{{"url", "http://127.0.0.1:9093"}}, &errors);
  EXPECT_TRUE(errors.empty()) << errors.text();
  EXPECT_EQ(c.resend_interval_s, 60);
  EXPECT_EQ(c.resolve_timeout_s, 300);
  EXPECT_EQ(c.timeout_ms, 5000u);
  EXPECT_EQ(c.max_alerts, 10000u);

  nebula::ConfigErrors missing;
  am::parse_config(json::object(), &missing);
  EXPECT_NE(missing.text().find("/url: is required"), std::string::npos) << missing.text();
}

TEST(AlertmanagerConfig, EveryProblemPointsAtItsKey) {
  nebula::ConfigErrors errors;
  am::parse_config(json{{"url", "tcp://x"},
                        {"resend_interval_s", 0},
                        {"timeout_ms", 1.5},
                        {"labels", {{"cluster", "eu"}, {"node_id", "x"}, {"bad-name", "y"}, {"empty", ""}}},
                        {"generator_url", "pool"},
                        {"max_alerts", 0},
                        {"colour", "red"}},
                   &errors);
  const std::string text = errors.text();
  for (const char* pointer : {"/url:", "/resend_interval_s:", "/timeout_ms:", "/labels/node_id:", "/labels/bad-name:",
                              "/labels/empty:", "/generator_url:", "/max_alerts:", "/colour:"})
    EXPECT_NE(text.find(pointer), std::string::npos) << pointer << " missing in:\n" << text;
  EXPECT_EQ(text.find("/labels/cluster"), std::string::npos) << text;
}

TEST(AlertmanagerConfig, ResolveTimeoutMustOutliveTheResendInterval) {
  nebula::ConfigErrors errors;
  am::parse_config(json{{"url", "http://h:9093"}, {"resend_interval_s", 120}, {"resolve_timeout_s", 100}}, &errors);
  EXPECT_NE(errors.text().find("/resolve_timeout_s: must be longer than resend_interval_s"), std::string::npos)
      << errors.text();
  nebula::ConfigErrors fine;
  auto c = am::parse_config(json{{"url", "http://h:9093"}, {"resend_interval_s", 600}}, &fine);
  EXPECT_TRUE(fine.empty()) << fine.text();
  EXPECT_EQ(c.resolve_timeout_s, 1800);  // three re-sends by default
}
