// The web console in a real browser (#17): headless Chromium, driven through
// the Debian chromedriver, against the real nebula-pool behind an admin
// token, fed by the fleet simulator with an injected partition, on the real
// processors, agents and SQLite history sink:
//   - the page asks for the token and then shows the fleet: both chains listed,
//   - the incident view, reached by clicking the partition on the timeline,
//     names exactly the partitioned nodes,
//   - the node view draws its six metric charts (SVG paths with points),
//   - the agents and pipeline views render,
//   - no error in the browser's console log,
//   - screenshots of each view land in <build>/console-screenshots/,
//   - a second pool holding 10,000 nodes serves a fleet page drawn in < 1 s.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/fleet_builder.hpp>
#include <nebula_sim/wire.hpp>

#include "nebula_test/admin_api.hpp"
#include "nebula_test/default_pipeline.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/wait.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"
#include "webdriver.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "console-test-token";
const std::vector<std::string> kPartitioned = {"testnet-00001", "testnet-00002", "testnet-00005"};
const std::filesystem::path kShots = NEBULA_BINARY_DIR "/console-screenshots";

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The pool with `components`, its admin API behind kToken.
std::unique_ptr<PoolProcess> start_pool(const std::string& components, const std::string& settings) {
  auto pool = std::make_unique<PoolProcess>(components, settings);
  only_in_tree_plugins(*pool);
  std::string yaml = nebula_test::read_file(pool->yaml());
  yaml.replace(yaml.find("admin: {port: 0}"), 16, std::string("admin: {port: 0, token: ") + kToken + "}");
  pool->dir.write("pipeline.yaml", yaml);
  if (!pool->start()) throw std::runtime_error("the pool did not start:\n" + pool->log());
  return pool;
}

void post_records(unsigned short ingest, const json& batch) {
  const auto r = nebula_test::http_request("127.0.0.1", ingest, "POST", "/api/v1/pool/ingest",
                                           json{{"data_batch", batch}, {"batch_size", batch.size()}}.dump());
  if (r.status != 200) throw std::runtime_error("ingest answered " + std::to_string(r.status) + ": " + r.body);
}

// The default pipeline's processors and agents over HTTP, with the history;
// not the data stream, intelligence and memory processors (no view shows them).
std::string components() {
  return nebula_test::default_pipeline_components({.leave_out = {"stream", "intelligence", "memory"}});
}

// The partition incident naming exactly kPartitioned, from the history; null while none.
json partition_incident(const PoolProcess& pool) {
  const json page = nebula_test::admin_get(
      pool.admin_port, "/api/v1/pool/insights?topic=patterns&node_id=" + kPartitioned[0] + "&limit=50", kToken);
  if (!page.is_object()) return nullptr;
  const std::set<std::string> expected(kPartitioned.begin(), kPartitioned.end());
  for (const auto& row : page["insights"])
    for (const auto& inc : row["data"]["active"])
      if (inc.value("kind", "") == "partition" && inc.contains("nodes") &&
          inc["nodes"].get<std::set<std::string>>() == expected)
        return inc;
  return nullptr;
}

// Severe entries of the browser's console log (JavaScript errors, failed loads).
std::vector<std::string> severe(const json& log) {
  std::vector<std::string> out;
  for (const auto& e : log)
    if (e.value("level", "") == "SEVERE") out.push_back(e.value("message", ""));
  return out;
}

