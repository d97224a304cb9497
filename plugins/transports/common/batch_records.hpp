// A data_batch document as records, the way the client sides of the
// transports (tcp, file, redis) turn it into NDJSON lines: parse it, check
// it is {"node_id":..,"data_batch":[{..},..]}, and hand each record on with
// the document's node_id copied in unless the record names its own.
// Header-only: Json is nlohmann::json (keys sorted on dump) or
// nlohmann::ordered_json (keys in the sender's order), per transport.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport {

// Calls on_record(Json& record, size_t index) for each record, in order.
// Returns the document's node_id (null when it has none). Throws
// nebula::Error(NEBULA_INVALID) when the document is not a data_batch or a
// record is not an object.
template <typename Json, typename OnRecord>
Json for_each_batch_record(std::string_view batch_json, OnRecord&& on_record) {
  auto doc = Json::parse(batch_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("data_batch") || !doc["data_batch"].is_array())
    throw Error(NEBULA_INVALID, "not a data_batch document (expected {\"node_id\":..,\"data_batch\":[..]})");
  const bool has_node = doc.contains("node_id");
  const Json node = has_node ? doc["node_id"] : Json();
  size_t i = 0;
  for (auto& record : doc["data_batch"]) {
    if (!record.is_object()) throw Error(NEBULA_INVALID, "data_batch[" + std::to_string(i) + "] is not an object");
    if (has_node && !record.contains("node_id")) record["node_id"] = node;
    on_record(record, i);
    ++i;
  }
  return node;
}

// One record as one NDJSON line; dump() escapes newlines inside strings.
template <typename Json>
void append_ndjson_line(std::string& out, const Json& record) {
  out += record.dump();
  out += '\n';
}

}  // namespace nebula::transport
