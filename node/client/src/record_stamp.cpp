#include "record_stamp.hpp"

#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nebula::node {

PreparedRecord prepare_record(std::string_view record_json, const StampDefaults& defaults, double now_seconds) {
  auto doc = nlohmann::json::parse(record_json, nullptr, false);
  if (doc.is_discarded()) throw std::invalid_argument("record is not valid JSON");
  if (!doc.is_object()) throw std::invalid_argument("record must be a JSON object");

  auto fill = [&](const char* key, const std::string& value) {
    if (doc.contains(key)) {
      if (!doc[key].is_string() || doc[key].get_ref<const std::string&>().empty())
        throw std::invalid_argument(std::string(key) + " must be a non-empty string");
    } else if (!value.empty()) {
      doc[key] = value;
    }
  };
  fill("node_id", defaults.node_id);
  fill("node_type", defaults.node_type);
  fill("chain_id", defaults.chain_id);
  if (!doc.contains("node_id")) throw std::invalid_argument("record has no node_id and the config sets none");

  if (!doc.contains("timestamp")) doc["timestamp"] = now_seconds;
  else if (!doc["timestamp"].is_number()) throw std::invalid_argument("timestamp must be a number (seconds)");

  PreparedRecord out;
  out.node_id = doc["node_id"].get<std::string>();
  if (doc.contains("seq")) {
    const auto& s = doc["seq"];
    const bool too_big = s.is_number_unsigned() && s.get<std::uint64_t>() > INT64_MAX;
    if (!s.is_number_integer() || too_big || (!s.is_number_unsigned() && s.get<std::int64_t>() < 0))
      throw std::invalid_argument("seq must be a non-negative integer");
    out.seq = s.get<std::int64_t>();
  }
  out.json = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

std::string with_seq(std::string_view object_json, std::int64_t seq) {
  std::string out;
  out.reserve(object_json.size() + 24);
  out += "{\"seq\":";
  out += std::to_string(seq);
  const std::string_view rest = object_json.substr(1);  // after '{'
  if (rest != "}") out += ',';
  out += rest;
  return out;
}

}  // namespace nebula::node