// Without a browser: the page and its files answer without the token (they
// hold no data), every data call of the console needs it, and bad input is
// told apart from unknown nodes.
TEST(ConsoleApi, PageIsPublicDataNeedsTheToken) {
  auto pool = start_pool("  - {id: http_in, plugin: nebula.transport.http, config: {address: 127.0.0.1, port: 0}}\n", "");
  const auto get = [&](const std::string& path, bool with_token) {
    std::map<std::string, std::string> headers;
    if (with_token) headers["Authorization"] = std::string("Bearer ") + kToken;
    return nebula_test::http_request("127.0.0.1", pool->admin_port, "GET", path, "", headers);
  };
  const auto page = get("/", false);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("console/console.js"), std::string::npos);
  const auto script = get("/console/console.js", false);
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.at("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(json::parse(get("/console/auth.json", false).body), json({{"token_required", true}}));
  EXPECT_EQ(get("/console/no-such-file.js", false).status, 404);

  for (const char* path : {"/api/v1/console/fleet", "/api/v1/console/history", "/api/v1/console/pipeline",
                           "/api/v1/console/nodes/any"})
    EXPECT_EQ(get(path, false).status, 401) << path;
  EXPECT_EQ(get("/api/v1/console/fleet", true).status, 200);
  EXPECT_EQ(json::parse(get("/api/v1/console/pipeline", true).body)["components"][0]["id"], "http_in");
  const auto unknown = get("/api/v1/console/nodes/nobody", true);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  for (const char* bad : {"limit=0x", "limit=1001", "offset=-1", "health=sick"}) {
    const auto r = get(std::string("/api/v1/console/fleet?") + bad, true);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(json::parse(r.body).contains("error")) << r.body;
  }
}

class ConsoleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      browser_ = new console_test::Browser();
    } catch (const std::exception& e) {
      browser_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete browser_;
    browser_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(browser_, nullptr) << "no headless Chromium (Debian chromium and chromium-driver, see scripts/install-deps): "
                                 << browser_error_;
  }

  // Opens the console of `pool`, answers the token prompt, waits for the fleet.
  static void sign_in(const PoolProcess& pool) {
    browser_->go("http://127.0.0.1:" + std::to_string(pool.admin_port) + "/");
    ASSERT_TRUE(browser_->wait_for("return document.getElementById('token-dialog').open === true;"))
        << "the console did not ask for the admin token";
    browser_->run("document.getElementById('token-input').value = arguments[0];"
                  "document.getElementById('token-form').requestSubmit();",
                  json::array({kToken}));
    ASSERT_TRUE(browser_->wait_for("return document.body.dataset.ready === 'fleet';"))
        << "the fleet view did not render after the token was given";
  }

  // Goes to a view (#/...) and waits until it says it has drawn its data.
  static void show(const std::string& hash, const std::string& ready) {
    browser_->run("location.hash = arguments[0];", json::array({hash}));
    ASSERT_TRUE(browser_->wait_for("return document.body.dataset.ready === '" + ready + "';"))
        << hash << " did not render; page says: "
        << browser_->run("return document.getElementById('view').innerText;").dump().substr(0, 500);
  }

  static console_test::Browser* browser_;
  static std::string browser_error_;
};
console_test::Browser* ConsoleTest::browser_ = nullptr;
std::string ConsoleTest::browser_error_;

