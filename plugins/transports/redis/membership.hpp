// Shard ownership among the live pool hosts: rendezvous (highest random
// weight) hashing. Every host computes the same owner from the same member
// list, without talking to the others, and when a member joins or leaves only
// the shards it wins or held move (the rest keep their reader, and so their
// per-node order). Pure functions; the member list comes from Redis.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::redis {

// The weight of `member` for `shard`; the highest weight owns the shard.
uint64_t hrw_weight(std::string_view member, size_t shard);

// The member that owns `shard` ("" when there are no members). Ties (equal
// weights) go to the greater name, so the answer never depends on list order.
std::string shard_owner(const std::vector<std::string>& members, size_t shard);

// The shards in [0, shards) that `me` owns among `members`, ascending.
std::vector<size_t> owned_shards(const std::vector<std::string>& members, std::string_view me, size_t shards);

}  // namespace nebula::redis
