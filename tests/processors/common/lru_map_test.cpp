// The SDK's LruMap as the per-node engines use it: a created flag on touch,
// and oldest-first traversal for persisted state and tie-breaking scans;
// then its contract against a std::list model under random operations,
// reference stability, slot reuse and moves (issue #15 rewrote its storage).
#include <algorithm>
#include <cstdint>
#include <list>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
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

namespace {

// The behaviour LruMap must keep, written the obvious way: a std::list, most
// recent first, searched linearly.
class ReferenceLru {
 public:
  explicit ReferenceLru(size_t capacity) : capacity_(capacity) {}

  int* find(std::string_view key) {
    auto it = locate(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  int& touch(std::string_view key, bool* created) {
    auto it = locate(key);
    *created = it == entries_.end();
    if (!*created) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
    if (entries_.size() >= capacity_) {
      entries_.pop_back();
      ++evictions_;
    }
    entries_.emplace_front(std::string(key), 0);
    return entries_.front().second;
  }
  template <class Pred>
  size_t erase_if(Pred pred) {
    const size_t before = entries_.size();
    entries_.remove_if([&](const auto& e) { return pred(e.first, e.second); });
    return before - entries_.size();
  }
  const std::string* next_victim() const { return entries_.size() >= capacity_ ? &entries_.back().first : nullptr; }
  std::vector<std::pair<std::string, int>> newest_first() const { return {entries_.begin(), entries_.end()}; }
  uint64_t evictions() const { return evictions_; }

 private:
  std::list<std::pair<std::string, int>>::iterator locate(std::string_view key) {
    return std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
  }

  size_t capacity_;
  uint64_t evictions_ = 0;
  std::list<std::pair<std::string, int>> entries_;
};

std::vector<std::pair<std::string, int>> newest_first(const nebula::LruMap<int>& map) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [key, value] : map) out.emplace_back(key, value);
  return out;
}

std::vector<std::pair<std::string, int>> oldest_first_entries(const nebula::LruMap<int>& map) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& [key, value] : map.oldest_first()) out.emplace_back(key, value);
  return out;
}

// Keys shaped like the engines' (chain '\x1f' node), some longer than any
// small-string buffer, some that differ only in their last byte.
std::vector<std::string> key_pool() {
  std::vector<std::string> keys;
  for (int chain = 0; chain < 3; ++chain)
    for (int node = 0; node < 6; ++node) keys.push_back("chain-" + std::to_string(chain) + "\x1fnode-" + std::to_string(node));
  keys.push_back("a");
  keys.push_back(std::string("a\x1f", 2));
  keys.push_back(std::string(300, 'x') + "1");
  keys.push_back(std::string(300, 'x') + "2");
  keys.push_back(std::string("nul\0inside", 10));
  keys.push_back("");
  return keys;
}

// Counts the live values, so a leaked or twice-destroyed entry shows.
struct Tracked {
  static inline int live = 0;
  int value = 0;
  std::string payload = std::string(40, 'p');  // heap-allocated: ASan sees leaks
  Tracked() { ++live; }
  Tracked(const Tracked& o) : value(o.value), payload(o.payload) { ++live; }
  Tracked& operator=(const Tracked&) = default;
  ~Tracked() { --live; }
};

}  // namespace

