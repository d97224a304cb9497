// libnebula_node against the fake pool: order, exactly-once, back-pressure,
// retry hints, invalid records, failover, many nodes on shared workers.
#include <gtest/gtest.h>

#include <atomic>

#include "node_test_support.hpp"

namespace nebula::node::testing {
namespace {

nlohmann::json metric(int i) { return {{"blockchain", {{"current_height", 1000 + i}}}, {"network", {{"peer_count", 8}}}}; }

TEST(NodeDelivery, DeliversEveryRecordOnceInOrder) {
  FakePool pool;
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  for (int i = 0; i < 537; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);

  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 537));
  const auto stats = node.stats();
  EXPECT_EQ(stats["delivered"], 537);
  EXPECT_EQ(stats["pending"], 0);
  EXPECT_EQ(stats["rejected"], 0);
  EXPECT_EQ(stats["endpoint"], pool.endpoint());
  // Batches are the data_batch wire shape.
  const auto first = pool.arrivals().front().batch;
  EXPECT_EQ(first["node_id"], "node-1");
  EXPECT_EQ(first["batch_size"], first["data_batch"].size());
  EXPECT_TRUE(first["submission_time"].is_number());
}

TEST(NodeDelivery, RecordNeverWaitsForAStuckPool) {
  FakePool pool;
  pool.close_gate();  // the pool takes a batch and never answers until the gate opens
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["buffer_max_records"] = 1000;
  Node node(cfg);

  ASSERT_EQ(node.record(metric(0)), NEBULA_NODE_OK);
  ASSERT_TRUE(pool.wait_held(1, 30s));  // the only worker is now stuck inside deliver()
  for (int i = 1; i < 10'000; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);

  // All 10k calls returned while not one batch could be answered.
  EXPECT_EQ(pool.accepted_records(), 0u);
  EXPECT_EQ(pool.arrivals().size(), 1u);
  auto stats = node.stats();
  EXPECT_EQ(stats["recorded"], 10'000);
  EXPECT_LE(stats["buffered"].get<int>(), 1000);
  EXPECT_EQ(stats["buffered"].get<int>() + stats["spilled"].get<int>(), 10'000);
  EXPECT_GE(stats["spilled"].get<int>(), 9'000);

  pool.open_gate();
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 10'000));
  stats = node.stats();
  EXPECT_EQ(stats["delivered"], 10'000);
  EXPECT_EQ(stats["spilled"], 0);
  EXPECT_EQ(pool.max_in_hand_per_node(), 1);
}

TEST(NodeDelivery, PoolDownKeepsAndSpillsThenDeliversEverything) {
  FakePool pool;
  pool.stop_listening();
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["buffer_max_records"] = 500;
  Node node(cfg);

  for (int i = 0; i < 3000; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  ASSERT_TRUE(eventually([&] { return node.stats()["retries"].get<int>() >= 3; }));
  EXPECT_EQ(node.flush(50ms), NEBULA_NODE_TIMEOUT);
  auto stats = node.stats();
  EXPECT_EQ(stats["delivered"], 0);
  EXPECT_EQ(stats["pending"], 3000);
  EXPECT_GE(stats["spilled"].get<int>(), 2500);
  EXPECT_NE(stats["last_error"].get<std::string>().find("IO"), std::string::npos);

  pool.start_listening();
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 3000));
  EXPECT_EQ(node.stats()["pending"], 0);
}

TEST(NodeDelivery, HonoursTheServersRetryAfter) {
  FakePool pool;
  std::atomic<int> calls{0};
  pool.on_batch([&](const nlohmann::json&) { return calls++ == 0 ? Reply::retry(300) : Reply::ok(); });
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["backoff"] = {{"initial_ms", 1}, {"max_ms", 2}};  // far below the hint: the hint must win
  Node node(cfg);

  ASSERT_EQ(node.record(metric(0)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  const auto arrivals = pool.arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[1].at - arrivals[0].at, 300ms);
  EXPECT_EQ(node.stats()["retries"], 1);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 1));
}

TEST(NodeDelivery, InvalidBatchIsDroppedCountedAndDoesNotBlockTheNode) {
  FakePool pool;
  pool.on_batch([](const nlohmann::json& batch) {
    for (const auto& r : batch["data_batch"])
      if (r.contains("poison")) return Reply::invalid(batch["batch_size"].get<std::uint32_t>());
    return Reply::ok();
  });
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["batch_size"] = 10;
  Node node(cfg);

  for (int i = 0; i < 50; ++i) {
    auto r = metric(i);
    if (i == 23) r["poison"] = true;
    ASSERT_EQ(node.record(r), NEBULA_NODE_OK);
  }
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);

  auto expected = iota_seqs(0, 20);
  for (auto s : iota_seqs(30, 50)) expected.push_back(s);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], expected);
  const auto stats = node.stats();
  EXPECT_EQ(stats["rejected"], 10);
  EXPECT_EQ(stats["delivered"], 40);
  EXPECT_EQ(stats["retries"], 0);  // never retried: it can never become valid
  EXPECT_NE(stats["last_error"].get<std::string>().find("seq 20..29"), std::string::npos);
}

