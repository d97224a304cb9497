#include "batch_shards.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "batch_records.hpp"
#include "shard.hpp"

namespace nebula::redis {

ShardedBatch split_by_shard(std::string_view batch_json, size_t shard_count) {
  std::map<size_t, ShardText> by_shard;
  ShardedBatch out;
  // ordered_json: records are re-serialised with their keys in the sender's order.
  transport::for_each_batch_record<nlohmann::ordered_json>(
      batch_json, [&](const nlohmann::ordered_json& record, size_t i) {
        const auto node = record.find("node_id");
        if (node == record.end() || !node->is_string() || node->get_ref<const std::string&>().empty())
          throw Error(NEBULA_INVALID, "data_batch[" + std::to_string(i) +
                                          "] has no node_id (a non-empty string, in the record or the batch)");
        const size_t shard = shard_of(node->get_ref<const std::string&>(), shard_count);
        ShardText& text = by_shard[shard];
        text.shard = shard;
        transport::append_ndjson_line(text.ndjson, record);
        ++text.records;
        ++out.records;
      });
  out.shards.reserve(by_shard.size());
  for (auto& [shard, text] : by_shard) out.shards.push_back(std::move(text));
  return out;
}

}  // namespace nebula::redis
