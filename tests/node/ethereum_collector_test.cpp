// `nebula-node run --ethereum`'s collector against a real anvil node (one
// block per transaction): heights, blocks and transactions counted from the
// blocks, a real reorg (evm_snapshot / evm_revert) taken back and recounted,
// a restart resuming from the state file, net_peerCount (which anvil does
// not offer) skipped and logged once, and the economics group held to its
// schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nebula/testing/json_schema.hpp>

#include "ethereum_collector.hpp"
#include "real_chains_anvil.hpp"

namespace {

using nebula::node::collect::ethereum::Collector;
using nebula::node::collect::ethereum::CollectorOptions;
using nlohmann::json;

constexpr uint64_t kGwei = 1'000'000'000ull;

struct EthereumCollector : ::testing::Test {
  nebula_test::TempDir dir{"ethereum-collector"};
  std::unique_ptr<AnvilNode> anvil;
  std::vector<std::string> log;

  void SetUp() override {
    try {
      anvil = std::make_unique<AnvilNode>(dir.path(), "dev", 0);
    } catch (const std::exception& e) {
      FAIL() << e.what() << " (scripts/install-deps installs anvil)";
    }
  }
  std::unique_ptr<Collector> collector() {
    CollectorOptions o;
    o.url = anvil->url();
    o.state_file = dir.path() / "state" / "blocks.json";
    return std::make_unique<Collector>(o, [this](const std::string& line) { log.push_back(line); });
  }
  // `n` transfers, each in its own block (automine), then waits until the node has mined them all.
  void blocks_of_one(size_t from, size_t n, uint64_t tip) {
    const int64_t target = anvil->height() + static_cast<int64_t>(n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(anvil->send_transfers(from, 1, tip), 0u);
      const int64_t mined = target - static_cast<int64_t>(n) + static_cast<int64_t>(i) + 1;
      ASSERT_TRUE(nebula_test::wait_until([&] { return anvil->height() >= mined; }));
    }
  }
  size_t logged(const std::string& text) const {
    return static_cast<size_t>(std::count_if(log.begin(), log.end(), [&](const auto& l) { return l.find(text) != std::string::npos; }));
  }
};

TEST_F(EthereumCollector, CountsBlocksAndTransactionsAcrossAReorgAndARestart) {
  auto c = collector();
  json r = c->sample();
  ASSERT_TRUE(r.contains("blockchain")) << r.dump();
  const int64_t start = r["blockchain"]["current_height"];
  EXPECT_EQ(r["blockchain"]["blocks_processed_last_interval"], 0);
  EXPECT_EQ(r["blockchain"]["transaction_count"], 0);
  EXPECT_TRUE(r["network"].contains("average_latency"));
  EXPECT_FALSE(r["network"].contains("peer_count")) << "anvil does not offer net_peerCount";

  blocks_of_one(0, 3, 2 * kGwei);
  r = c->sample();
  EXPECT_EQ(r["blockchain"]["current_height"], start + 3);
  EXPECT_EQ(r["blockchain"]["blocks_processed_last_interval"], 3);
  EXPECT_EQ(r["blockchain"]["transaction_count"], 3);
  EXPECT_NEAR(r["economics"]["priority_fee_gwei"]["p50"].get<double>(), 2.0, 1e-9) << r.dump();

  // A real reorg: two blocks counted, then replaced by three others.
  const json snapshot = anvil->rpc("evm_snapshot");
  blocks_of_one(1, 2, kGwei);
  EXPECT_EQ(c->sample()["blockchain"]["transaction_count"], 5);
  ASSERT_EQ(anvil->rpc("evm_revert", {snapshot}), true);
  blocks_of_one(2, 3, 3 * kGwei);
  r = c->sample();
  EXPECT_EQ(r["blockchain"]["reorged_blocks"], 2) << r.dump();
  EXPECT_EQ(r["blockchain"]["blocks_processed_last_interval"], 3);
  EXPECT_EQ(r["blockchain"]["transaction_count"], 6) << "5 counted, 2 taken back, 3 new (the counter never went below 5)";
  EXPECT_EQ(r["blockchain"]["current_height"], start + 6);
  EXPECT_EQ(logged("net_peerCount is not offered"), 1u) << "logged once, however many samples";

  // Down for a while: two blocks mined meanwhile are counted on restart, none twice.
  c.reset();
  blocks_of_one(0, 2, kGwei);
  c = collector();
  r = c->sample();
  EXPECT_EQ(r["blockchain"]["blocks_processed_last_interval"], 2) << r.dump();
  EXPECT_EQ(r["blockchain"]["transaction_count"], 8);
  r = c->sample();
  EXPECT_EQ(r["blockchain"]["blocks_processed_last_interval"], 0);
  EXPECT_EQ(r["blockchain"]["transaction_count"], 8);
}

TEST_F(EthereumCollector, EconomicsHoldToTheirSchema) {
  auto c = collector();
  c->sample();
  blocks_of_one(0, 2, kGwei);
  const json r = c->sample();
  ASSERT_TRUE(r.contains("economics")) << r.dump();
  const json& e = r["economics"];
  for (const char* leaf : {"base_fee_gwei", "gas_price_gwei", "priority_fee_gwei", "gas_used_ratio", "fee_blocks",
                           "mempool_pending", "mempool_queued"})
    EXPECT_TRUE(e.contains(leaf)) << leaf << " in " << e.dump();
  EXPECT_EQ(e["fee_blocks"], 2);
  const auto schema =
      nebula::testing::JsonSchema::load(std::string(NEBULA_SCHEMA_DIR) + "/records/economics.schema.json");
  EXPECT_TRUE(schema.validate(e).empty()) << nebula::testing::describe(schema.validate(e));
}

TEST_F(EthereumCollector, ANodeThatDoesNotAnswerGivesAnEmptySampleAndIsLoggedOnce) {
  CollectorOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(nebula_test::free_port());
  o.state_file = dir.path() / "gone.json";
  o.timeout = std::chrono::milliseconds(500);
  Collector c(o, [this](const std::string& line) { log.push_back(line); });
  EXPECT_EQ(c.sample(), json::object());
  EXPECT_EQ(c.sample(), json::object());
  EXPECT_EQ(logged("eth_blockNumber failed"), 1u);
  EXPECT_FALSE(std::filesystem::exists(o.state_file));
}

}  // namespace
