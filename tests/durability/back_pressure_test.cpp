// A deliberately slow processor under a fleet sending as fast as it can: the
// bounded pool queue fills, HTTP answers 429 with Retry-After, memory stays
// bounded, and once the fleet is done every record was applied exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iostream>

#include "durability_support.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

// Resident memory of a process, in KiB, from /proc.
long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

TEST(BackPressure, SlowStageFillsTheQueueThenEverythingArrivesOnce) {
  constexpr int kNodes = 4, kSteps = 150, kCapacity = 100;
  PoolProcess pool("");
  write_pipeline(pool,
                 "pool: {queue_capacity: " + std::to_string(kCapacity) + ", batch_max_records: 50, batch_max_wait_ms: 10, admission_wait_ms: 20}\n",
                 "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
                 "  - {id: ledger, plugin: nebula.test.ledger, inputs: [http_in]}\n"
                 "  - {id: slow, plugin: nebula.test.counting, inputs: [http_in], config: {delay_ms: 40}}\n");
  ASSERT_TRUE(pool.start()) << pool.log();
  const unsigned short port = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  nebula_test::ChildProcess fleet(
      {NEBULA_NODE_BIN, "simulate", "--testnet", std::to_string(kNodes), "--steps", std::to_string(kSteps),
       "--max-rate", "--seed", "5", "--stats-every", "0", "--batch-size", "25", "--flush-timeout-ms", "120000",
       "--plugin-dir", NEBULA_PLUGIN_DIR, "--spill-dir", (pool.dir / "spill").string(), "--endpoint",
       "http://127.0.0.1:" + std::to_string(port)},
      (pool.dir / "fleet.log").string());

  // While the fleet runs: the queue never exceeds its bound, and the pool
  // tells senders to retry later instead of buffering without limit (the
  // 20 ms admission wait is shorter than one 40 ms batch: both the wait and
  // the retry are exercised).
  size_t max_depth = 0;
  const long base_rss = rss_kib(pool.process->pid());
  long max_rss = base_rss;
  std::optional<int> fleet_exit;
  while (!(fleet_exit = fleet.wait_exit(std::chrono::milliseconds(50)))) {
    auto s = stats(pool);
    max_depth = std::max(max_depth, s["pool"]["queue_depth"].get<size_t>());
    max_rss = std::max(max_rss, rss_kib(pool.process->pid()));
  }
  ASSERT_EQ(*fleet_exit, 0) << nebula_test::read_file(pool.dir / "fleet.log");
  std::cout << "queue depth max " << max_depth << " of " << kCapacity << ", payloads told to retry "
            << stats(pool)["pool"]["payloads_retry"] << ", resident memory " << base_rss / 1024 << " -> "
            << max_rss / 1024 << " MiB\n";
  EXPECT_LE(max_depth, size_t(kCapacity));
  EXPECT_GT(stats(pool)["pool"]["payloads_retry"].get<int>(), 0) << "the slow stage never pushed back";
#ifndef __SANITIZE_ADDRESS__  // ASan's quarantine keeps freed memory resident on purpose
  EXPECT_LT(max_rss - base_rss, 64 * 1024) << "pool resident memory grew by more than 64 MiB under load";
#endif
  const std::string metrics = nebula_test::http_get(pool.admin_port, "/metrics").body;
  EXPECT_NE(metrics.find("result=\"retry\""), std::string::npos);

  const auto ledger_file = pool.dir / "state/components/ledger/ledger.txt";
  const size_t expected = size_t(kNodes * kSteps);
  ASSERT_TRUE(wait_until([&] { return read_ledger(ledger_file).size() >= expected; }, std::chrono::seconds(60)));
  const Ledger ledger = read_ledger(ledger_file);
  EXPECT_EQ(ledger.size(), expected);
  EXPECT_EQ(ledger_total(ledger), expected) << "some record was applied twice";
  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
}
