// Closing the loop, end to end (#16): the fleet simulator injects a network
// partition on four known TestNet nodes and streams the fleet over HTTP to
// the real nebula-pool, running the default pipeline's processors, the three
// agents, the Decision Optimizer wired to them, the `history` SQLite sink and
// an `alerts` Alertmanager sink. A real Prometheus Alertmanager routes to a
// webhook receiver of the test's own. The partition must become
//   - a `patterns` incident naming exactly those nodes,
//   - an Analyst `anomalies` document ranking them above the healthy nodes,
//   - a `decisions` document whose recommendation for each of them cites the
//     partition incident and the Analyst's finding (evidence.agents.analyst),
//   - a firing NebulaIncident alert received through Alertmanager,
//   - rows of GET /api/v1/pool/insights?topic=patterns&node_id=<member> served
//     from the history, still the same rows after the pool is restarted.
// Every wait has a deadline; the feed is paced by the pool's own progress.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/fleet_builder.hpp>
#include <nebula_sim/wire.hpp>

#include "http_receiver.hpp"
#include "nebula_test/admin_api.hpp"
#include "nebula_test/alertmanager_process.hpp"
#include "nebula_test/default_pipeline.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/wait.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kPartitioned = {"testnet-00001", "testnet-00002", "testnet-00005", "testnet-00006"};
constexpr double kSampleInterval = 5.0;
constexpr double kPartitionAfter = 600;  // simulated seconds of normal operation first: baselines, training
constexpr double kPartitionFor = 3 * 3600.0;  // lasts past the end of the test
// The feed stays at most this far (simulated seconds) ahead of what the
// Analyst has published, so the agents keep up on a loaded machine and their
// evidence is fresh (agent_evidence_ttl_s is 300) when the decisions are made.
constexpr double kMaxLead = 60;
constexpr auto kDeadline = std::chrono::seconds(150);

bool partitioned(const std::string& node) {
  return std::find(kPartitioned.begin(), kPartitioned.end(), node) != kPartitioned.end();
}

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// 8 TestNet and 4 MainNet nodes, no random incidents: the scripted partition
// is the only incident, so every other node is healthy.
nebula_sim::FleetConfig fleet_config() {
  return nebula_sim::FleetBuilder()
      .nodes({.testnet = 8, .mainnet = 4})
      .seed(16)
      .start_time(std::floor(wall_now()) - 3600)  // simulated time runs ahead of the clock, within the pool's limit
      .random_incidents(false)
      .incident(nebula_sim::IncidentKind::Partition, "testnet", kPartitioned, kPartitionAfter, kPartitionFor)
      .build();
}

// The default pipeline (config/pipeline.yaml) over HTTP only, plus an
// Alertmanager sink; agents publish at their default interval (10 s of
// record time).
std::string components(const std::string& alertmanager_url) {
  return nebula_test::default_pipeline_components() +
         "  - {id: alerts, plugin: nebula.sink.alertmanager, inputs: [patterns, decisions],\n"
         "     config: {url: \"" + alertmanager_url + "\", labels: {cluster: e2e}}}\n";
}

using nebula_test::admin_get;

// Streams the simulated fleet to the pool's HTTP transport, one POST per
// step (every node's record of that instant), on its own thread. Before each
// step it makes sure it is no more than kMaxLead simulated seconds ahead of
// the newest `anomalies` document in the history, so the pool sets the pace.
class FleetFeed {
 public:
  FleetFeed(unsigned short ingest_port, unsigned short admin_port)
      : ingest_(ingest_port), admin_(admin_port), fleet_(fleet_config()) {
    thread_ = std::thread([this] { run(); });
  }
  ~FleetFeed() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::string error() const {
    std::lock_guard lock(mu_);
    return error_;
  }
  // Simulated seconds sent so far.
  double sent_s() const { return sent_s_.load(); }

 private:
  void fail(const std::string& why) {
    std::lock_guard lock(mu_);
    error_ = why;
  }

  // generated_at of the newest anomalies document in the history, or the
  // fleet's start while there is none.
  double analyst_clock() const {
    const json doc = admin_get(admin_, "/api/v1/pool/insights?topic=anomalies&limit=1");
    if (doc.is_object() && !doc["insights"].empty()) return doc["insights"][0]["data"]["generated_at"].get<double>();
    return fleet_.config().start_time;
  }

