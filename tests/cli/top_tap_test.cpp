// `nebula-pool top` and `nebula-pool tap` (#18) against one real pool (HTTP
// transport, block_data and pattern processors, an SQLite sink, the admin
// API behind a token) fed over HTTP with a simulated fleet. top runs in a
// real terminal: a tmux server of the test's own, read with capture-pane and
// driven with send-keys.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <regex>
#include <span>
#include <thread>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/wire.hpp>

#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

namespace {

using namespace std::chrono_literals;
const std::string kToken = "top-tap-secret";

class TopTap : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<nebula_test::TempDir>("cli-top-tap");
    const auto yaml = dir->write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_PLUGIN_DIR "\"]\n"
                                                  "state_dir: state\nadmin: {port: 0, token: " + kToken + "}\n"
                                                  "training: {enabled: false}\nwal: {enabled: false}\npool: {batch_max_wait_ms: 50}\n"
                                                  "components:\n"
                                                  "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
                                                  "  - {id: block_data, plugin: nebula.processor.block_data, inputs: [http_in]}\n"
                                                  "  - {id: patterns, plugin: nebula.processor.pattern, inputs: [http_in]}\n"
                                                  "  - {id: history, plugin: nebula.sink.sqlite, inputs: [patterns]}\n");
    pool = std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{NEBULA_POOL_BIN, "run", "-c", yaml.string()}, (*dir / "pool.log").string());
    const auto endpoints_file = *dir / "state/endpoints.json";
    ASSERT_TRUE(nebula_test::wait_until([&] { return std::filesystem::exists(endpoints_file) || !pool->running(); }))
        << nebula_test::read_file(*dir / "pool.log");
    ASSERT_TRUE(pool->running()) << nebula_test::read_file(*dir / "pool.log");
    const auto endpoints = nlohmann::json::parse(nebula_test::read_file(endpoints_file));
    admin_url = "http://127.0.0.1:" + std::to_string(endpoints["admin"]["port"].get<int>());
    const auto ingest = static_cast<unsigned short>(endpoints["transports"]["http_in"]["port"].get<int>());
    feeder = std::thread([ingest] { feed(ingest); });
  }

  // A simulated fleet of 6 nodes, one sample each every 100 ms (60 records
  // a second) over HTTP, for as long as the suite runs: a steady flow to
  // watch, not a condition to wait for.
  static void feed(unsigned short port) {
    nebula_sim::FleetConfig cfg;
    cfg.testnet_nodes = 4;
    cfg.mainnet_nodes = 2;
    cfg.incidents.random = false;
    nebula_sim::Fleet fleet(cfg);
    while (!stop_feeding) {
      for (const auto& r : fleet.step()) {
        const auto batch = nebula_sim::batch_json(r.node_id, std::span(&r, 1)).dump();
        try {
          nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest", batch);
        } catch (const std::exception&) {
          return;  // the pool is gone: the suite is ending
        }
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  static void TearDownTestSuite() {
    stop_feeding = true;
    if (feeder.joinable()) feeder.join();
    if (pool) pool->signal(SIGTERM), pool->wait_exit(20s);
    pool.reset();
    dir.reset();
  }

  // nebula-pool <args> with the admin URL and token (from the environment, as an operator sets it).
  static std::pair<int, std::string> pool_cli(const std::string& args) {
    return nebula_test::run_and_capture("NEBULA_ADMIN_TOKEN=" + kToken + " " NEBULA_POOL_BIN " " + args +
                                        " --url " + admin_url);
  }

  static inline std::unique_ptr<nebula_test::TempDir> dir;
  static inline std::unique_ptr<nebula_test::ChildProcess> pool;
  static inline std::thread feeder;
  static inline std::atomic<bool> stop_feeding{false};
  static inline std::string admin_url;
};

// A tmux server of the test's own (its own socket), killed at the end.
class Tmux {
 public:
  explicit Tmux(const std::string& tag) : socket_("nebula-" + tag + "-" + std::to_string(::getpid())) {}
  ~Tmux() { run("kill-server"); }
  std::pair<int, std::string> run(const std::string& args) const {
    return nebula_test::run_and_capture("tmux -L " + socket_ + " " + args);
  }
  std::string screen() const { return run("capture-pane -p -t top").second; }

 private:
  std::string socket_;
};

double number_after(const std::string& text, const std::regex& re) {
  std::smatch m;
  return std::regex_search(text, m, re) ? std::stod(m[1]) : -1;
}

TEST_F(TopTap, TopShowsComponentsRatesAndQueuesInARealTerminalAndQuitsOnQ) {
  Tmux tmux("top");
  const auto exit_file = *dir / "top.exit";
  const std::string command = "NEBULA_ADMIN_TOKEN=" + kToken + " " NEBULA_POOL_BIN " top --url " + admin_url +
                              "; echo top-exit=$? > " + exit_file.string();
  const auto [code, out] = tmux.run("new-session -d -s top -x 140 -y 40 \"" + command + "\"");
  ASSERT_EQ(code, 0) << out;

  // Every component by name and kind, and the records arriving as numbers
  // that the refresh keeps up to date (a rate needs two readings).
  const std::regex accepted(R"(accepted ([0-9.]+)/s)"), http_in(R"(http_in +transport +([0-9.]+))"),
      queue(R"(pool queue ([0-9]+)/([0-9]+))");
  std::string screen;
  const bool live = nebula_test::wait_until(
      [&] {
        screen = tmux.screen();
        return number_after(screen, accepted) > 0 && number_after(screen, http_in) > 0;
      },
      20s);
  ASSERT_TRUE(live) << screen;
  for (const std::string row : {"block_data", "patterns", "history"})
    EXPECT_NE(screen.find(row), std::string::npos) << row << "\n" << screen;
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"(patterns +processor +[0-9.]+ +[0-9.]+ +[0-9]+ +0)"))) << screen;
  EXPECT_TRUE(std::regex_search(screen, std::regex(R"(history +sink +[0-9.]+ +- +[0-9]+ +0)"))) << screen;
  EXPECT_TRUE(std::regex_search(screen, queue)) << screen;
  EXPECT_NE(screen.find("ACTIVE INCIDENTS"), std::string::npos) << screen;
  EXPECT_NE(screen.find(admin_url + "  ready"), std::string::npos) << screen;

  // q quits at once, with status 0, and gives the terminal back.
  ASSERT_EQ(tmux.run("send-keys -t top q").first, 0);
  ASSERT_TRUE(nebula_test::wait_until([&] { return std::filesystem::exists(exit_file); }, 10s)) << tmux.screen();
  EXPECT_TRUE(nebula_test::wait_until(
      [&] { return nebula_test::read_file(exit_file).find("top-exit=0") != std::string::npos; }, 5s))
      << nebula_test::read_file(exit_file);
}

