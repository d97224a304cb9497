#include "batch_shards.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "shard.hpp"

namespace nebula::redis {

ShardedBatch split_by_shard(std::string_view batch_json, size_t shard_count) {
  // ordered_json: records are re-serialised with their keys in the sender's order.
  auto doc = nlohmann::ordered_json::parse(batch_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("data_batch") || !doc["data_batch"].is_array())
    throw Error(NEBULA_INVALID, "not a data_batch document (expected {\"node_id\":..,\"data_batch\":[..]})");
  const auto batch_node = doc.find("node_id");

  std::map<size_t, ShardText> by_shard;
  ShardedBatch out;
  size_t i = 0;
  for (auto& record : doc["data_batch"]) {
    const std::string where = "data_batch[" + std::to_string(i++) + "]";
    if (!record.is_object()) throw Error(NEBULA_INVALID, where + " is not an object");
    if (!record.contains("node_id") && batch_node != doc.end()) record["node_id"] = *batch_node;
    const auto node = record.find("node_id");
    if (node == record.end() || !node->is_string() || node->get_ref<const std::string&>().empty())
      throw Error(NEBULA_INVALID, where + " has no node_id (a non-empty string, in the record or the batch)");
    const size_t shard = shard_of(node->get_ref<const std::string&>(), shard_count);
    ShardText& text = by_shard[shard];
    text.shard = shard;
    text.ndjson += record.dump();  // dump() escapes newlines: one record, one line
    text.ndjson += '\n';
    ++text.records;
    ++out.records;
  }
  out.shards.reserve(by_shard.size());
  for (auto& [shard, text] : by_shard) out.shards.push_back(std::move(text));
  return out;
}

}  // namespace nebula::redis
