// The ethstats transport in the real nebula-pool: a client speaking geth's
// messages feeds the pool, and the records reach the processors (the echo
// test processor publishes every record's columns as they arrived) with
// the node, chain, height, interval, transactions, peers, latency and the
// economics group filled. A wrong secret is refused by the real pool too.
#include <signal.h>

#include "ethstats_test_fixture.hpp"
#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

namespace nebula::transport_test {
namespace {

json get_json(const PoolProcess& pool, const std::string& path) {
  return json::parse(nebula_test::http_get(pool.admin_port, path).body);
}

// Every row the echo processor published, in arrival order.
std::vector<json> echoed_rows(const PoolProcess& pool) {
  std::vector<json> rows;
  auto doc = get_json(pool, "/api/v1/pool/insights?topic=records&limit=1000");
  for (const auto& in : doc["insights"])
    for (const auto& row : in["data"]["rows"]) rows.push_back(row);
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) { return a["seq"] < b["seq"]; });
  return rows;
}

TEST(EthstatsInTheRealPool, GethMessagesReachTheProcessorsWithTheRightColumns) {
  nebula_test::TempDir tokens_dir("ethstats-tokens");
  const auto tokens = tokens_dir.write("tokens.yaml", "geth-1: s3cret\n");
  PoolProcess pool("  - id: in\n    plugin: nebula.transport.ethstats\n"
                   "    config: {port: 0, tokens_file: \"" + tokens.string() + "\", networks: {\"1337\": dev-chain}}\n"
                   "  - {id: echo, plugin: nebula.test.echo, inputs: [in]}\n",
                   "pool: {batch_max_records: 10, batch_max_wait_ms: 20}", true);
  ASSERT_TRUE(pool.start()) << pool.log();
  const auto port = pool.endpoints["transports"]["in"]["port"].get<uint16_t>();

  {
    EthstatsClient intruder(port);
    intruder.send(geth_hello("geth-1", "guess"));
    EXPECT_FALSE(intruder.read());
    EXPECT_EQ(intruder.close_code(), 1008);
    EXPECT_EQ(intruder.close_reason(), "unauthorized: invalid token for this node");
  }

  EthstatsClient geth(port);
  geth.login("geth-1", "s3cret");
  geth.send(geth_ping("geth-1", "2026-12-06 15:00:00 +0000 UTC"));
  ASSERT_EQ(geth.read_json()["emit"][1]["clientTime"], "2026-12-06 15:00:00 +0000 UTC");
  geth.send(geth_latency("geth-1", "4"));
  geth.send(geth_block("geth-1", 500, 1765000000, 3));
  geth.send(geth_pending("geth-1", 9));
  geth.send(geth_stats("geth-1", 12, 1'500'000'000));
  geth.send(geth_block("geth-1", 501, 1765000005, 2));
  ASSERT_TRUE(nebula_test::wait_until([&] { return echoed_rows(pool).size() >= 5; })) << pool.log();

  const auto rows = echoed_rows(pool);
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& row : rows) {
    EXPECT_EQ(row["node_id"], "geth-1");
    EXPECT_EQ(row["chain_id"], "dev-chain");
    EXPECT_EQ(row["node_type"], "full");
    EXPECT_EQ(row["network.average_latency"], 4.0);
  }
  EXPECT_FALSE(rows[0].contains("blockchain.current_height"));  // latency came before any block
  EXPECT_EQ(rows[1]["blockchain.current_height"], 500);
  EXPECT_EQ(rows[1]["blockchain.transaction_count"], 3);
  EXPECT_EQ(rows[2]["extra"]["economics"]["mempool_pending"], 9);
  EXPECT_EQ(rows[3]["network.peer_count"], 12);
  EXPECT_EQ(rows[3]["extra"]["economics"]["gas_price_gwei"], 1.5);
  EXPECT_EQ(rows[4]["blockchain.current_height"], 501);
  EXPECT_EQ(rows[4]["blockchain.blocks_processed_last_interval"], 1);
  EXPECT_EQ(rows[4]["blockchain.transaction_count"], 5);
  EXPECT_EQ(rows[4]["extra"]["ethstats"]["block_time_s"], 5);

  auto stats = get_json(pool, "/api/v1/pool/stats");
  EXPECT_EQ(stats["pool"]["records_accepted"], 5);
  EXPECT_EQ(stats["pool"]["records_rejected"], 0);

  pool.process->signal(SIGTERM);
  auto exit_code = pool.process->wait_exit(std::chrono::seconds(20));
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 0) << pool.log();
}

}  // namespace
}  // namespace nebula::transport_test