TEST_F(TopTap, TopWithoutTheTokenSaysWhyAndExits1) {
  const auto [code, out] =
      nebula_test::run_and_capture(NEBULA_POOL_BIN " top --once --url " + admin_url);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("401"), std::string::npos) << out;
  EXPECT_NE(out.find("missing bearer token"), std::string::npos) << out;
}

TEST_F(TopTap, TapShowsRecordsAtTheRateAndCountsWhatItSkipped) {
  // 60 records a second, at most 2 shown a second: the rest are counted.
  const auto [code, out] = pool_cli("tap http_in --what records --rate 2 -n 5");
  ASSERT_EQ(code, 0) << out;
  const std::regex record_line(R"(\nrecord  \{.*"node_id":"(testnet|mainnet)-\d+".*\})");
  EXPECT_EQ(std::distance(std::sregex_iterator(out.begin(), out.end(), record_line), std::sregex_iterator()), 5) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(tap: 5 shown, (\d+) skipped over the rate)"))) << out;
  const long skipped = std::stol(m[1]);
  EXPECT_GT(skipped, 0) << out;
  // Each "... n skipped" notice adds up to the total.
  long noticed = 0;
  const std::regex notice(R"(\.\.\. (\d+) skipped \(over 2/s\))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), notice); it != std::sregex_iterator(); ++it)
    noticed += std::stol((*it)[1]);
  EXPECT_EQ(noticed, skipped) << out;
}

TEST_F(TopTap, TapShowsTheInsightsOfAProcessor) {
  const auto [code, out] = pool_cli("tap patterns --what insights --rate 20 -n 2");
  ASSERT_EQ(code, 0) << out;
  const std::regex insight_line(R"(\ninsight patterns \{.*"chains":)");
  EXPECT_EQ(std::distance(std::sregex_iterator(out.begin(), out.end(), insight_line), std::sregex_iterator()), 2)
      << out;
}

TEST_F(TopTap, TapRefusesWhatCannotBeTapped) {
  auto [code, out] = pool_cli("tap nowhere -n 1");
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("404 no component 'nowhere' in the running pipeline"), std::string::npos) << out;
  std::tie(code, out) = pool_cli("tap history -n 1");
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("400 'history' has no records or insights to tap"), std::string::npos) << out;
  std::tie(code, out) = pool_cli("tap http_in --what insights -n 1");
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("'http_in' has no insights to tap"), std::string::npos) << out;
}

}  // namespace
