#include "nebula_decision/json_read.hpp"

#include <limits>

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

}  // namespace nebula::decision
