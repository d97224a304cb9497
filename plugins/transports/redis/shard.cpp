#include "shard.hpp"

#include <stdexcept>

namespace nebula::redis {

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

size_t shard_of(std::string_view node_id, size_t shards) {
  if (shards == 0) throw std::invalid_argument("shard_of: shards must be at least 1");
  return static_cast<size_t>(fnv1a64(node_id) % shards);
}

std::string stream_key(std::string_view prefix, size_t shard) {
  std::string key(prefix);
  key += ':';
  key += std::to_string(shard);
  return key;
}

}  // namespace nebula::redis