TEST_F(ConsoleTest, ShowsTheFleetAnInjectedPartitionItsNodesChartsAgentsAndPipeline) {
  const auto began = Clock::now();
  auto pool = start_pool(components(), nebula_test::short_window_settings());
  const auto ingest = pool->endpoints["transports"]["http_in"]["port"].get<unsigned short>();

  // 8 TestNet and 4 MainNet nodes; a partition of three TestNet nodes from
  // the 10th simulated minute on; no other incident. Fed as fast as the pool
  // takes it, until the history holds the partition, then two minutes more.
  const double start = std::floor(wall_now()) - 3600;
  nebula_sim::Fleet fleet(nebula_sim::FleetBuilder()
                              .nodes({.testnet = 8, .mainnet = 4})
                              .seed(17)
                              .start_time(start)
                              .random_incidents(false)
                              .incident(nebula_sim::IncidentKind::Partition, "testnet", kPartitioned, 600, 3 * 3600 - 600)
                              .build());
  json incident;
  for (int step = 0; step < 700 && incident.is_null(); ++step) {
    json batch = json::array();
    for (const auto& r : fleet.step()) batch.push_back(nebula_sim::to_wire(r));
    ASSERT_NO_THROW(post_records(ingest, batch));
    if (step >= 120 && step % 10 == 0)
      nebula_test::wait_until([&] { return !(incident = partition_incident(*pool)).is_null(); }, std::chrono::milliseconds(300));
  }
  ASSERT_FALSE(incident.is_null()) << "no partition incident in the history\n" << pool->log().substr(0, 4000);
  for (int step = 0; step < 24; ++step) {
    json batch = json::array();
    for (const auto& r : fleet.step()) batch.push_back(nebula_sim::to_wire(r));
    ASSERT_NO_THROW(post_records(ingest, batch));
  }
  const std::string incident_id = incident["id"];
  std::cout << "fed " << fleet.steps_taken() << " steps; partition " << incident_id << " after "
            << std::chrono::duration<double>(Clock::now() - began).count() << " s\n";

  // Fleet: both chains, the partitioned nodes in incident.
  ASSERT_NO_FATAL_FAILURE(sign_in(*pool));
  ASSERT_TRUE(browser_->wait_for(
      "const n = [...document.querySelectorAll('#fleet-groups tr[data-chain]')].map(r => r.dataset.chain);"
      "return n.includes('testnet') && n.includes('mainnet');"))
      << browser_->run("return document.getElementById('fleet-groups').innerText;").dump();
  const json incident_count = browser_->run(
      "const r = document.querySelector('#fleet-groups tr[data-chain=testnet] td.incident');"
      "return r ? r.innerText : '0';");
  EXPECT_EQ(incident_count, std::to_string(kPartitioned.size()));
  EXPECT_GE(browser_->run("return document.querySelectorAll('#fleet-nodes table.nodes tbody tr').length;").get<int>(), 12);

  // Incidents: the partition on the timeline; clicking it names its nodes.
  ASSERT_NO_FATAL_FAILURE(show("#/incidents", "incidents"));
  const std::string bar = browser_->find("svg.timeline rect[data-incident=\"" + incident_id + "\"]");
  browser_->click(bar);
  ASSERT_TRUE(browser_->wait_for("return document.body.dataset.ready === 'incident';"));
  const json named = browser_->run("return [...document.querySelectorAll('#incident-nodes a')].map(a => a.innerText);");
  EXPECT_EQ(named.get<std::set<std::string>>(), std::set<std::string>(kPartitioned.begin(), kPartitioned.end()))
      << named.dump();
  EXPECT_GE(browser_->run("return document.querySelectorAll('#incident-detail table tbody tr').length;").get<int>(), 1)
      << "no evidence rows";
  browser_->screenshot(kShots / "console-incident.png");

  // Node: six metric charts, each a path through several minutes.
  ASSERT_NO_FATAL_FAILURE(show("#/nodes/" + kPartitioned[0], "node"));
  const json paths = browser_->run(
      "return [...document.querySelectorAll('#node-charts svg.chart')].map(s => {"
      "  const p = s.querySelector('path.series'); return p ? Number(p.dataset.points) : 0; });");
  ASSERT_EQ(paths.size(), 6u) << paths.dump();
  for (const auto& points : paths) EXPECT_GE(points.get<int>(), 5) << paths.dump();
  EXPECT_EQ(browser_->run("return document.querySelector('#node-head .badge').innerText;"), "incident");
  browser_->screenshot(kShots / "console-node.png");

  // Agents and pipeline.
  ASSERT_NO_FATAL_FAILURE(show("#/agents", "agents"));
  EXPECT_EQ(browser_->run("return [...document.querySelectorAll('article.agent')].map(a => a.dataset.agent).sort();"),
            json::array({"analyst", "archivist", "resonant"}));
  browser_->screenshot(kShots / "console-agents.png");
  ASSERT_NO_FATAL_FAILURE(show("#/pipeline", "pipeline"));
  EXPECT_EQ(browser_->run("return document.querySelectorAll('svg.graph g.component').length;"), 11);
  EXPECT_GE(browser_->run("return document.querySelectorAll('svg.graph path.edge').length;").get<int>(), 14);
  browser_->screenshot(kShots / "console-pipeline.png");

  // Back to the fleet: its four charts of the pool over time have lines by
  // now (the host samples every 5 s; a rate needs two samples).
  ASSERT_NO_FATAL_FAILURE(show("#/fleet", "fleet"));
  EXPECT_TRUE(browser_->wait_for(
      "const c = [...document.querySelectorAll('#fleet-charts svg.chart')];"
      "return c.length === 4 && c.every(s => [...s.querySelectorAll('path.series')].some(p => Number(p.dataset.points) >= 2));",
      std::chrono::seconds(30)))
      << browser_->run("return document.getElementById('fleet-charts').innerText;").dump();
  browser_->screenshot(kShots / "console-fleet.png");

  const auto errors = severe(browser_->log());
  EXPECT_TRUE(errors.empty()) << "browser console errors:\n" << json(errors).dump(2);
  std::cout << "console views checked in " << std::chrono::duration<double>(Clock::now() - began).count()
            << " s; screenshots in " << kShots << "\n";
}

