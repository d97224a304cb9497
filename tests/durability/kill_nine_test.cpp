// kill -9 at random moments under load over HTTP and TCP: after every restart
// the log is replayed, the node clients retry, and in the end every record
// the nodes were told "accepted" was applied by the ledger processor exactly
// once, counted by (node_id, seq).
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <random>

#include "durability_support.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

constexpr int kNodesPerTransport = 4;
constexpr int kSteps = 3000;
constexpr int kKills = 4;

const Fleet kHttpFleet{"testnet", kNodesPerTransport, kSteps, 11};
const Fleet kTcpFleet{"mainnet", kNodesPerTransport, kSteps, 11};

}  // namespace

TEST(KillNine, EveryAcceptedRecordIsAppliedExactlyOnce) {
  const unsigned short http_port = free_port(), tcp_port = free_port();
  PoolProcess pool("");
  write_pipeline(pool, "pool: {batch_max_records: 50, batch_max_wait_ms: 20}\nwal: {fsync: batch}\n",
                 "  - {id: http_in, plugin: nebula.transport.http, config: {port: " + std::to_string(http_port) +
                     "}}\n  - {id: tcp_in, plugin: nebula.transport.tcp, config: {port: " + std::to_string(tcp_port) +
                     "}}\n  - {id: ledger, plugin: nebula.test.ledger, inputs: [http_in, tcp_in]}\n");
  ASSERT_TRUE(pool.start()) << pool.log();
  auto http_fleet = start_fleet(kHttpFleet, "http://127.0.0.1:" + std::to_string(http_port), pool.dir.path());
  auto tcp_fleet = start_fleet(kTcpFleet, "tcp://127.0.0.1:" + std::to_string(tcp_port), pool.dir.path());

  const auto ledger_file = pool.dir / "state/components/ledger/ledger.txt";
  std::mt19937 rng(20261124);
  size_t applied_before = 0;
  int kills = 0;
  size_t replayed = 0;
  for (; kills < kKills && (http_fleet->running() || tcp_fleet->running()); ++kills) {
    // Let some new records through, then kill at a random moment.
    ASSERT_TRUE(wait_until([&] {
      return ledger_total(read_ledger(ledger_file)) > applied_before + 200 ||
             !(http_fleet->running() || tcp_fleet->running());
    }, std::chrono::seconds(60))) << "no progress before kill " << kills << "\n" << pool.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(rng)));
    pool.process->signal(SIGKILL);
    ASSERT_TRUE(pool.process->wait_exit(std::chrono::seconds(10)).has_value());
    applied_before = ledger_total(read_ledger(ledger_file));
    ASSERT_TRUE(pool.start()) << "restart " << kills << " failed\n" << pool.log();
    replayed += stats(pool)["pool"]["records_replayed"].get<size_t>();
  }
  EXPECT_GE(kills, 2) << "the fleets finished before the pool could be killed mid-load";
  std::cout << "kills: " << kills << ", records replayed from the log after them: " << replayed << "\n";

  // The fleets exit 0 only once every record they made was accepted.
  auto http_exit = http_fleet->wait_exit(std::chrono::minutes(4));
  auto tcp_exit = tcp_fleet->wait_exit(std::chrono::minutes(4));
  ASSERT_EQ(http_exit.value_or(-1), 0) << nebula_test::read_file(fleet_log(pool.dir.path(), kHttpFleet));
  ASSERT_EQ(tcp_exit.value_or(-1), 0) << nebula_test::read_file(fleet_log(pool.dir.path(), kTcpFleet));

  const size_t expected = size_t(2 * kNodesPerTransport * kSteps);
  ASSERT_TRUE(wait_until([&] { return read_ledger(ledger_file).size() >= expected; }, std::chrono::seconds(60)))
      << read_ledger(ledger_file).size() << " of " << expected << "\n" << pool.log();
  const Ledger ledger = read_ledger(ledger_file);
  for (const auto& entry : ledger) {  // every seq one the fleets made
    const auto& [node, seq] = entry.first;
    EXPECT_GE(seq, 0);
    EXPECT_LT(seq, kSteps) << node;
  }
  expect_exactly_once(ledger, 2 * kNodesPerTransport, kSteps);

  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
}
