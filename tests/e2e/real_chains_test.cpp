// Incidents staged on real chains (#19). Five local Ethereum dev nodes
// (Foundry's anvil) on two chains, time-scaled by 1/5 and the pool told so:
// eth-fast mines every 1 s (a 5 s TestNet), eth-slow every 6 s (a 30 s
// MainNet). Each has its own `nebula-node run --ethereum`, feeding the real
// nebula-pool on the default pipeline's processors and agents over HTTP.
// Every node carries light background traffic (a transfer per half second at
// a 1 gwei tip). Once the pool has learned what normal looks like, the test
//   - stops mining on fast-stall (its chain halts while its peers go on),
//   - floods fast-flood with cheap transfers (tips of 1 wei),
//   - and gives fast-surge growing demand with rising tips (an organic surge),
// then asserts from GET /api/v1/pool/insights that the stall and the flood
// are reported on those nodes, that the surge is never called a flood (by
// the Pattern Recognizer or the Transaction Analyzer, which names it an
// organic surge), and that POST /api/v1/agents/analyst/query ranks
// fast-stall and fast-flood first. Every wait has a deadline.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_test/admin_api.hpp"
#include "nebula_test/child_process.hpp"
#include "nebula_test/default_pipeline.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"
#include "real_chains_anvil.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = std::chrono::seconds(120);
// Samples per node before the incidents start: the Pattern Recognizer's
// baselines (warmup 5 settled rates over a 6 s window) and the Transaction
// Analyzer's (5 rates, 3 tips) are ready by then.
constexpr int64_t kWarmSamples = 16;
constexpr uint64_t kGwei = 1'000'000'000ull;

struct NodeSpec {
  const char* name;
  const char* chain;
  const char* type;
  int block_time_s;
};
const NodeSpec kNodes[] = {
    {"fast-stall", "eth-fast", "testnet", 1}, {"fast-flood", "eth-fast", "testnet", 1},
    {"fast-surge", "eth-fast", "testnet", 1}, {"fast-calm", "eth-fast", "testnet", 1},
    {"slow-calm", "eth-slow", "mainnet", 6},
};

// The default pipeline (config/pipeline.yaml) over HTTP, told the chains'
// time-scaled block intervals, with short windows so baselines settle in
// seconds; the Transaction Analyzer's insights go to the history too.
std::string components() {
  return nebula_test::default_pipeline_components(
      {.config = {{"block_data", "{chains: {eth-fast: {block_interval_s: 1}, eth-slow: {block_interval_s: 6}}}"},
                  {"patterns", "{baseline: {warmup: 5}, stall: {block_interval_s: {eth-fast: 1, eth-slow: 6}},"
                               " tx_flood: {rate_window_s: 6, window_blocks: 3}}"},
                  {"intelligence", "{block_time_s: {eth-fast: 1, eth-slow: 6}}"},
                  {"learning", "{block_time_s: {eth-fast: 1, eth-slow: 6}}"}},
       .more_inputs = {{"history", {"transactions"}}}});
}

using nebula_test::admin_get;

// What the history has shown so far of one topic, read incrementally: each
// look asks only for insights from shortly before the newest one seen, and
// hands out each insight once.
class HistoryScan {
 public:
  HistoryScan(unsigned short admin, std::string topic) : admin_(admin), topic_(std::move(topic)) {}

  // Calls `each(data)` for every insight since the last look, oldest first; false if the pool did not answer.
  template <typename Each>
  bool look(Each each) {
    json rows = json::array();
    std::string after;
    for (int page = 0; page < 100; ++page) {
      const json doc = admin_get(admin_, "/api/v1/pool/insights?topic=" + topic_ + "&limit=1000" +
                                             (since_ > 0 ? "&since=" + std::to_string(since_ - 2) : "") + after);
      if (!doc.is_object() || doc["from"] != "history") {
        ++failed_looks;
        return false;
      }
      for (const auto& row : doc["insights"]) rows.push_back(row);
      if (doc["next"].is_null()) break;
      after = "&after=" + doc["next"].get<std::string>();
    }
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
      if (!seen_.insert((*it)["id"].get<int64_t>()).second) continue;
      since_ = std::max(since_, it->value("timestamp", 0.0));
      if (const auto data = it->find("data"); data != it->end() && data->is_object()) each(*data);
    }
    ++looks;
    return true;
  }
  // For a failure's message: what the scan has read so far.
  std::string progress() const {
    return topic_ + ": " + std::to_string(seen_.size()) + " insights in " + std::to_string(looks) + " looks, " +
           std::to_string(failed_looks) + " looks unanswered";
  }
  int looks = 0, failed_looks = 0;

 private:
  unsigned short admin_;
  std::string topic_;
  double since_ = 0;
  std::set<int64_t> seen_;  // row ids already handed out: a look overlaps the last by two seconds
};

