// Several nebula-pool hosts in one consumer group share a simulated fleet
// that writes to Redis Streams. Each host runs the ledger processor (one line
// per applied record); the union of the hosts' ledgers must hold every record
// the fleet got into the streams exactly once, by (node_id, seq), whatever
// happens to a host or to Redis mid-run.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <set>

#include "durability_support.hpp"
#include "nebula_test/redis_server.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

constexpr int kNodes = 12;
constexpr int kSteps = 1500;
constexpr size_t kExpected = size_t(kNodes) * kSteps;

struct Host {
  std::unique_ptr<PoolProcess> pool = std::make_unique<PoolProcess>("");
  std::filesystem::path ledger() const { return pool->dir / "state/components/ledger/ledger.txt"; }
};

// A host whose redis transport notices a silent peer within ~2 s, so the
// test does not wait the production default (30 s) for a takeover. A slow
// ledger makes the host build a backlog of logged, acknowledged records; a
// small queue keeps the rest of its shards unread in Redis, so a takeover has
// something to move however fast the fleet finished writing.
struct Pace {
  int ledger_delay_ms = 0;
  int queue_capacity = 10000;
};

void configure(Host& host, unsigned short redis_port, const std::string& consumer, Pace pace = {}) {
  write_pipeline(*host.pool,
                 "pool: {batch_max_records: 50, batch_max_wait_ms: 20, queue_capacity: " +
                     std::to_string(pace.queue_capacity) + "}\nwal: {fsync: batch}\n",
                 "  - id: redis_in\n    plugin: nebula.transport.redis\n    config: {url: \"redis://127.0.0.1:" +
                     std::to_string(redis_port) + "\", consumer: " + consumer +
                     ", claim_idle_ms: 2000, heartbeat_ms: 200, member_timeout_ms: 1500, block_ms: 200}\n"
                     "  - {id: ledger, plugin: nebula.test.ledger, inputs: [redis_in], config: {batch_delay_ms: " +
                     std::to_string(pace.ledger_delay_ms) + "}}\n");
}

const Fleet kFleet{"testnet", kNodes, kSteps, 7};

std::unique_ptr<nebula_test::ChildProcess> start_fleet(unsigned short redis_port, const std::filesystem::path& dir) {
  return durability::start_fleet(kFleet, "redis://127.0.0.1:" + std::to_string(redis_port), dir);
}

Ledger union_of(const std::vector<Host>& hosts) {
  Ledger all;
  for (const auto& h : hosts)
    for (const auto& [key, times] : read_ledger(h.ledger())) all[key] += times;
  return all;
}

std::set<std::string> nodes_in(const Ledger& ledger) {
  std::set<std::string> out;
  for (const auto& [key, times] : ledger) out.insert(key.first);
  return out;
}

int readyz(const Host& h) {
  return nebula_test::http_get(h.pool->admin_port, "/readyz").status;
}

void stop_all(std::vector<Host>& hosts) {
  for (auto& h : hosts)
    if (h.pool->process && h.pool->process->running()) h.pool->process->signal(SIGTERM);
  for (auto& h : hosts) {
    if (!h.pool->process) continue;
    EXPECT_EQ(h.pool->process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << h.pool->log();
  }
}

}  // namespace

