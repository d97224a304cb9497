// The ethstats conversation as geth holds it: hello and ready, then block,
// pending, stats, node-ping / node-pong and latency, each becoming a record
// with the right fields; a second connection of a node replaces the first.
#include "ethstats_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(EthstatsTransportTest, GethConversationBecomesRecordsWithTheRightFields) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);

  // geth's report(): latency (ping, pong, latency), block, pending, stats.
  geth.send(geth_ping(kNode, "2026-12-06 15:00:00.123456789 +0000 UTC m=+0.001"));
  const double before = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto pong = geth.read_json();
  ASSERT_EQ(pong["emit"][0], "node-pong");
  EXPECT_EQ(pong["emit"][1]["clientTime"], "2026-12-06 15:00:00.123456789 +0000 UTC m=+0.001");
  EXPECT_NEAR(pong["emit"][1]["serverTime"].get<double>() / 1000.0, before, 5.0);
  geth.send(geth_latency(kNode, "3"));
  geth.send(geth_block(kNode, 100, 1765000000, 4));
  geth.send(geth_pending(kNode, 17));
  geth.send(geth_stats(kNode, 25, 2'000'000'000, true));
  geth.send(geth_block(kNode, 101, 1765000012, 2));
  ASSERT_TRUE(wait_until([&] { return record_count() == 5; })) << record_count();

  const auto r = records();
  for (const auto& rec : r) {
    EXPECT_EQ(rec["node_id"], kNode);
    EXPECT_EQ(rec["chain_id"], "dev-chain");  // networks: {"1337": dev-chain}
    EXPECT_EQ(rec["node_type"], "full");
    EXPECT_EQ(rec["ethstats"]["client"], "Geth/v1.14.11-stable/linux-amd64/go1.22.8");
  }
  // latency: before any block, the record carries the latency alone.
  EXPECT_EQ(r[0]["network"]["average_latency"], 3.0);
  EXPECT_FALSE(r[0].contains("blockchain"));
  // the first block: height and its transactions; no interval known yet.
  EXPECT_EQ(r[1]["ethstats"]["event"], "block");
  EXPECT_EQ(r[1]["blockchain"]["current_height"], 100);
  EXPECT_EQ(r[1]["blockchain"]["transaction_count"], 4);
  EXPECT_FALSE(r[1]["blockchain"].contains("blocks_processed_last_interval"));
  EXPECT_EQ(r[1]["ethstats"]["propagation_ms"], 0.0);  // the first node of the chain to report it
  EXPECT_NEAR(r[1]["economics"]["gas_used_ratio"].get<double>(), 4 * 21000 / 30e6, 1e-12);
  // pending and stats: snapshots carrying the head and the latency too.
  EXPECT_EQ(r[2]["economics"]["mempool_pending"], 17);
  EXPECT_EQ(r[2]["blockchain"]["current_height"], 100);
  EXPECT_EQ(r[2]["network"]["average_latency"], 3.0);
  EXPECT_EQ(r[3]["network"]["peer_count"], 25);
  EXPECT_EQ(r[3]["economics"]["gas_price_gwei"], 2.0);
  EXPECT_EQ(r[3]["ethstats"]["mining"], true);
  EXPECT_EQ(r[3]["blockchain"]["mining_hash_rate"], 0.0);
  // the next block: one block on, 12 s after its parent, transactions cumulative.
  EXPECT_EQ(r[4]["blockchain"]["current_height"], 101);
  EXPECT_EQ(r[4]["blockchain"]["blocks_processed_last_interval"], 1);
  EXPECT_EQ(r[4]["blockchain"]["transaction_count"], 6);
  EXPECT_EQ(r[4]["ethstats"]["block_time_s"], 12);
  EXPECT_EQ(r[4]["ethstats"]["block_transactions"], 2);
  // seq strictly increases, so the host's duplicate check only drops true repeats.
  for (size_t i = 1; i < r.size(); ++i) EXPECT_GT(r[i]["seq"].get<int64_t>(), r[i - 1]["seq"].get<int64_t>());

  for (const auto& sub : log_.all()) {
    EXPECT_EQ(sub.format, "application/x-ndjson");
    EXPECT_EQ(sub.meta["transport"], "ethstats");
    EXPECT_EQ(sub.meta["node_id"], kNode);
  }
  EXPECT_EQ(host_.counter("records_accepted"), 5.0);
  EXPECT_EQ(host_.counter("pings_answered"), 1.0);
  EXPECT_EQ(server_->describe()["nodes"], 1);
  EXPECT_EQ(server_->describe()["node_states_evicted"], 0);
}

TEST_F(EthstatsTransportTest, PongComesOnlyAfterEarlierRecordsWereAccepted) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  for (int i = 0; i < 20; ++i) geth.send(geth_block(kNode, 200 + i, 1765000000 + i, 1));
  geth.send(geth_ping(kNode, "t"));
  ASSERT_EQ(geth.read_json()["emit"][0], "node-pong");
  // Messages are taken one at a time, each handed to the host first.
  EXPECT_EQ(record_count(), 20u);
}