TEST(LruMap, BehavesAsAListUnderRandomTouchFindAndErase) {
  const std::vector<std::string> keys = key_pool();
  for (const size_t capacity : {size_t{1}, size_t{2}, size_t{7}, size_t{16}}) {
    std::mt19937 rng(20261206 + static_cast<unsigned>(capacity));
    nebula::LruMap<int> map(capacity);
    ReferenceLru model(capacity);
    for (int op = 0; op < 5000; ++op) {
      const std::string& key = keys[rng() % keys.size()];
      const unsigned kind = rng() % 100;
      if (kind < 60) {
        if (kind < 30) {  // the victim a new key would push out, as owners ask before touching
          const auto* victim = map.next_victim();
          const std::string* expected = model.find(key) ? nullptr : model.next_victim();
          if (!model.find(key)) {
            ASSERT_EQ(victim != nullptr, expected != nullptr) << "op " << op;
            if (victim) {
              ASSERT_EQ(victim->first, *expected) << "op " << op;
            }
          }
        }
        bool created = false, expected_created = false;
        int& value = map.touch(key, &created);
        int& expected = model.touch(key, &expected_created);
        ASSERT_EQ(created, expected_created) << "op " << op << " key " << key;
        ASSERT_EQ(value, expected) << "op " << op;
        value = expected = op;
      } else if (kind < 90) {
        const int* found = map.find(key);
        const int* expected = model.find(key);
        ASSERT_EQ(found != nullptr, expected != nullptr) << "op " << op << " key " << key;
        if (found) {
          ASSERT_EQ(*found, *expected);
        }
      } else {
        const int cut = op - static_cast<int>(rng() % 200);
        const auto older = [&](const std::string&, const int& v) { return v < cut; };
        ASSERT_EQ(map.erase_if(older), model.erase_if(older)) << "op " << op;
      }
      ASSERT_EQ(newest_first(map), model.newest_first()) << "op " << op;
      ASSERT_EQ(map.size(), model.newest_first().size());
      ASSERT_EQ(map.evictions(), model.evictions());
    }
    auto reversed = model.newest_first();
    std::reverse(reversed.begin(), reversed.end());
    EXPECT_EQ(oldest_first_entries(map), reversed);
    EXPECT_GT(map.evictions(), 0u);
  }
}

