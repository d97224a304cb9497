// DedupIndex::fresh decides what Runtime::drop_duplicates keeps: a record is
// dropped when its (node, seq) was accepted before or repeats an earlier one
// of the same payload; a record without seq is always kept.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wal/dedup_index.hpp"

namespace {

using nebula::wal::DedupIndex;
using nebula::wal::SeqKey;

TEST(DedupFresh, DropsAcceptedAndRepeatedKeysKeepsRecordsWithoutSeq) {
  DedupIndex index(100);
  index.mark("a", 5);
  const std::vector<SeqKey> keys{
      {"a", 5},             // accepted before
      {"a", 6},             // new
      {"b", 6},             // new: another node, same seq
      {"a", 6},             // repeats the second
      {"c", std::nullopt},  // no seq: never a duplicate
      {"c", std::nullopt},
      {"a", 5},             // accepted before, again
  };
  EXPECT_EQ(index.fresh(keys), (std::vector<bool>{false, true, true, false, true, true, false}));
  EXPECT_EQ(index.nodes(), 1u) << "fresh marks nothing";
}

TEST(DedupFresh, ManyKeysWithCollidingBucketsKeepTheFirstOfEachPair) {
  DedupIndex index(1000);
  std::vector<std::string> nodes;
  for (int n = 0; n < 300; ++n) nodes.push_back("node-" + std::to_string(n));
  std::vector<SeqKey> keys;
  for (int round = 0; round < 2; ++round)
    for (int n = 0; n < 300; ++n) keys.push_back({nodes[n], int64_t(n % 7)});
  const std::vector<bool> keep = index.fresh(keys);
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keep[i], i < 300) << i;
  EXPECT_TRUE(index.fresh({}).empty());
}

}  // namespace