// node -> kinds of every incident the Pattern Recognizer listed as started or active.
struct PatternKinds {
  explicit PatternKinds(unsigned short admin) : scan(admin, "patterns") {}
  std::map<std::string, std::set<std::string>>& update() {
    scan.look([&](const json& doc) {
      // eth-fast's tip as the pool saw it: one block a second, one sample a second.
      const json chains = doc.value("chains", json::object());
      if (chains.contains("eth-fast") && chains["eth-fast"]["tip_height"].is_number()) {
        const auto tip = chains["eth-fast"]["tip_height"].get<int64_t>();
        if (first_tip < 0) first_tip = tip;
        blocks_seen = tip - first_tip;
      }
      for (const char* list : {"started", "active"})
        for (const auto& incident : doc.value(list, json::array()))
          if (incident.contains("node_id") && incident["node_id"].is_string()) {
            const auto node = incident["node_id"].get<std::string>();
            if (kinds[node].insert(incident["kind"].get<std::string>()).second)
              first[node].push_back({{"after_blocks", blocks_seen}, {"incident", incident}});
          }
    });
    return kinds;
  }
  HistoryScan scan;
  std::map<std::string, std::set<std::string>> kinds;
  std::map<std::string, json> first;  // node -> each kind's first incident, for a failure's message
  int64_t first_tip = -1, blocks_seen = 0;
};

// From the Transaction Analyzer: the causes of every burst per node.
struct TransactionFacts {
  explicit TransactionFacts(unsigned short admin) : scan(admin, "blockchain") {}
  void update() {
    scan.look([&](const json& doc) {
      const json chains = doc.value("chains", json::object());
      for (const auto& [chain, c] : chains.items()) {
        for (const auto& b : c.value("bursts", json::array()))
          causes[b["node_id"].get<std::string>()].insert(b["cause"].get<std::string>());
        const json economics = c.value("economics", json::object());
        for (const auto& n : economics.value("nodes", json::array()))
          if (n.value("node_id", "") == "fast-surge" && tips.size() < 400)
            tips.push_back(n.value("priority_fee_p50_gwei", json()));
      }
    });
  }
  HistoryScan scan;
  std::map<std::string, std::set<std::string>> causes;
  json tips = json::array();  // fast-surge's median tip per report, for a failure's message
};

// `condition` looked at no more often than every 250 ms: each look is a few
// HTTP requests, and the machine is busy running five chains and a pool.
std::function<bool()> paced(std::function<bool()> condition) {
  auto last = std::make_shared<Clock::time_point>();
  auto value = std::make_shared<bool>(false);
  return [=] {
    if (Clock::now() - *last >= std::chrono::milliseconds(250)) {
      *last = Clock::now();
      *value = condition();
    }
    return *value;
  };
}

// The transfers the test sends, on its own thread: background traffic on
// every node, then the flood and the surge once they are switched on.
class Traffic {
 public:
  explicit Traffic(const std::vector<std::unique_ptr<AnvilNode>>& nodes) : nodes_(nodes) {
    thread_ = std::thread([this] { run(); });
  }
  ~Traffic() {
    stop_ = true;
    thread_.join();
  }
  std::atomic<bool> flood{false}, surge{false};
  std::string error() const {
    std::lock_guard lock(mu_);
    return error_;
  }
  size_t refused() const { return refused_; }
  // fast-surge's pool and latest block after each surge round.
  std::string surge_pool() const {
    std::lock_guard lock(mu_);
    return surge_pool_;
  }
  std::string first_refusal() const {
    std::lock_guard lock(mu_);
    return first_refusal_;
  }