TEST(LruMap, ErasePredicateSeesKeysMostRecentFirst) {
  nebula::LruMap<int> map(8);
  for (const char* key : {"a", "b", "c", "b"}) map.touch(key);
  std::vector<std::string> seen;
  map.erase_if([&](const std::string& key, int&) {
    seen.push_back(key);
    return key == "c";
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(map.find("c"), nullptr);
  EXPECT_EQ(map.size(), 2u);
}

TEST(LruMap, ReferencesStayValidAcrossGrowth) {
  nebula::LruMap<std::string> map(1'000'000);
  std::string& first = map.touch("chain-7\x1fnode-000000");
  first = "the first value";
  const std::string* key = &map.begin()->first;
  for (int i = 1; i <= 10'000; ++i) map.touch("chain-7\x1fnode-" + std::to_string(i)) = std::to_string(i);
  ASSERT_EQ(map.size(), 10'001u);
  EXPECT_EQ(map.find("chain-7\x1fnode-000000"), &first);
  EXPECT_EQ(first, "the first value");
  EXPECT_EQ(&std::prev(map.end())->first, key);  // still the oldest, same key object
  EXPECT_EQ(*key, "chain-7\x1fnode-000000");
  for (int i = 1; i <= 10'000; i += 997) {
    ASSERT_NE(map.find("chain-7\x1fnode-" + std::to_string(i)), nullptr);
    EXPECT_EQ(*map.find("chain-7\x1fnode-" + std::to_string(i)), std::to_string(i));
  }
  EXPECT_EQ(map.evictions(), 0u);
}

TEST(LruMap, ErasedSlotsAreReusedByLaterKeys) {
  nebula::LruMap<int> map(1000);
  std::set<const int*> erased;
  for (int i = 0; i < 200; ++i) map.touch("node-" + std::to_string(i)) = i;
  for (const auto& [key, value] : map)
    if (value % 2 == 0) erased.insert(&value);
  EXPECT_EQ(map.erase_if([](const std::string&, const int& v) { return v % 2 == 0; }), 100u);
  EXPECT_EQ(map.size(), 100u);
  for (int i = 0; i < 200; i += 2) EXPECT_EQ(map.find("node-" + std::to_string(i)), nullptr);

  std::set<const int*> reused;
  for (int i = 0; i < 100; ++i) {
    bool created = false;
    int& v = map.touch("again-" + std::to_string(i), &created);
    EXPECT_TRUE(created);
    EXPECT_EQ(v, 0);  // a fresh value, not what the erased entry held
    reused.insert(&v);
  }
  EXPECT_EQ(reused, erased);  // no new storage while freed slots remain
  for (int i = 1; i < 200; i += 2) {
    ASSERT_NE(map.find("node-" + std::to_string(i)), nullptr);
    EXPECT_EQ(*map.find("node-" + std::to_string(i)), i);
  }
  EXPECT_EQ(map.size(), 200u);
}

TEST(LruMap, LongKeysAndSeparatorsAreDistinctKeys) {
  nebula::LruMap<int> map(100);
  const std::string long_a = std::string(5000, 'k') + "a";
  const std::string long_b = std::string(5000, 'k') + "b";
  map.touch(long_a) = 1;
  map.touch(long_b) = 2;
  map.touch("chain\x1fnode") = 3;
  map.touch("chain\x1fnode\x1f") = 4;
  map.touch(std::string_view("chain\0node", 10)) = 5;
  map.touch("chain") = 6;
  EXPECT_EQ(map.size(), 6u);
  EXPECT_EQ(*map.find(long_a), 1);
  EXPECT_EQ(*map.find(long_b), 2);
  EXPECT_EQ(*map.find("chain\x1fnode"), 3);
  EXPECT_EQ(*map.find("chain\x1fnode\x1f"), 4);
  EXPECT_EQ(*map.find(std::string_view("chain\0node", 10)), 5);
  EXPECT_EQ(*map.find("chain"), 6);
  EXPECT_EQ(map.find(std::string(5000, 'k')), nullptr);
  EXPECT_EQ(map.find("chain\x1f"), nullptr);
  EXPECT_EQ(map.oldest_first().begin()->first, long_a);
}

TEST(LruMap, MovingKeepsEntriesOrderAndReferences) {
  Tracked::live = 0;
  {
    nebula::LruMap<Tracked> source(3);
    for (int i = 0; i < 5; ++i) source.touch("n" + std::to_string(i)).value = i;  // evicts n0, n1
    Tracked* kept = source.find("n3");
    ASSERT_NE(kept, nullptr);
    EXPECT_EQ(Tracked::live, 3);

    nebula::LruMap<Tracked> moved(std::move(source));
    EXPECT_EQ(moved.find("n3"), kept);
    EXPECT_EQ(moved.size(), 3u);
    EXPECT_EQ(moved.evictions(), 2u);
    EXPECT_EQ(moved.capacity(), 3u);
    EXPECT_EQ(source.size(), 0u);  // NOLINT(bugprone-use-after-move): the moved-from map stays usable
    EXPECT_EQ(source.find("n3"), nullptr);
    source.touch("fresh").value = 9;
    EXPECT_EQ(source.size(), 1u);
    EXPECT_EQ(Tracked::live, 4);

    nebula::LruMap<Tracked> assigned(10);
    for (int i = 0; i < 4; ++i) assigned.touch("old" + std::to_string(i));
    EXPECT_EQ(Tracked::live, 8);
    assigned = std::move(moved);  // the four old entries are destroyed
    EXPECT_EQ(Tracked::live, 4);
    EXPECT_EQ(assigned.capacity(), 3u);
    EXPECT_EQ(assigned.find("n3"), kept);
    EXPECT_EQ(assigned.find("old0"), nullptr);
    std::vector<int> order;
    for (const auto& [key, t] : assigned) order.push_back(t.value);
    EXPECT_EQ(order, (std::vector<int>{4, 3, 2}));
    assigned.touch("n5");  // evicts n2, as the original would have
    EXPECT_EQ(assigned.find("n2"), nullptr);
    EXPECT_EQ(assigned.evictions(), 3u);
    EXPECT_EQ(Tracked::live, 4);
  }
  EXPECT_EQ(Tracked::live, 0);
}

TEST(LruMap, IteratesBackwardsFromTheEnd) {
  nebula::LruMap<int> map(4);
  for (const char* key : {"a", "b", "c"}) map.touch(key);
  std::vector<std::string> keys;
  const auto& view = map;
  for (auto it = view.end(); it != view.begin();) keys.push_back((--it)->first);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
}