TEST(NodeDelivery, PartialRejectionCountsOnlyTheRefusedRecords) {
  FakePool pool;
  pool.on_batch([](const nlohmann::json&) { return Reply{"ok", 1, 0, "one bad"}; });
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["batch_size"] = 10;
  Node node(cfg);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  const auto stats = node.stats();
  EXPECT_EQ(stats["rejected"], 3);
  EXPECT_EQ(stats["delivered"], 27);
}

TEST(NodeDelivery, FailsOverToTheNextEndpoint) {
  FakePool dead;
  dead.stop_listening();  // its port now refuses connections
  FakePool live;
  TempDir dir;
  auto cfg = base_config(dead.endpoint(), dir.path() / "spill");
  cfg["endpoints"] = {dead.endpoint(), live.endpoint()};
  Node node(cfg);

  for (int i = 0; i < 120; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  EXPECT_EQ(live.accepted_seqs()["node-1"], iota_seqs(0, 120));
  const auto stats = node.stats();
  EXPECT_GE(stats["failovers"].get<int>(), 1);
  EXPECT_EQ(stats["endpoint"], live.endpoint());
}

TEST(NodeDelivery, ManyNodesShareWorkersAndKeepPerNodeOrder) {
  FakePool pool;
  std::atomic<int> calls{0};
  // Every 7th answer is "come back in 1 ms": retries interleave with other nodes' batches.
  pool.on_batch([&](const nlohmann::json&) { return ++calls % 7 == 0 ? Reply::retry(1) : Reply::ok(); });
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg.erase("node_id");  // every record names its node
  cfg["workers"] = 4;
  cfg["batch_size"] = 25;
  cfg["buffer_max_records"] = 1000;  // small enough that spilling takes part
  Node node(cfg);

  constexpr int kNodes = 20, kPerNode = 200;
  for (int i = 0; i < kPerNode; ++i)
    for (int n = 0; n < kNodes; ++n) {
      auto r = metric(i);
      r["node_id"] = "node-" + std::to_string(n);
      ASSERT_EQ(node.record(r), NEBULA_NODE_OK);
    }
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);

  const auto seqs = pool.accepted_seqs();
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kNodes));
  for (const auto& [id, list] : seqs) EXPECT_EQ(list, iota_seqs(0, kPerNode)) << id;
  EXPECT_EQ(pool.max_in_hand_per_node(), 1);
  EXPECT_EQ(node.stats()["nodes"], kNodes);
  EXPECT_GT(node.stats()["retries"].get<int>(), 0);
}

TEST(NodeDelivery, PartialBatchesGoOutWhenMemoryIsNearlyFull) {
  // 10 nodes x 9 records: no batch ever fills, no flush is asked for and the
  // flush interval is a minute, but memory is 90 % full, so waiting would stall.
  FakePool pool;
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg.erase("node_id");
  cfg["buffer_max_records"] = 100;
  cfg["flush_interval_ms"] = 60'000;
  Node node(cfg);
  for (int i = 0; i < 9; ++i)
    for (int n = 0; n < 10; ++n) {
      auto r = metric(i);
      r["node_id"] = "node-" + std::to_string(n);
      ASSERT_EQ(node.record(r), NEBULA_NODE_OK);
    }
  // Batches go out unasked until memory is back under the 3/4 mark (75).
  ASSERT_TRUE(eventually([&] { return node.stats()["buffered"].get<int>() < 75; }, 20s));
  EXPECT_GE(pool.accepted_records(), 90u - 74u);
  EXPECT_EQ(node.stats()["spilled"], 0);
  EXPECT_EQ(pool.max_in_hand_per_node(), 1);
}

TEST(NodeDelivery, ConcurrentRecordersOnOneNodeGetSeqsInBufferOrder) {
  FakePool pool;
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) EXPECT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 2000));
}

}  // namespace
}  // namespace nebula::node::testing
