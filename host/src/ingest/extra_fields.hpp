// Collects the fields of one record we do not know, so they travel on
// verbatim (as one JSON object in Record::extra_json) instead of being lost.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ingest/field_reader.hpp"

namespace nebula::host {

// dump() recurses once per nesting level; the parsers do not. Deep values are
// refused before anything serializes them. The walk stops at `limit` levels,
// so it is itself bounded.
bool nested_deeper_than(const nlohmann::json& v, size_t limit);

class ExtraFields {
 public:
  explicit ExtraFields(const DecodeLimits& limits) : limits_(limits) {}

  // An unknown top-level key; the value is copied out of the parsed payload.
  void add(std::string_view key, JsonValue value);
  // An unknown key inside a known group object ("blockchain", ...), kept
  // nested so the record re-encodes to the same shape.
  void add(std::string_view group, std::string_view key, JsonValue value);

  // Serializes into `out` ("" when nothing was added), enforcing the depth
  // and size limits; a violation is recorded on `reader` as field "extra".
  void finish(FieldReader& reader, std::string& out);

 private:
  const DecodeLimits& limits_;
  nlohmann::json fields_;   // null until the first add: most records have none
  bool too_deep_ = false;   // a value was not even copied: deeper than any limit allows
};

}  // namespace nebula::host
