#include "nebula_decision/json_read.hpp"

#include <limits>

#include <nebula_insights/json_tape.hpp>

namespace nebula::decision {

using nlohmann::json;

const json* field_at(const json& obj, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return nullptr;
  for (const char* k : keys) {
    auto it = obj.find(k);
    if (it != obj.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

double number_at(const json& obj, std::initializer_list<const char*> keys) {
  if (obj.is_object())
    for (const char* k : keys) {
      auto it = obj.find(k);
      if (it != obj.end() && it->is_number()) return it->get<double>();
    }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string text_at(const json& obj, std::initializer_list<const char*> keys) {
  if (obj.is_object())
    for (const char* k : keys) {
      auto it = obj.find(k);
      if (it != obj.end() && it->is_string()) return it->get<std::string>();
    }
  return {};
}

std::vector<std::string> node_list(const json* list) {
  std::vector<std::string> out;
  if (!list || !list->is_array()) return out;
  for (const auto& item : *list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    else if (auto id = text_at(item, {"node_id", "node", "id"}); !id.empty()) out.push_back(std::move(id));
  }
  return out;
}

std::vector<std::pair<std::string, const json*>> chain_entries(const json& doc) {
  std::vector<std::pair<std::string, const json*>> out;
  const json* chains = field_at(doc, {"chains", "per_chain"});
  if (chains && chains->is_object()) {
    for (auto it = chains->begin(); it != chains->end(); ++it)
      if (it->is_object()) out.emplace_back(it.key(), &*it);
  } else if (chains && chains->is_array()) {
    for (const auto& c : *chains)
      if (auto id = text_at(c, {"chain_id", "chain", "id"}); !id.empty()) out.emplace_back(std::move(id), &c);
  } else if (auto id = text_at(doc, {"chain_id"}); !id.empty()) {
    out.emplace_back(std::move(id), &doc);  // a single-chain document
  }
  return out;
}

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<element> field_at(const element& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto v = insights::member_of(obj, k); v && v->type() != element_type::NULL_VALUE) return v;
  return std::nullopt;
}

double number_at(const element& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const auto v = insights::member_of(obj, k))
      if (const auto d = insights::number_of(*v)) return *d;
  return std::numeric_limits<double>::quiet_NaN();
}

std::string text_at(const element& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const auto v = insights::member_of(obj, k); v && insights::is_string(*v))
      return std::string(insights::string_view_of(*v));
  return {};
}

std::vector<std::string> node_list(const std::optional<element>& list) {
  std::vector<std::string> out;
  if (!list || list->type() != element_type::ARRAY) return out;
  for (const element item : insights::array_of(*list)) {
    if (insights::is_string(item)) out.emplace_back(insights::string_view_of(item));
    else if (auto id = text_at(item, {"node_id", "node", "id"}); !id.empty()) out.push_back(std::move(id));
  }
  return out;
}

}  // namespace nebula::decision
