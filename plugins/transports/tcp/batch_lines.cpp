#include "batch_lines.hpp"

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport::tcp {

BatchLines batch_to_lines(std::string_view batch_json) {
  auto doc = nlohmann::json::parse(batch_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("data_batch") || !doc["data_batch"].is_array())
    throw Error(NEBULA_INVALID, "not a data_batch document (expected {\"node_id\":..,\"data_batch\":[..]})");
  const nlohmann::json* node = doc.contains("node_id") ? &doc["node_id"] : nullptr;
  BatchLines out;
  if (node && node->is_string()) out.node_id = node->get<std::string>();
  size_t i = 0;
  for (auto& record : doc["data_batch"]) {
    if (!record.is_object()) throw Error(NEBULA_INVALID, "data_batch[" + std::to_string(i) + "] is not an object");
    // The server would read such a line as a control line (a commit or auth
    // inside the batch); caught by fuzz/targets/tcp_framing.cpp.
    if (record.contains("nebula"))
      throw Error(NEBULA_INVALID,
                  "data_batch[" + std::to_string(i) + "] has the key \"nebula\", which is reserved for control lines");
    if (node && !record.contains("node_id")) record["node_id"] = *node;
    out.text += record.dump();  // dump() escapes newlines: one record, one line
    out.text += '\n';
    ++out.count;
    ++i;
  }
  return out;
}

}  // namespace nebula::transport::tcp
