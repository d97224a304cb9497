// Small text helpers for annotations: numbers as people read them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace nebula::alertmanager {

// 0.825 -> "0.825", 1767226605 -> "1767226605", null -> "n/a".
std::string format_value(const nlohmann::json& v);

// "a, b, c" from a JSON array of strings (other entries as JSON).
std::string join_list(const nlohmann::json& items);

}  // namespace nebula::alertmanager
