// Shard ownership by rendezvous hashing (membership.hpp): pure functions.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "membership.hpp"

namespace nebula::redis {
namespace {

constexpr size_t kShards = 64;

std::map<size_t, std::string> owners(const std::vector<std::string>& members) {
  std::map<size_t, std::string> out;
  for (size_t i = 0; i < kShards; ++i) out[i] = shard_owner(members, i);
  return out;
}

TEST(RedisMembership, EveryShardHasExactlyOneOwnerAmongTheMembers) {
  const std::vector<std::string> members{"pool-a", "pool-b", "pool-c"};
  std::vector<int> times_owned(kShards, 0);
  for (const auto& m : members)
    for (size_t shard : owned_shards(members, m, kShards)) ++times_owned[shard];
  for (size_t i = 0; i < kShards; ++i) {
    EXPECT_EQ(times_owned[i], 1) << "shard " << i;
    EXPECT_NE(std::find(members.begin(), members.end(), shard_owner(members, i)), members.end());
  }
}

TEST(RedisMembership, RemovingAMemberMovesOnlyItsShards) {
  const std::vector<std::string> all{"pool-a", "pool-b", "pool-c", "pool-d"};
  const auto before = owners(all);
  const auto after = owners({"pool-a", "pool-c", "pool-d"});
  size_t moved = 0;
  for (size_t i = 0; i < kShards; ++i) {
    if (before.at(i) == "pool-b") {
      EXPECT_NE(after.at(i), "pool-b");
      ++moved;
    } else {
      EXPECT_EQ(after.at(i), before.at(i)) << "shard " << i << " moved although its owner stayed";
    }
  }
  EXPECT_GT(moved, 0u);
}

TEST(RedisMembership, AddingAMemberTakesShardsOnlyForItself) {
  const auto before = owners({"pool-a", "pool-b"});
  const auto after = owners({"pool-a", "pool-b", "pool-new"});
  for (size_t i = 0; i < kShards; ++i) {
    if (after.at(i) != "pool-new") {
      EXPECT_EQ(after.at(i), before.at(i)) << "shard " << i;
    }
  }
}

TEST(RedisMembership, AnswerDoesNotDependOnTheListOrder) {
  EXPECT_EQ(owners({"x", "y", "z"}), owners({"z", "x", "y"}));
}

TEST(RedisMembership, SpreadsShardsOverTheMembers) {
  const std::vector<std::string> members{"h1", "h2", "h3", "h4"};
  for (const auto& m : members) {
    const size_t n = owned_shards(members, m, 256).size();
    EXPECT_GT(n, 32u) << m;  // 64 expected
    EXPECT_LT(n, 96u) << m;
  }
}

TEST(RedisMembership, NoMembersMeansNoOwner) {
  EXPECT_EQ(shard_owner({}, 3), "");
  EXPECT_TRUE(owned_shards({}, "me", 8).empty());
  EXPECT_TRUE(owned_shards({"other"}, "me", 8).empty());
  EXPECT_EQ(owned_shards({"me"}, "me", 3), (std::vector<size_t>{0, 1, 2}));
}

}  // namespace
}  // namespace nebula::redis
