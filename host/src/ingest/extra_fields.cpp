#include "ingest/extra_fields.hpp"

namespace nebula::host {
namespace {

// dump() recurses once per nesting level; the parser does not. Refuse deep
// values before serializing them. The walk stops at the limit, so it is
// itself bounded.
bool deeper_than(const nlohmann::json& v, size_t limit) {
  if (!v.is_structured()) return false;
  if (limit == 0) return true;
  for (const auto& child : v)
    if (deeper_than(child, limit - 1)) return true;
  return false;
}

}  // namespace

void ExtraFields::add(std::string_view key, nlohmann::json&& value) {
  fields_[std::string(key)] = std::move(value);
}

void ExtraFields::add(std::string_view group, std::string_view key, nlohmann::json&& value) {
  fields_[std::string(group)][std::string(key)] = std::move(value);
}

void ExtraFields::finish(FieldReader& reader, std::string& out) {
  if (fields_.is_null()) return;
  const size_t depth = reader.limits().max_extra_depth;
  if (deeper_than(fields_, depth + 1)) {  // +1: the wrapping object itself
    reader.fail("extra", "unknown fields are nested deeper than " + std::to_string(depth) + " levels");
    return;
  }
  // Sorted keys (std::map) and compact output: one canonical text per value.
  std::string text = fields_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const size_t max = reader.limits().max_extra_bytes;
  if (text.size() > max) {
    reader.fail("extra", "unknown fields take " + std::to_string(text.size()) +
                             " bytes, more than the limit of " + std::to_string(max));
    return;
  }
  out = std::move(text);
}

}  // namespace nebula::host
