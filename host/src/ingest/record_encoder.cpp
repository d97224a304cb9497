#include "ingest/record_encoder.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "ingest/wire_fields.hpp"

namespace nebula::host {

std::string encode_record_json(const Record& r) {
  using json = nlohmann::json;
  json doc = {
      {fields::timestamp, r.timestamp},
      {fields::node_id, r.node_id},
      {fields::node_type, r.node_type},
      {fields::chain_id, r.chain_id},
  };
  if (r.seq) doc[fields::seq] = *r.seq;
  for (const auto& f : wire::metric_fields) {
    if (f.count) {
      if (const auto& v = r.*f.count) doc[wire::group_name(f.group)][f.leaf()] = *v;
    } else if (const auto& v = r.*f.amount) {
      doc[wire::group_name(f.group)][f.leaf()] = *v;
    }
  }

  if (!r.extra_json.empty()) {
    json extra = json::parse(r.extra_json, nullptr, /*allow_exceptions=*/false);
    if (!extra.is_object()) throw std::invalid_argument("Record::extra_json is not a JSON object");
    for (auto& [key, value] : extra.get_ref<json::object_t&>()) {
      if (wire::group_of(key) != wire::Group::None && value.is_object()) {
        json& group = doc[key];
        if (!group.is_object()) group = json::object();
        for (auto& [leaf, v] : value.get_ref<json::object_t&>()) group.emplace(leaf, std::move(v));
      } else {
        doc.emplace(key, std::move(value));  // emplace: never replaces a canonical field
      }
    }
  }
  // replace: a hand-built Record may hold invalid UTF-8; never throw from here.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace nebula::host