TEST_F(ConsoleTest, DrawsTheFleetOfTenThousandNodesInUnderOneSecond) {
  auto pool = start_pool("  - {id: http_in, plugin: nebula.transport.http, config: {address: 127.0.0.1, port: 0}}\n"
                         "  - {id: network, plugin: nebula.processor.network_monitor, inputs: [http_in]}\n",
                         "pool: {batch_max_records: 5000, batch_max_wait_ms: 50}\n");
  const auto ingest = pool->endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  constexpr int kNodes = 10000;
  const char* chains[] = {"testnet", "mainnet", "sidechain-a", "sidechain-b"};
  const char* types[] = {"testnet", "mainnet", "basic", "full"};
  const double now = std::floor(wall_now());
  for (int step = 0; step < 2; ++step)
    for (int first = 0; first < kNodes; first += 1000) {
      json batch = json::array();
      for (int i = first; i < first + 1000; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "load-%05d", i);
        batch.push_back({{"node_id", id}, {"timestamp", now - 60 + 30 * step}, {"seq", step}, {"chain_id", chains[i % 4]},
                         {"node_type", types[(i / 4) % 4]},
                         {"blockchain", {{"current_height", 5000 + step - (i % 7)}, {"transaction_count", 100 * step + i}}},
                         {"network", {{"peer_count", 8 + i % 5}, {"average_latency", 40.0 + i % 13}}},
                         {"performance", {{"cpu_usage", 20.0 + i % 50}, {"memory_usage", 30.0 + i % 40}}}});
      }
      ASSERT_NO_THROW(post_records(ingest, batch));
    }
  ASSERT_TRUE(nebula_test::wait_until([&] {
    const json f = nebula_test::admin_get(pool->admin_port, "/api/v1/console/fleet?limit=1", kToken);
    return f.is_object() && f["nodes_tracked"] == kNodes;
  })) << nebula_test::admin_get(pool->admin_port, "/api/v1/console/fleet?limit=1", kToken).dump();

  ASSERT_NO_FATAL_FAILURE(sign_in(*pool));
  // Fresh loads of the page (the token is in this tab's sessionStorage now):
  // navigation start to the fleet view drawn with its data.
  std::vector<int> load_ms;
  for (int i = 0; i < 3; ++i) {
    // A new query string each time: a new document, not a jump within this one.
    browser_->go("http://127.0.0.1:" + std::to_string(pool->admin_port) + "/?load=" + std::to_string(i) + "#/fleet");
    ASSERT_TRUE(browser_->wait_for("return document.body.dataset.ready === 'fleet';"));
    load_ms.push_back(std::stoi(browser_->run("return document.body.dataset.firstRenderMs;").get<std::string>()));
  }
  const json total = browser_->run(
      "return [...document.querySelectorAll('#fleet-groups tbody tr')].reduce((a, r) =>"
      " a + Number(r.children[2].innerText), 0);");
  EXPECT_EQ(total, kNodes);
  EXPECT_EQ(browser_->run("return document.querySelectorAll('#fleet-nodes table.nodes tbody tr').length;"), 100);
  browser_->screenshot(kShots / "console-fleet-10000.png");
  std::sort(load_ms.begin(), load_ms.end());
  std::cout << "fleet page with " << kNodes << " nodes drawn in " << load_ms[0] << ", " << load_ms[1] << ", "
            << load_ms[2] << " ms (3 loads)\n";
  EXPECT_LT(load_ms[1], 1000) << "median of 3 loads";
  EXPECT_LT(load_ms[2], 1500) << "slowest of 3 loads";
  const auto errors = severe(browser_->log());
  EXPECT_TRUE(errors.empty()) << "browser console errors:\n" << json(errors).dump(2);
}

}  // namespace
