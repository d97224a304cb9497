// Collects the fields of one record we do not know, so they travel on
// verbatim (as one JSON object in Record::extra_json) instead of being lost.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ingest/field_reader.hpp"

namespace nebula::host {

class ExtraFields {
 public:
  // An unknown top-level key. The value is moved, not copied.
  void add(std::string_view key, nlohmann::json&& value);
  // An unknown key inside a known group object ("blockchain", ...), kept
  // nested so the record re-encodes to the same shape.
  void add(std::string_view group, std::string_view key, nlohmann::json&& value);

  // Serializes into `out` ("" when nothing was added), enforcing the depth
  // and size limits; a violation is recorded on `reader` as field "extra".
  void finish(FieldReader& reader, std::string& out);

 private:
  nlohmann::json fields_;  // null until the first add: most records have none
};

}  // namespace nebula::host