 private:
  void run() {
    auto next = Clock::now();
    int surge_round = 0;
    for (int tick = 0; !stop_; ++tick) {
      std::string why;
      try {
        for (const auto& n : nodes_) refused_ += n->send_transfers(0, 1, kGwei, &why);  // 1 gwei tip
        if (flood && tick % 2 == 0) refused_ += nodes_[1]->send_transfers(1, 150, 1, &why);  // 150 tx/s at 1 wei
        if (surge && tick % 2 == 0) {
          // Demand grows every second and bidders outbid each other: tips 3, 4, 5 ... gwei.
          ++surge_round;
          refused_ += nodes_[2]->send_transfers(2, 20 + 5 * static_cast<size_t>(surge_round),
                                                (2 + static_cast<uint64_t>(surge_round)) * kGwei, &why);
          const std::string status = nodes_[2]->pool_status();
          std::lock_guard lock(mu_);
          surge_pool_ += "\n  round " + std::to_string(surge_round) + ": " + status;
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mu_);
        error_ = e.what();
      }
      if (!why.empty()) {
        std::lock_guard lock(mu_);
        if (first_refusal_.empty()) first_refusal_ = why;
      }
      next += std::chrono::milliseconds(500);  // the load's shape, not a wait for anything
      std::this_thread::sleep_until(next);
    }
  }

  const std::vector<std::unique_ptr<AnvilNode>>& nodes_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> refused_{0};
  mutable std::mutex mu_;
  std::string error_;
  std::string first_refusal_;
  std::string surge_pool_;
  std::thread thread_;  // last: runs on everything above
};

std::chrono::milliseconds left(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::max(deadline - Clock::now(), Clock::duration(0)));
}

