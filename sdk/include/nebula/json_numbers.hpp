// NaN <-> JSON null, for insights and state files: JSON has no NaN, and an
// unknown number must read as unknown (null), not as 0.
#pragma once

#include <cmath>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

namespace nebula {

// A finite number, or null for NaN / infinity. -0 is written as 0.
inline nlohmann::json number_or_null(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v == 0 ? 0.0 : v;
}
// The same for a value that may not exist yet (a loss before the first step).
inline nlohmann::json number_or_null(const std::optional<double>& v) { return v ? number_or_null(*v) : nullptr; }

// Reads doc[key]: null -> NaN; a missing key or a non-number throws
// (nlohmann::json::exception), which state loaders report as damage.
inline double number_at(const nlohmann::json& doc, const char* key) {
  const auto& v = doc.at(key);
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

}  // namespace nebula
