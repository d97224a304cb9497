// Defensive readers for insights written by other components: a missing
// field, a null or a field of another type reads as "unknown", never throws.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace nebula::decision {

// The first of `keys` that holds a number; NaN when none does.
double number_at(const nlohmann::json& obj, std::initializer_list<const char*> keys);
// The first of `keys` that holds a string; "" when none does.
std::string text_at(const nlohmann::json& obj, std::initializer_list<const char*> keys);
// The first of `keys` present and not null; nullptr when none is.
const nlohmann::json* field_at(const nlohmann::json& obj, std::initializer_list<const char*> keys);

// Node ids from ["a","b"] or [{"node_id":"a"}, {"node":"b"}, {"id":"c"}].
std::vector<std::string> node_list(const nlohmann::json* list);

// Per-chain entries from {"chains": {"<id>": {...}}} or {"chains": [{"chain_id": ...}]},
// as (chain_id, object) pairs.
std::vector<std::pair<std::string, const nlohmann::json*>> chain_entries(const nlohmann::json& doc);

// The same readers on an insight's simdjson tape (nebula_insights/json_tape.hpp),
// for lists too large to copy into nlohmann first; each reads what its
// nlohmann twin reads from a DOM of the same text.
double number_at(const simdjson::dom::element& obj, std::initializer_list<const char*> keys);
std::string text_at(const simdjson::dom::element& obj, std::initializer_list<const char*> keys);
std::optional<simdjson::dom::element> field_at(const simdjson::dom::element& obj,
                                               std::initializer_list<const char*> keys);
std::vector<std::string> node_list(const std::optional<simdjson::dom::element>& list);

}  // namespace nebula::decision
