// The block tracker on made-up chains: each block counted once, a reorg's
// replaced blocks taken back (the transaction counter never goes down), a
// restart from the saved state neither recounts nor skips, a chain it does
// not recognise restarts the count at its head.
#include <gtest/gtest.h>

#include <map>

#include "ethereum_blocks.hpp"

namespace {

using nebula::node::collect::ethereum::BlockInfo;
using nebula::node::collect::ethereum::BlockSource;
using nebula::node::collect::ethereum::BlockStep;
using nebula::node::collect::ethereum::BlockTracker;

// A chain the test edits: height -> block; a fork rewrites from a height on.
struct Chain {
  std::map<int64_t, BlockInfo> blocks;
  int fetches = 0;

  // Appends blocks with these transaction counts; `tag` makes the hashes of a fork differ.
  void grow(std::initializer_list<int64_t> txs, const std::string& tag = "a") {
    for (const int64_t n : txs) {
      const int64_t number = blocks.empty() ? 0 : blocks.rbegin()->first + 1;
      const std::string parent = blocks.empty() ? "genesis" : blocks.rbegin()->second.hash;
      blocks[number] = BlockInfo{number, tag + std::to_string(number), parent, n};
    }
  }
  void cut(int64_t from) { blocks.erase(blocks.find(from), blocks.end()); }
  int64_t head() const { return blocks.rbegin()->first; }
  BlockSource source() {
    return [this](int64_t n) -> std::optional<BlockInfo> {
      ++fetches;
      auto it = blocks.find(n);
      return it == blocks.end() ? std::nullopt : std::optional<BlockInfo>(it->second);
    };
  }
};

TEST(EthereumBlocks, CountsEachBlockOnceFromWhereItStarted) {
  Chain c;
  c.grow({5, 5, 5});
  BlockTracker t;
  const BlockStep first = t.advance(c.head(), c.source());
  EXPECT_TRUE(first.anchored);
  EXPECT_EQ(first.blocks, 0) << "history before the first look is not counted";
  c.grow({1, 2});
  BlockStep s = t.advance(c.head(), c.source());
  EXPECT_EQ(s.blocks, 2);
  EXPECT_EQ(s.transactions, 3);
  s = t.advance(c.head(), c.source());
  EXPECT_EQ(s.blocks, 0);
  EXPECT_EQ(t.total_transactions(), 3u);
}

TEST(EthereumBlocks, AReorgTakesTheReplacedBlocksBackAndCountsTheNewOnes) {
  Chain c;
  c.grow({0, 4, 6});  // 0..2
  BlockTracker t;
  t.advance(c.head(), c.source());
  c.grow({3, 7});  // 3, 4: counted, 10 transactions
  t.advance(c.head(), c.source());
  EXPECT_EQ(t.total_transactions(), 10u);
  c.cut(3);
  c.grow({1, 1, 20}, "b");  // 3', 4', 5'
  const BlockStep s = t.advance(c.head(), c.source());
  EXPECT_EQ(s.replaced, 2);
  EXPECT_EQ(s.blocks, 3);
  // 10 counted, 10 taken back, 22 new: the counter reads 22, never going down on the way.
  EXPECT_EQ(t.total_transactions(), 22u);
  EXPECT_EQ(s.transactions, 12);
  EXPECT_EQ(t.reorgs(), 1u);
}

TEST(EthereumBlocks, AShorterChainIsFollowedBack) {
  Chain c;
  c.grow({0, 1, 1, 1});
  BlockTracker t;
  t.advance(1, c.source());
  t.advance(3, c.source());
  c.cut(2);
  c.grow({5}, "b");  // head 2', lower than the 3 counted
  const BlockStep s = t.advance(c.head(), c.source());
  EXPECT_EQ(s.replaced, 2);
  EXPECT_EQ(s.blocks, 1);
  EXPECT_EQ(t.last_number(), 2);
  EXPECT_EQ(t.total_transactions(), 5u - 2u + 2u) << "2 counted, 2 taken back, 5 new";
}

TEST(EthereumBlocks, ARestartFromTheSavedStateNeitherRecountsNorSkips) {
  Chain c;
  c.grow({0, 2, 2});
  BlockTracker before;
  before.advance(c.head(), c.source());
  c.grow({3});
  before.advance(c.head(), c.source());
  const auto saved = before.to_json();

  c.grow({4, 5});  // mined while the collector was down
  BlockTracker after;
  after.load(saved);
  const BlockStep s = after.advance(c.head(), c.source());
  EXPECT_FALSE(s.anchored);
  EXPECT_EQ(s.blocks, 2);
  EXPECT_EQ(after.total_transactions(), 3u + 4u + 5u);
}

TEST(EthereumBlocks, AnotherChainRestartsTheCountAtItsHead) {
  Chain c;
  c.grow({0, 1, 1});
  BlockTracker t(/*keep=*/4);
  t.advance(c.head(), c.source());
  Chain other;
  other.grow({9, 9, 9, 9, 9, 9, 9}, "z");
  const BlockStep s = t.advance(other.head(), other.source());
  EXPECT_TRUE(s.anchored);
  EXPECT_EQ(s.blocks, 0);
  c.grow({1});
  other.grow({2}, "z");
  EXPECT_EQ(t.advance(other.head(), other.source()).transactions, 2) << "no debt carried over from the other chain";
}

TEST(EthereumBlocks, ALongCatchUpIsSpreadOverSteps) {
  Chain c;
  c.grow({0});
  BlockTracker t(64, /*max_blocks=*/10);
  t.advance(0, c.source());
  for (int i = 0; i < 25; ++i) c.grow({1});
  BlockStep s = t.advance(c.head(), c.source());
  EXPECT_FALSE(s.complete);
  EXPECT_EQ(s.blocks, 10);
  t.advance(c.head(), c.source());
  s = t.advance(c.head(), c.source());
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(t.total_transactions(), 25u);
}

TEST(EthereumBlocks, AFailedFetchResumesThereNextTime) {
  Chain c;
  c.grow({0, 1});
  BlockTracker t;
  t.advance(c.head(), c.source());
  c.grow({2, 3});
  const BlockSource failing = [](int64_t) { return std::nullopt; };
  EXPECT_FALSE(t.advance(c.head(), failing).complete);
  EXPECT_EQ(t.advance(c.head(), c.source()).transactions, 5);
}

TEST(EthereumBlocks, AStateItDidNotWriteIsRefused) {
  BlockTracker t;
  EXPECT_THROW(t.load(nlohmann::json{{"version", 7}}), std::invalid_argument);
  EXPECT_THROW(t.load(nlohmann::json::parse(R"({"version":1,"recent":[[1,"a","b",0],[3,"c","a",0]],
      "total_transactions":0,"debit":0,"reorgs":0})")),
               std::invalid_argument);
}

}  // namespace
