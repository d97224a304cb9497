// Client side: a data_batch document split into one NDJSON text per shard
// stream. Records keep their order within a shard, and all records of one
// node share a shard, so each node's order survives the split.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::redis {

struct ShardText {
  size_t shard = 0;
  std::string ndjson;  // "record\nrecord\n"
  size_t records = 0;
};

struct ShardedBatch {
  std::vector<ShardText> shards;  // only shards that got records, by shard number
  size_t records = 0;
};

// Records without a node_id take the document's (as the host's decoder
// would); a record that ends up without a non-empty string node_id, or a
// document that is not a data_batch, throws nebula::Error(NEBULA_INVALID).
ShardedBatch split_by_shard(std::string_view batch_json, size_t shard_count);

}  // namespace nebula::redis
