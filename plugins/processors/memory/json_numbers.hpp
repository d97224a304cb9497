// NaN <-> JSON null, for state files and insights (JSON has no NaN).
#pragma once

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace nebula::memory {

inline nlohmann::json number_or_null(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v == 0 ? 0.0 : v;
}

// Reads doc[key]: null -> NaN; missing key or a non-number throws (damaged state).
inline double number_at(const nlohmann::json& doc, const char* key) {
  const auto& v = doc.at(key);
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

}  // namespace nebula::memory