  void run() {
    double analyst = fleet_.config().start_time;
    const double last = fleet_.config().start_time + kPartitionAfter + kPartitionFor;
    while (!stop_ && fleet_.now() + kSampleInterval < last) {
      if (fleet_.now() + kSampleInterval - analyst > kMaxLead) {
        // The pool sets the pace: the Analyst's published documents catch up.
        const bool caught_up = nebula_test::wait_until(
            [&] { return stop_ || fleet_.now() + kSampleInterval - (analyst = analyst_clock()) <= kMaxLead; },
            std::chrono::seconds(60));
        if (!caught_up) return fail("the Analyst published nothing newer than " + std::to_string(analyst) +
                                    " for 60 s (the feed is at " + std::to_string(fleet_.now()) + ")");
        if (stop_) return;
      }
      json batch = json::array();
      for (const auto& r : fleet_.step()) batch.push_back(nebula_sim::to_wire(r));
      try {
        auto res = nebula_test::http_request("127.0.0.1", ingest_, "POST", "/api/v1/pool/ingest",
                                             json{{"data_batch", batch}, {"batch_size", batch.size()}}.dump());
        if (res.status != 200) return fail("ingest answered " + std::to_string(res.status) + ": " + res.body);
      } catch (const std::exception& e) {
        return fail(std::string("ingest failed: ") + e.what());
      }
      sent_s_ = fleet_.now() - fleet_.config().start_time;
    }
  }

  unsigned short ingest_, admin_;
  nebula_sim::Fleet fleet_;
  std::atomic<bool> stop_{false};
  std::atomic<double> sent_s_{0};
  mutable std::mutex mu_;
  std::string error_;
  std::thread thread_;  // last: runs on everything above
};

// Every history row of `query` (paged with the cursor), newest first.
json history_rows(unsigned short admin, const std::string& query) {
  json rows = json::array();
  std::string after;
  for (;;) {
    const json page = admin_get(admin, "/api/v1/pool/insights?" + query + "&limit=1000" + after);
    if (!page.is_object()) return nullptr;
    if (page["from"] != "history") ADD_FAILURE() << "answer not from the history: " << page.dump().substr(0, 300);
    for (const auto& row : page["insights"]) rows.push_back(row);
    if (page["next"].is_null()) return rows;
    after = "&after=" + page["next"].get<std::string>();
  }
}

// The partition incident naming exactly kPartitioned in one `patterns`
// document of the history about kPartitioned[0]; null while there is none.
json partition_incident(unsigned short admin) {
  const json page = admin_get(admin, "/api/v1/pool/insights?topic=patterns&node_id=" + kPartitioned[0] + "&limit=100");
  if (!page.is_object()) return nullptr;
  const std::set<std::string> expected(kPartitioned.begin(), kPartitioned.end());
  for (const auto& row : page["insights"])
    for (const auto& inc : row["data"]["active"])
      if (inc.value("kind", "") == "partition" && inc.value("chain_id", "") == "testnet" && inc.contains("nodes") &&
          inc["nodes"].get<std::set<std::string>>() == expected)
        return inc;
  return nullptr;
}

// A calibrated `anomalies` document that scores every partitioned node and
// at least four healthy ones, with every partitioned node above every
// healthy one both in its score and in the autoencoder's own score (the
// model's view, without the lift the recognised pattern gives).
json ranking_anomalies(unsigned short admin) {
  const json page = admin_get(admin, "/api/v1/pool/insights?topic=anomalies&node_id=" + kPartitioned[0] + "&limit=200");
  if (!page.is_object()) return nullptr;
  for (const auto& row : page["insights"]) {
    if (row["data"]["calibrated"] != true) continue;
    bool ranked = true;
    for (const char* key : {"score", "autoencoder_score"}) {
      double lowest_partitioned = 2, highest_healthy = -1;
      size_t partitioned_listed = 0, healthy_listed = 0;
      for (const auto& n : row["data"]["nodes"]) {
        const double score = n[key].get<double>();
        if (partitioned(n["node_id"])) {
          ++partitioned_listed;
          lowest_partitioned = std::min(lowest_partitioned, score);
        } else {
          ++healthy_listed;
          highest_healthy = std::max(highest_healthy, score);
        }
      }
      ranked = ranked && partitioned_listed == kPartitioned.size() && healthy_listed >= 4 &&
               lowest_partitioned > highest_healthy;
    }
    if (ranked) return row["data"];
  }
  return nullptr;
}

