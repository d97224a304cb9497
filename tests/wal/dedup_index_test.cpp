#include <gtest/gtest.h>

#include "wal/dedup_index.hpp"

namespace nebula::wal {
namespace {

TEST(DedupIndex, RemembersSeqsInTheWindowPerNode) {
  DedupIndex index(100);
  for (int64_t s = 0; s < 10; ++s) index.mark("a", s);
  EXPECT_TRUE(index.seen("a", 0));
  EXPECT_TRUE(index.seen("a", 9));
  EXPECT_FALSE(index.seen("a", 10));
  EXPECT_FALSE(index.seen("b", 3));
}

TEST(DedupIndex, OutOfOrderSeqsAreTrackedIndividually) {
  DedupIndex index(100);
  index.mark("a", 10);
  index.mark("a", 7);
  EXPECT_TRUE(index.seen("a", 7));
  EXPECT_FALSE(index.seen("a", 8));
  index.mark("a", 8);
  EXPECT_TRUE(index.seen("a", 8));
}

TEST(DedupIndex, FarBelowTheWindowIsASequenceResetNotADuplicate) {
  DedupIndex index(100);
  index.mark("a", 100000);
  EXPECT_FALSE(index.seen("a", 3));
  index.mark("a", 3);
  EXPECT_EQ(index.resets(), 1u);
  EXPECT_TRUE(index.seen("a", 3));
  EXPECT_FALSE(index.seen("a", 4));
}

TEST(DedupIndex, ReplayingNeverResets) {
  DedupIndex index(100);
  index.mark("a", 100000);
  index.mark("a", 3, /*replaying=*/true);
  EXPECT_EQ(index.resets(), 0u);
  EXPECT_TRUE(index.seen("a", 100000));
}

TEST(DedupIndex, SnapshotRoundTripsAndRejectsDamage) {
  DedupIndex index(100);
  for (int64_t s = 0; s < 600; s += 3) index.mark("node-1", s);
  index.mark("node-2", 42);
  const std::string bytes = index.snapshot();
  DedupIndex loaded(100);
  ASSERT_TRUE(loaded.load(bytes));
  EXPECT_EQ(loaded.nodes(), 2u);
  for (int64_t s = 600 - DedupIndex::kWindow; s < 600; ++s)
    EXPECT_EQ(loaded.seen("node-1", s), index.seen("node-1", s)) << s;
  EXPECT_TRUE(loaded.seen("node-2", 42));

  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 1;
  DedupIndex refused(100);
  EXPECT_FALSE(refused.load(damaged));
  EXPECT_EQ(refused.nodes(), 0u);
  EXPECT_FALSE(refused.load(bytes.substr(0, 10)));
}

TEST(DedupIndex, BoundedByNodeCount) {
  DedupIndex index(3);
  for (int n = 0; n < 10; ++n) index.mark("node-" + std::to_string(n), 1);
  EXPECT_EQ(index.nodes(), 3u);
  EXPECT_TRUE(index.seen("node-9", 1));
  EXPECT_FALSE(index.seen("node-0", 1));
}

}  // namespace
}  // namespace nebula::wal
