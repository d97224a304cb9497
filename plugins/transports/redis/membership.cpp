#include "membership.hpp"

#include "shard.hpp"

namespace nebula::redis {
namespace {

// splitmix64's finaliser: FNV-1a alone barely changes its high bits for
// inputs that differ only at the end, which would skew the winners.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

uint64_t hrw_weight(std::string_view member, size_t shard) {
  return mix(fnv1a64(member) ^ mix(0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(shard) + 1)));
}

std::string shard_owner(const std::vector<std::string>& members, size_t shard) {
  const std::string* best = nullptr;
  uint64_t best_weight = 0;
  for (const auto& m : members) {
    const uint64_t w = hrw_weight(m, shard);
    if (!best || w > best_weight || (w == best_weight && m > *best)) {
      best = &m;
      best_weight = w;
    }
  }
  return best ? *best : std::string();
}

std::vector<size_t> owned_shards(const std::vector<std::string>& members, std::string_view me, size_t shards) {
  std::vector<size_t> out;
  for (size_t i = 0; i < shards; ++i)
    if (shard_owner(members, i) == me) out.push_back(i);
  return out;
}

}  // namespace nebula::redis
