#include "nebula_insights/nlohmann_copy.hpp"

#include <algorithm>
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

nlohmann::json to_nlohmann_without(const simdjson::dom::object& object,
                                   std::initializer_list<std::string_view> skipped) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto field : object)
    if (std::find(skipped.begin(), skipped.end(), field.key) == skipped.end())
      out[std::string(field.key)] = to_nlohmann(field.value);
  return out;
}

}  // namespace nebula::insights