TEST(RealChains, StallAndFloodAreReportedOnTheirNodesAndTheSurgeIsNotAFlood) {
  nebula_test::TempDir dir("real-chains");
  std::vector<std::unique_ptr<AnvilNode>> anvils;
  try {
    for (const auto& spec : kNodes) anvils.push_back(std::make_unique<AnvilNode>(dir.path(), spec.name, spec.block_time_s));
  } catch (const std::exception& e) {
    FAIL() << e.what() << " (scripts/install-deps installs anvil)";
  }

  PoolProcess pool(components(), nebula_test::short_window_settings());
  only_in_tree_plugins(pool);
  ASSERT_TRUE(pool.start()) << pool.log();
  const unsigned short admin = pool.admin_port;
  const auto ingest = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();

  // The nodes' own machines would report their own CPU and memory; here all
  // would report this one, so /proc is left out (an empty --proc-root) and a
  // busy CI machine is not a resource incident on every node.
  std::filesystem::create_directories(dir.path() / "no-proc");
  std::vector<std::unique_ptr<nebula_test::ChildProcess>> collectors;
  for (size_t i = 0; i < anvils.size(); ++i) {
    const std::string name = kNodes[i].name;
    collectors.push_back(std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{NEBULA_NODE_BIN, "run", "--ethereum", anvils[i]->url(), "--node-id", name,
                                 "--chain-id", kNodes[i].chain, "--node-type", kNodes[i].type, "--interval", "1",
                                 "--endpoint", "http://127.0.0.1:" + std::to_string(ingest), "--batch-size", "1",
                                 "--flush-interval-ms", "100", "--proc-root", (dir.path() / "no-proc").string(),
                                 "--ethereum-state", (dir.path() / (name + ".blocks.json")).string(),
                                 "--spill-dir", (dir.path() / (name + ".spill")).string()},
        (dir.path() / (name + ".node.log")).string()));
  }
  Traffic traffic(anvils);
  const auto deadline = Clock::now() + kDeadline;
  auto context = [&] {
    std::string out = "\ntraffic: refused " + std::to_string(traffic.refused()) + " (first: " +
                      traffic.first_refusal() + ") " + traffic.error();
    for (const auto& spec : kNodes)
      out += "\n" + std::string(spec.name) + ": " + nebula_test::read_file(dir.path() / (std::string(spec.name) + ".node.log"));
    const std::string log = pool.log();
    return out + "\npool log (tail):\n" + log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  };

  PatternKinds patterns(admin);
  TransactionFacts transactions(admin);

  // 1. Normal operation until the pool has seen kWarmSamples blocks of eth-fast
  //    (a sample of each node a second, a block a second).
  ASSERT_TRUE(nebula_test::wait_until(paced([&] {
                                        patterns.update();
                                        return patterns.blocks_seen >= kWarmSamples;
                                      }),
                                      left(deadline)))
      << "the pool saw " << patterns.blocks_seen << " blocks of eth-fast" << context();
  EXPECT_TRUE(patterns.update().empty()) << "an incident before anything was staged: " << json(patterns.kinds).dump()
                                         << context();

  // 2. Stage the incidents.
  anvils[0]->stop_mining();
  traffic.flood = true;
  traffic.surge = true;

  // 3. The Pattern Recognizer reports the stall and the flood on their nodes.
  ASSERT_TRUE(nebula_test::wait_until(paced([&] {
                                        auto& kinds = patterns.update();
                                        return kinds["fast-stall"].count("stall") && kinds["fast-flood"].count("tx_flood");
                                      }),
                                      left(deadline)))
      << "patterns so far: " << json(patterns.kinds).dump() << context();

  // 4. The Transaction Analyzer calls the flood a spam flood and the surge organic.
  ASSERT_TRUE(nebula_test::wait_until(paced([&] {
                                        transactions.update();
                                        auto& causes = transactions.causes;
                                        return causes["fast-flood"].count("spam_flood") &&
                                               causes["fast-surge"].count("organic_surge");
                                      }),
                                      left(deadline)))
      << "bursts so far: " << json(transactions.causes).dump() << " (" << transactions.scan.progress() << ")"
      << context();

  // 5. The Analyst ranks the stalled and the flooded node first.
  json top;
  const std::set<std::string> expected = {"fast-stall", "fast-flood"};
  const bool ranked = nebula_test::wait_until(paced([&] {
        auto r = nebula_test::http_request("127.0.0.1", admin, "POST", "/api/v1/agents/analyst/query", R"({"limit":5})");
        if (r.status != 200) return false;
        top = json::parse(r.body, nullptr, false);
        if (!top.is_object() || top["nodes"].size() < 3) return false;
        return std::set<std::string>{top["nodes"][0]["node_id"], top["nodes"][1]["node_id"]} == expected &&
               top["nodes"][1]["score"].get<double>() > top["nodes"][2]["score"].get<double>();
      }),
      left(deadline));
  EXPECT_TRUE(ranked) << "analyst answer: " << top.dump() << context();

  // 6. Over the whole run: the surge was never a flood, nothing else was flagged.
  auto& kinds = patterns.update();
  transactions.update();
  auto& causes = transactions.causes;
  EXPECT_FALSE(kinds["fast-surge"].count("tx_flood")) << json(kinds).dump() << "\n" << patterns.first["fast-surge"].dump()
                                                 << "\nfast-surge's median tips: " << transactions.tips.dump()
                                                 << "\nfast-surge's pool after each surge round:" << traffic.surge_pool();
  EXPECT_FALSE(causes["fast-surge"].count("spam_flood")) << json(causes).dump();
  EXPECT_FALSE(causes["fast-flood"].count("organic_surge")) << json(causes).dump();
  for (const char* calm : {"fast-calm", "slow-calm"}) {
    EXPECT_TRUE(kinds[calm].empty()) << calm << ": " << json(kinds).dump();
    EXPECT_FALSE(causes[calm].count("spam_flood")) << calm << ": " << json(causes).dump();
  }
  EXPECT_EQ(traffic.error(), "");
  std::cout << "[ seen     ] patterns " << json(kinds).dump() << "\n[ seen     ] bursts " << json(causes).dump()
            << "\n[ seen     ] transfers refused " << traffic.refused() << " (first: " << traffic.first_refusal() << ")"
            << "\n[ seen     ] fast-surge's median tips " << transactions.tips.dump()
            << "\n[ seen     ] fast-surge's pool after each surge round:" << traffic.surge_pool()
            << "\n[ seen     ] analyst top 3:";
  for (size_t i = 0; i < 3 && i < top["nodes"].size(); ++i)
    std::cout << " " << top["nodes"][i]["node_id"].get<std::string>() << "=" << top["nodes"][i]["score"];
  std::cout << std::endl;

  // The collectors stop cleanly, every record delivered.
  for (auto& c : collectors) c->signal(SIGTERM);
  for (size_t i = 0; i < collectors.size(); ++i)
    EXPECT_EQ(collectors[i]->wait_exit(std::chrono::seconds(15)), 0) << kNodes[i].name << context();
}

}  // namespace