// A `decisions` document in which the recommendation for every partitioned
// node cites the partition incident and the Analyst's finding about it.
json citing_decision(unsigned short admin, const std::string& incident_id) {
  const json page = admin_get(admin, "/api/v1/pool/insights?topic=decisions&node_id=" + kPartitioned[0] + "&limit=200");
  if (!page.is_object()) return nullptr;
  for (const auto& row : page["insights"]) {
    std::set<std::string> cited;
    for (const auto& r : row["data"]["recommendations"]) {
      if (r.value("target_type", "") != "node" || !partitioned(r.value("target", ""))) continue;
      const json& evidence = r["evidence"];
      const bool cites_incident = std::any_of(evidence["incidents"].begin(), evidence["incidents"].end(),
                                              [&](const json& i) { return i.value("id", "") == incident_id; });
      const json& analyst = evidence["agents"]["analyst"];
      if (cites_incident && analyst.is_object() && analyst.value("node_id", "") == r["target"] &&
          analyst["score"].is_number())
        cited.insert(r["target"].get<std::string>());
    }
    if (cited.size() == kPartitioned.size()) return row["data"];
  }
  return nullptr;
}

// The first alert of a firing webhook notification from Alertmanager that
// is the partition incident; null while none arrived.
json partition_alert(const nebula::sink_test::HttpReceiver& receiver) {
  for (const auto& req : receiver.requests()) {
    const json doc = json::parse(req.body, nullptr, false);
    if (!doc.is_object() || doc.value("status", "") != "firing" || !doc.contains("alerts")) continue;
    for (const auto& alert : doc["alerts"])
      if (alert.value("status", "") == "firing" && alert["labels"].value("alertname", "") == "NebulaIncident" &&
          alert["labels"].value("kind", "") == "partition")
        return alert;
  }
  return nullptr;
}