TEST_F(EthstatsTransportTest, ReconnectReplacesTheOldConnectionAndContinuesTheNodesCounters) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient first(port());
  first.login(kNode, kSecret);
  first.send(geth_block(kNode, 10, 1765000000, 3));
  ASSERT_TRUE(wait_until([&] { return record_count() == 1; }));

  // The node reconnects while the pool still holds its old connection.
  EthstatsClient second(port());
  second.login(kNode, kSecret);
  EXPECT_TRUE(first.closed_by_server());
  EXPECT_EQ(first.close_code(), 1008);
  EXPECT_EQ(first.close_reason(), "replaced by a newer connection of node 'geth-1'");
  EXPECT_EQ(host_.counter("nodes_replaced"), 1.0);

  second.send(geth_block(kNode, 12, 1765000024, 5));
  ASSERT_TRUE(wait_until([&] { return record_count() == 2; }));
  const auto r = records();
  EXPECT_EQ(r[1]["blockchain"]["blocks_processed_last_interval"], 2);  // 10 -> 12: nothing counted twice
  EXPECT_EQ(r[1]["blockchain"]["transaction_count"], 8);
  EXPECT_TRUE(wait_until([&] { return server_->describe()["connections"] == 1; }));
}

TEST_F(EthstatsTransportTest, HistoryFillsOnlyBlocksAfterTheKnownHead) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  geth.send(geth_block(kNode, 6, 1765000060, 1));
  // geth's reportHistory(): newest first.
  json history = json::array();
  for (int n = 9; n >= 5; --n) history.push_back(geth_block_stats(n, 1765000000 + 10 * n, 2));
  geth.send(emit("history", {{"id", kNode}, {"history", history}}));
  ASSERT_TRUE(wait_until([&] { return record_count() == 4; }));
  const auto r = records();
  EXPECT_EQ(r[1]["blockchain"]["current_height"], 7);
  EXPECT_EQ(r[3]["blockchain"]["current_height"], 9);
  EXPECT_EQ(r[3]["blockchain"]["transaction_count"], 1 + 3 * 2);
  EXPECT_EQ(r[3]["ethstats"]["event"], "history");
  EXPECT_EQ(host_.counter("history_blocks_known"), 2.0);  // 5 and 6
}

TEST_F(EthstatsTransportTest, ChainAndTypeFromConfigPerNode) {
  accept_all();
  start_server(config_with_tokens({{"node_chains", {{"geth-2", "sepolia"}}}}));
  EthstatsClient a(port());
  a.login(kNode, kSecret);
  EthstatsClient b(port());
  b.send(geth_hello("geth-2", "other-token", "11155111"));
  ASSERT_EQ(b.read_json()["emit"][0], "ready");
  a.send(geth_block(kNode, 1, 1765000000, 0));
  b.send(geth_block("geth-2", 1, 1765000000, 0));
  ASSERT_TRUE(wait_until([&] { return record_count() == 2; }));
  std::map<std::string, std::string> chains;
  for (const auto& rec : records()) chains[rec["node_id"]] = rec["chain_id"];
  EXPECT_EQ(chains["geth-1"], "dev-chain");
  EXPECT_EQ(chains["geth-2"], "sepolia");
}

TEST_F(EthstatsTransportTest, NodeStateBeyondMaxNodesIsForgottenVisibly) {
  accept_all();
  start_server(config_with_tokens({{"max_nodes", 1}}));
  EthstatsClient a(port());
  a.login(kNode, kSecret);
  a.send(geth_block(kNode, 10, 1765000000, 1));
  // geth-1's state first: the two connections are read independently.
  ASSERT_TRUE(wait_until([&] { return record_count() == 1; }));
  EthstatsClient b(port());
  b.send(geth_hello("geth-2", "other-token"));
  ASSERT_EQ(b.read_json()["emit"][0], "ready");
  b.send(geth_block("geth-2", 3, 1765000000, 1));
  ASSERT_TRUE(wait_until([&] { return record_count() == 2; }));
  a.send(geth_block(kNode, 11, 1765000012, 1));
  ASSERT_TRUE(wait_until([&] { return record_count() == 3; }));
  // geth-1's state was evicted for geth-2's: its next block starts afresh, and describe() says so.
  EXPECT_FALSE(records()[2]["blockchain"].contains("blocks_processed_last_interval"));
  EXPECT_EQ(server_->describe()["node_states_evicted"], 2);
}

TEST_F(EthstatsTransportTest, PrimusHeartbeatIsAnswered) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.send(json("primus::ping::1765000000000"));
  EXPECT_EQ(geth.read_json(), json("primus::pong::1765000000000"));
}

}  // namespace
}  // namespace nebula::transport_test
