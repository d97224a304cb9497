// The SDK's LruMap as the per-node engines use it: a created flag on touch,
// and oldest-first traversal for persisted state and tie-breaking scans.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nebula/lru_map.hpp>

namespace {

std::vector<std::string> keys_oldest_first(const nebula::LruMap<int>& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map.oldest_first()) keys.push_back(key);
  return keys;
}

}  // namespace

TEST(LruMap, TouchTellsANewEntryFromAKnownOne) {
  nebula::LruMap<int> map(4);
  bool created = false;
  map.touch("a", &created) = 1;
  EXPECT_TRUE(created);
  EXPECT_EQ(map.touch("a", &created), 1);
  EXPECT_FALSE(created);
}

TEST(LruMap, OldestFirstIsTheOrderThatRebuildsTheSameRecency) {
  nebula::LruMap<int> map(3);
  for (const char* key : {"a", "b", "c", "a"}) map.touch(key);
  EXPECT_EQ(keys_oldest_first(map), (std::vector<std::string>{"b", "c", "a"}));

  nebula::LruMap<int> reloaded(3);
  for (const auto& key : keys_oldest_first(map)) reloaded.touch(key);
  reloaded.touch("d");  // evicts the least recent, as the original would
  EXPECT_EQ(keys_oldest_first(reloaded), (std::vector<std::string>{"c", "a", "d"}));
  EXPECT_EQ(reloaded.evictions(), 1u);
}

TEST(LruMap, OldestFirstEntriesAreWritable) {
  nebula::LruMap<int> map(2);
  map.touch("a");
  map.touch("b");
  for (auto& [key, value] : map.oldest_first()) value = key == "a" ? 1 : 2;
  EXPECT_EQ(*map.find("a"), 1);
  EXPECT_EQ(*map.find("b"), 2);
}
