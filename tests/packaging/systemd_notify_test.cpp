// nebula-pool run under systemd's notify protocol, with the socket end owned
// by the test (tests/packaging/notify_socket.hpp): READY=1 only once the
// pipeline answers, WATCHDOG=1 every WATCHDOG_USEC/2 while healthy and not
// while a stage is stuck, RELOADING=1 and READY=1 around a SIGHUP reload,
// STOPPING=1 when SIGTERM starts the drain.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"
#include "notify_socket.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using nebula_test::NotifySocket;

constexpr auto kWatchdog = 400ms;  // pings every 200 ms

// A build-tree pool on `components`, started with NOTIFY_SOCKET and
// WATCHDOG_USEC as systemd would set them.
struct NotifiedPool {
  explicit NotifiedPool(const std::string& components) {
    yaml = dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR
                                      "\"]\nstate_dir: state\nadmin: {port: 0}\npool: {batch_max_wait_ms: 50}\n"
                                      "shutdown: {timeout_ms: 10000}\ncomponents:\n" + components);
    process = std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{NEBULA_POOL_BIN, "run", "-c", yaml.string()}, (dir / "pool.log").string(),
        std::vector<std::string>{"NOTIFY_SOCKET=" + notify.path().string(),
                                 "WATCHDOG_USEC=" + std::to_string(std::chrono::microseconds(kWatchdog).count())});
  }
  ~NotifiedPool() {
    if (process->running()) process->signal(SIGKILL);
  }
  std::string log() const { return nebula_test::read_file(dir / "pool.log"); }
  bool ready() const { return !notify.with("READY=1").empty(); }
  nlohmann::json endpoints() const { return nlohmann::json::parse(nebula_test::read_file(dir / "state/endpoints.json")); }
  // WATCHDOG=1 messages that arrived after `since`.
  std::vector<Clock::time_point> pings_after(Clock::time_point since) const {
    std::vector<Clock::time_point> out;
    for (const auto& m : notify.with("WATCHDOG=1"))
      if (m.at > since) out.push_back(m.at);
    return out;
  }

  nebula_test::TempDir dir{"systemd-notify"};
  NotifySocket notify{dir / "notify.sock"};
  std::filesystem::path yaml;
  std::unique_ptr<nebula_test::ChildProcess> process;
};

const std::string kHttpOnly = "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
                              "  - {id: count, plugin: nebula.test.counting, inputs: [http_in]}\n";

TEST(SystemdNotify, ReadyOnceAnsweringThenWatchdogPingsReloadingOnSighupStoppingOnSigterm) {
  NotifiedPool pool(kHttpOnly);
  ASSERT_TRUE(nebula_test::wait_until([&] { return pool.ready() || !pool.process->running(); }, 60s)) << pool.log();
  ASSERT_TRUE(pool.ready()) << pool.log();
  // READY=1 means started: the endpoints are written and /readyz says so.
  const auto admin = pool.endpoints()["admin"]["port"].get<unsigned short>();
  EXPECT_EQ(nebula_test::http_get(admin, "/readyz").status, 200);
  EXPECT_NE(pool.notify.with("READY=1").front().text.find("STATUS=running 2 components"), std::string::npos);

  const auto ready_at = pool.notify.with("READY=1").front().at;
  ASSERT_TRUE(nebula_test::wait_until([&] { return pool.pings_after(ready_at).size() >= 4; }, 10s))
      << pool.notify.messages().size() << " messages\n" << pool.log();
  const auto pings = pool.pings_after(ready_at);
  // Half the timeout apart, not a burst (the margin is for a busy CI
  // machine delaying the test's reader more for one ping than the next).
  for (size_t i = 1; i < pings.size(); ++i) EXPECT_GE(pings[i] - pings[i - 1], kWatchdog / 4) << "ping " << i;
  EXPECT_TRUE(pool.pings_after(Clock::time_point{}).front() > ready_at) << "a ping before READY=1";

  // SIGHUP (systemctl reload): RELOADING=1, then READY=1 again once done.
  pool.process->signal(SIGHUP);
  ASSERT_TRUE(nebula_test::wait_until([&] { return pool.notify.with("READY=1").size() == 2; }, 30s)) << pool.log();
  const auto reloading = pool.notify.with("RELOADING=1");
  ASSERT_EQ(reloading.size(), 1u) << pool.log();
  EXPECT_LT(reloading.front().at, pool.notify.with("READY=1").back().at);
  EXPECT_TRUE(pool.process->running());

  pool.process->signal(SIGTERM);
  ASSERT_EQ(pool.process->wait_exit(30s), 0) << pool.log();
  const auto stopping = pool.notify.with("STOPPING=1");
  ASSERT_EQ(stopping.size(), 1u) << pool.log();
  EXPECT_TRUE(pool.pings_after(stopping.front().at).empty()) << "pinged while draining";
}

// A processor that takes 3 s over one batch holds the dispatcher: the pool is
// stuck for that long, so systemd must stop hearing from it (and would
// restart it after WatchdogSec); pings resume once the stage is done.
TEST(SystemdNotify, AStuckStageStopsTheWatchdogPingsUntilItMovesAgain) {
  NotifiedPool pool("  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
                    "  - {id: slow, plugin: nebula.test.counting, inputs: [http_in], config: {delay_ms: 3000}}\n");
  ASSERT_TRUE(nebula_test::wait_until([&] { return pool.ready() || !pool.process->running(); }, 60s)) << pool.log();
  ASSERT_TRUE(pool.ready()) << pool.log();
  const auto ready_at = pool.notify.with("READY=1").front().at;
  ASSERT_TRUE(nebula_test::wait_until([&] { return pool.pings_after(ready_at).size() >= 2; }, 10s)) << pool.log();

  const auto port = pool.endpoints()["transports"]["http_in"]["port"].get<unsigned short>();
  const nlohmann::json record{{"timestamp", 1767225600.0}, {"seq", 1}, {"chain_id", "testnet"}, {"node_type", "testnet"},
                              {"blockchain", {{"current_height", 1000}}}};
  const auto sent_at = Clock::now();
  auto accepted = nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest",
                                            nlohmann::json{{"node_id", "n1"}, {"data_batch", {record}}}.dump());
  ASSERT_EQ(accepted.status, 200) << accepted.body;

  // The longest silence after the record went in, once pings have resumed.
  auto longest_gap = [&] {
    auto pings = pool.pings_after(sent_at);
    pings.insert(pings.begin(), sent_at);
    Clock::duration longest{};
    for (size_t i = 1; i < pings.size(); ++i) longest = std::max(longest, pings[i] - pings[i - 1]);
    return longest;
  };
  ASSERT_TRUE(nebula_test::wait_until([&] { return longest_gap() >= 2s && pool.log().find("resume") != std::string::npos; },
                                      20s))
      << "longest gap " << std::chrono::duration_cast<std::chrono::milliseconds>(longest_gap()).count() << " ms\n"
      << pool.log();
  EXPECT_LT(longest_gap(), 3s + kWatchdog * 8) << "pings did not resume promptly";
  const std::string log = pool.log();
  EXPECT_NE(log.find("a processor stage is stuck"), std::string::npos) << log;
  EXPECT_TRUE(nebula_test::wait_until([&] { return pool.pings_after(sent_at + 3s).size() >= 2; }, 5s))
      << "pings did not go on after the stage finished";

  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(30s), 0) << pool.log();
}

}  // namespace
