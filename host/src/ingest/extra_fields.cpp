#include "ingest/extra_fields.hpp"

#include "ingest/object_fields.hpp"

namespace nebula::host {

bool nested_deeper_than(const nlohmann::json& v, size_t limit) {
  if (!v.is_structured()) return false;
  if (limit == 0) return true;
  for (const auto& child : v)
    if (nested_deeper_than(child, limit - 1)) return true;
  return false;
}

namespace {

using nlohmann::json;
using simdjson::dom::element_type;

// Copies `v` into `out`, at most `levels` arrays/objects deep (false beyond:
// the copy recurses, so it is bounded like nested_deeper_than).
bool copy(JsonValue v, size_t levels, json& out) {
  switch (v.type()) {
    case element_type::ARRAY: {
      if (levels == 0) return false;
      out = json::array();
      const simdjson::dom::array items = v.get_array().value_unsafe();
      for (JsonValue child : items)
        if (!copy(child, levels - 1, out.emplace_back())) return false;
      return true;
    }
    case element_type::OBJECT:
      if (levels == 0) return false;
      out = json::object();
      for (const auto& [key, child] : ObjectFields(v.get_object().value_unsafe()))
        if (!copy(child, levels - 1, out[std::string(key)])) return false;
      return true;
    case element_type::INT64: out = v.get_int64().value_unsafe(); return true;
    case element_type::UINT64: out = v.get_uint64().value_unsafe(); return true;
    case element_type::DOUBLE: out = v.get_double().value_unsafe(); return true;
    case element_type::STRING: out = std::string(v.get_string().value_unsafe()); return true;
    case element_type::BOOL: out = v.get_bool().value_unsafe(); return true;
    case element_type::NULL_VALUE: out = nullptr; return true;
  }
  return true;
}

}  // namespace

// A value one level deeper than the limit is still copied, so finish()
// reports exactly what the limit allows; deeper ones only set too_deep_.
void ExtraFields::add(std::string_view key, JsonValue value) {
  json v;
  if (copy(value, limits_.max_extra_depth + 1, v)) fields_[std::string(key)] = std::move(v);
  else too_deep_ = true;
}

void ExtraFields::add(std::string_view group, std::string_view key, JsonValue value) {
  json v;
  if (copy(value, limits_.max_extra_depth + 1, v)) fields_[std::string(group)][std::string(key)] = std::move(v);
  else too_deep_ = true;
}

void ExtraFields::finish(FieldReader& reader, std::string& out) {
  if (fields_.is_null() && !too_deep_) return;
  const size_t depth = limits_.max_extra_depth;
  if (too_deep_ || nested_deeper_than(fields_, depth + 1)) {  // +1: the wrapping object itself
    reader.fail("extra", "unknown fields are nested deeper than " + std::to_string(depth) + " levels");
    return;
  }
  // Sorted keys (std::map) and compact output: one canonical text per value.
  std::string text = fields_.dump(-1, ' ', false, json::error_handler_t::replace);
  const size_t max = limits_.max_extra_bytes;
  if (text.size() > max) {
    reader.fail("extra", "unknown fields take " + std::to_string(text.size()) +
                             " bytes, more than the limit of " + std::to_string(max));
    return;
  }
  out = std::move(text);
}

}  // namespace nebula::host
