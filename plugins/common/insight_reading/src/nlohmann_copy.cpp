#include "nebula_insights/nlohmann_copy.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace nebula::insights {

using simdjson::dom::element_type;

// Recursion is bounded by the tape's own nesting limit (1024 levels).
nlohmann::json to_nlohmann(const simdjson::dom::element& e) {
  switch (e.type()) {
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      const simdjson::dom::array items = e.get_array().value_unsafe();
      out.get_ref<nlohmann::json::array_t&>().reserve(items.size());
      for (const simdjson::dom::element child : items) out.push_back(to_nlohmann(child));
      return out;
    }
    case element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      const simdjson::dom::object fields = e.get_object().value_unsafe();
      for (const auto field : fields) out[std::string(field.key)] = to_nlohmann(field.value);
      return out;
    }
    case element_type::INT64: return e.get_int64().value_unsafe();
    case element_type::UINT64: return e.get_uint64().value_unsafe();
    case element_type::DOUBLE: return e.get_double().value_unsafe();
    case element_type::STRING: return std::string(e.get_string().value_unsafe());
    case element_type::BOOL: return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

bool same_as_nlohmann(const simdjson::dom::element& e, const nlohmann::json& value) {
  switch (e.type()) {
    case element_type::ARRAY: {
      if (!value.is_array()) return false;
      const simdjson::dom::array items = e.get_array().value_unsafe();
      if (items.size() != value.size()) return false;
      auto it = value.begin();
      for (const simdjson::dom::element child : items)
        if (!same_as_nlohmann(child, *it++)) return false;
      return true;
    }
    case element_type::OBJECT: {
      if (!value.is_object()) return false;
      const simdjson::dom::object fields = e.get_object().value_unsafe();
      // Keys strictly ascending (as the producers write them) make `count`
      // distinct keys; anything else is taken as different.
      size_t count = 0;
      std::string_view previous;
      for (const auto field : fields) {
        if (count > 0 && !(previous < field.key)) return false;
        previous = field.key;
        const auto member = value.find(field.key);
        if (member == value.end() || !same_as_nlohmann(field.value, *member)) return false;
        ++count;
      }
      return count == value.size();
    }
    case element_type::INT64:
      return value.is_number_integer() && !value.is_number_unsigned() &&
             value.get<std::int64_t>() == e.get_int64().value_unsafe();
    case element_type::UINT64:
      return value.is_number_unsigned() && value.get<std::uint64_t>() == e.get_uint64().value_unsafe();
    case element_type::DOUBLE: {
      if (!value.is_number_float()) return false;
      const double a = value.get<double>(), b = e.get_double().value_unsafe();
      return std::memcmp(&a, &b, sizeof a) == 0;  // -0.0 is not 0.0: they dump differently
    }
    case element_type::STRING:
      return value.is_string() && value.get_ref<const std::string&>() == e.get_string().value_unsafe();
    case element_type::BOOL: return value.is_boolean() && value.get<bool>() == e.get_bool().value_unsafe();
    case element_type::NULL_VALUE: return value.is_null();
  }
  return false;
}

nlohmann::json to_nlohmann_without(const simdjson::dom::object& object,
                                   std::initializer_list<std::string_view> skipped) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto field : object)
    if (std::find(skipped.begin(), skipped.end(), field.key) == skipped.end())
      out[std::string(field.key)] = to_nlohmann(field.value);
  return out;
}

}  // namespace nebula::insights