TEST(ScaleOut, AKilledHostsShareMovesToTheOthersAndNothingIsProcessedTwice) {
  nebula_test::RedisServerProcess redis;
  std::vector<Host> hosts(3);
  for (size_t i = 0; i < hosts.size(); ++i) {
    // Host 0 applies at most 500 records/s and holds at most 400: its share of
    // the 18,000 records is still mostly in Redis when it is killed.
    configure(hosts[i], redis.port(), "host-" + std::to_string(i), i == 0 ? Pace{100, 400} : Pace{});
    ASSERT_TRUE(hosts[i].pool->start()) << hosts[i].pool->log();
  }
  nebula_test::TempDir fleet_dir{"fleet"};
  auto fleet = start_fleet(redis.port(), fleet_dir.path());

  // Every host gets a share of the nodes.
  ASSERT_TRUE(wait_until([&] {
    for (auto& h : hosts)
      if (ledger_total(read_ledger(h.ledger())) < 100) return false;
    return true;
  }, std::chrono::seconds(60))) << hosts[0].pool->log();

  ASSERT_TRUE(wait_until([&] { return stats(*hosts[0].pool)["pool"]["queue_depth"].get<size_t>() >= 200; },
                         std::chrono::seconds(60)))
      << "the slow host never built a backlog";
  hosts[0].pool->process->signal(SIGKILL);
  ASSERT_TRUE(hosts[0].pool->process->wait_exit(std::chrono::seconds(10)).has_value());
  const std::set<std::string> victims_nodes = nodes_in(read_ledger(hosts[0].ledger()));

  // Its nodes keep flowing, now through the survivors: they own its shards
  // after member_timeout_ms and claim its pending entries after claim_idle_ms.
  ASSERT_TRUE(wait_until([&] {
    std::set<std::string> survivors;
    for (size_t i = 1; i < hosts.size(); ++i)
      for (const auto& n : nodes_in(read_ledger(hosts[i].ledger()))) survivors.insert(n);
    for (const auto& n : victims_nodes)
      if (survivors.count(n)) return true;
    return false;
  }, std::chrono::seconds(60))) << "none of the killed host's nodes reached a survivor";
  ASSERT_EQ(fleet->wait_exit(std::chrono::minutes(4)).value_or(-1), 0)
      << nebula_test::read_file(fleet_log(fleet_dir.path(), kFleet));

  // The killed host comes back on its own state, at full speed: what it had
  // logged but not processed is replayed, except entries a survivor claimed
  // meanwhile.
  configure(hosts[0], redis.port(), "host-0");
  ASSERT_TRUE(hosts[0].pool->start()) << hosts[0].pool->log();
  const auto back = stats(*hosts[0].pool)["pool"];
  std::cout << "killed host on restart: replayed " << back["records_replayed"] << ", handed over "
            << back["records_replay_handed_over"] << "\n";
  // Its logged and acknowledged backlog was its own to process, and was.
  EXPECT_GT(back["records_replayed"].get<size_t>(), 0u);
  ASSERT_TRUE(wait_until([&] { return union_of(hosts).size() >= kExpected; }, std::chrono::seconds(90)))
      << union_of(hosts).size() << " of " << kExpected;
  expect_exactly_once(union_of(hosts), kNodes, kSteps);  // across the hosts
  stop_all(hosts);
}

TEST(ScaleOut, RedisRestartedMidRunLosesNothingAndTheHostsRecover) {
  nebula_test::RedisServerProcess redis;
  std::vector<Host> hosts(2);
  for (size_t i = 0; i < hosts.size(); ++i) {
    configure(hosts[i], redis.port(), "host-" + std::to_string(i));
    ASSERT_TRUE(hosts[i].pool->start()) << hosts[i].pool->log();
  }
  nebula_test::TempDir fleet_dir{"fleet"};
  auto fleet = start_fleet(redis.port(), fleet_dir.path());
  ASSERT_TRUE(wait_until([&] { return union_of(hosts).size() > kExpected / 5; }, std::chrono::seconds(60)));

  redis.kill();  // SIGKILL: appendfsync always keeps every acknowledged write
  for (auto& h : hosts)
    EXPECT_TRUE(wait_until([&] { return readyz(h) == 503; }, std::chrono::seconds(20))) << h.pool->log();
  redis.restart();
  for (auto& h : hosts)
    EXPECT_TRUE(wait_until([&] { return readyz(h) == 200; }, std::chrono::seconds(30))) << h.pool->log();

  ASSERT_EQ(fleet->wait_exit(std::chrono::minutes(4)).value_or(-1), 0)
      << nebula_test::read_file(fleet_log(fleet_dir.path(), kFleet));
  ASSERT_TRUE(wait_until([&] { return union_of(hosts).size() >= kExpected; }, std::chrono::seconds(90)))
      << union_of(hosts).size() << " of " << kExpected;
  expect_exactly_once(union_of(hosts), kNodes, kSteps);  // across the hosts
  stop_all(hosts);
}
