// The members of a JSON object in the order the decoder reads them: sorted
// by key, a repeated key keeping only its last value. That is how
// nlohmann::json (a std::map) presented objects before the decoder moved to
// simdjson, so error order and duplicate handling did not change with it.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace nebula::host {

class ObjectFields {
 public:
  struct Field {
    std::string_view key;
    simdjson::dom::element value;
  };

  explicit ObjectFields(simdjson::dom::object object);
  ObjectFields(const ObjectFields&) = delete;
  ObjectFields& operator=(const ObjectFields&) = delete;

  const Field* begin() const { return data_; }
  const Field* end() const { return data_ + size_; }
  std::optional<simdjson::dom::element> find(std::string_view key) const;

 private:
  // Records have a dozen keys at most: no allocation unless an object is bigger.
  std::array<Field, 16> inline_;
  std::vector<Field> heap_;
  Field* data_ = inline_.data();
  size_t size_ = 0;
};

}  // namespace nebula::host