std::chrono::milliseconds left(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

TEST(CloseTheLoop, InjectedPartitionBecomesPatternScoreDecisionAlertAndHistoryThatSurvivesARestart) {
  const auto began = Clock::now();
  nebula::sink_test::HttpReceiver receiver;
  std::unique_ptr<nebula_test::AlertmanagerProcess> alertmanager;
  try {
    alertmanager = std::make_unique<nebula_test::AlertmanagerProcess>(receiver.url("/hook"));
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }

  // Short windows so the loop closes in seconds: batches cut after 100 ms,
  // training after 20 insights or 200 ms, sinks deliver after 100 ms.
  PoolProcess pool(components(alertmanager->url()), nebula_test::short_window_settings());
  only_in_tree_plugins(pool);
  ASSERT_TRUE(pool.start()) << pool.log();
  const unsigned short admin = pool.admin_port;
  const auto ingest = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();

  const auto deadline = Clock::now() + kDeadline;
  FleetFeed feed(ingest, admin);
  auto context = [&] {
    return "\nfeed at " + std::to_string(feed.sent_s()) + " simulated s" + (feed.error().empty() ? "" : ", feed: " + feed.error()) +
           "\npool log (tail):\n" + pool.log().substr(pool.log().size() > 6000 ? pool.log().size() - 6000 : 0);
  };

  // 1. The Pattern Recognizer names the partition and exactly its members.
  json incident;
  ASSERT_TRUE(nebula_test::wait_until([&] { return !(incident = partition_incident(admin)).is_null(); },
                                      left(deadline)))
      << "no patterns incident naming the partitioned nodes" << context();
  const std::string incident_id = incident["id"];
  EXPECT_EQ(incident_id.rfind("partition/testnet/", 0), 0u) << incident.dump();

  // 2. The Analyst scores the partitioned nodes above every healthy node.
  json anomalies;
  ASSERT_TRUE(nebula_test::wait_until([&] { return !(anomalies = ranking_anomalies(admin)).is_null(); },
                                      left(deadline)))
      << "no anomalies document ranking the partitioned nodes above the healthy ones" << context();
  for (size_t i = 0; i < kPartitioned.size(); ++i)  // listed highest first: they lead the list
    EXPECT_TRUE(partitioned(anomalies["nodes"][i]["node_id"])) << anomalies.dump();

  // 3. The Decision Optimizer's recommendation for each member cites both.
  json decision;
  ASSERT_TRUE(nebula_test::wait_until([&] { return !(decision = citing_decision(admin, incident_id)).is_null(); },
                                      left(deadline)))
      << "no decisions document citing the partition and the Analyst for every member" << context();
  for (const auto& r : decision["recommendations"])
    if (r["target_type"] == "node" && partitioned(r["target"])) {
      EXPECT_GE(r["evidence"]["agents"]["analyst"]["model_version"].get<int>(), 1) << r.dump();
      EXPECT_NE(r["reason"].get<std::string>().find("The Analyst scores " + r["target"].get<std::string>()),
                std::string::npos)
          << r.dump();
    }

  // 4. Alertmanager notifies the test's webhook receiver of the partition.
  json alert;
  ASSERT_TRUE(nebula_test::wait_until([&] { return !(alert = partition_alert(receiver)).is_null(); }, left(deadline)))
      << "no firing partition alert reached the webhook receiver; alertmanager log:\n"
      << alertmanager->log_text() << context();
  EXPECT_EQ(alert["labels"]["chain_id"], "testnet") << alert.dump();
  EXPECT_TRUE(std::regex_match(alert["labels"]["node_id"].get<std::string>(), std::regex("nodes-[0-9a-f]{8}")))
      << alert.dump();
  EXPECT_TRUE(std::set<std::string>({"critical", "warning", "info"}).count(alert["labels"].value("severity", ""))) << alert.dump();
  EXPECT_EQ(alert["labels"]["source"], "patterns") << alert.dump();
  EXPECT_EQ(alert["labels"]["cluster"], "e2e") << alert.dump();
  EXPECT_EQ(alert["annotations"]["incident_id"], incident_id) << alert.dump();
  for (const auto& node : kPartitioned)
    EXPECT_NE(alert["annotations"]["nodes"].get<std::string>().find(node), std::string::npos) << alert.dump();

  // 5. The history about a member: rows from the sink, as many as a few
  // batches of the partition make.
  const std::string query = "topic=patterns&node_id=" + kPartitioned[0];
  json before;
  ASSERT_TRUE(nebula_test::wait_until(
      [&] { return (before = history_rows(admin, query)).is_array() && before.size() >= 10; }, left(deadline)))
      << "fewer than 10 history rows about " << kPartitioned[0] << context();
  feed.stop();
  ASSERT_EQ(feed.error(), "");
  for (const auto& row : before) {
    EXPECT_EQ(row["topic"], "patterns");
    EXPECT_NE(std::find(row["nodes"].begin(), row["nodes"].end(), kPartitioned[0]), row["nodes"].end())
        << row.dump().substr(0, 300);
  }

  // 6. SIGTERM, a clean exit, a new pool on the same state directory: the
  // same query answers the same rows, and nothing was written since.
  pool.process->signal(SIGTERM);
  const auto code = pool.process->wait_exit(std::chrono::seconds(60));
  ASSERT_TRUE(code.has_value()) << "the pool did not stop within 60 s of SIGTERM" << context();
  ASSERT_EQ(*code, 0) << context();
  const double restarted = wall_now();
  ASSERT_TRUE(pool.start()) << pool.log();
  json after;
  ASSERT_TRUE(nebula_test::wait_until([&] { return (after = history_rows(pool.admin_port, query)).is_array(); },
                                      std::chrono::seconds(60)))
      << pool.log();
  // Rows the pool stored between the first query and its shutdown are newer
  // (higher ids); below them the answer is exactly the one before.
  const auto oldest_new = std::find_if(after.begin(), after.end(),
                                       [&](const json& row) { return row["id"] <= before[0]["id"]; });
  const json kept(oldest_new, after.end());
  ASSERT_EQ(kept.size(), before.size()) << "rows before the restart: " << before.size() << ", after: " << after.size();
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(kept[i]["id"], before[i]["id"]);
    EXPECT_EQ(kept[i]["timestamp"], before[i]["timestamp"]);
    EXPECT_EQ(kept[i]["source"], before[i]["source"]);
    EXPECT_EQ(kept[i]["nodes"], before[i]["nodes"]);
    EXPECT_EQ(kept[i]["data"], before[i]["data"]);
  }
  for (const auto& row : after) EXPECT_LT(row["timestamp"].get<double>(), restarted) << row.dump().substr(0, 300);
  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(60)), std::optional<int>(0)) << pool.log();
  std::cout << "closed the loop in " << std::chrono::duration<double>(Clock::now() - began).count() << " s ("
            << before.size() << " history rows about " << kPartitioned[0] << " kept across the restart)\n";
}
