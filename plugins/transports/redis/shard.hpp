// Which stream a node's records go to. Shared by the client (writes) and the
// server (reads, membership): both sides must agree, so it lives in one place.
// All records of one node land in one shard, which keeps that node's order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nebula::redis {

// 64-bit FNV-1a of the bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
uint64_t fnv1a64(std::string_view bytes);

// fnv1a64(node_id) % shards; shards must be at least 1.
size_t shard_of(std::string_view node_id, size_t shards);

// The stream of shard i: "<prefix>:<i>".
std::string stream_key(std::string_view prefix, size_t shard);

}  // namespace nebula::redis
