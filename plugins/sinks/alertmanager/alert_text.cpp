#include "alert_text.hpp"

#include <cmath>
#include <cstdio>

namespace nebula::alertmanager {

std::string format_value(const nlohmann::json& v) {
  if (v.is_number()) {
    const double d = v.get<double>();
    if (!std::isfinite(d)) return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "n/a";
  return v.dump();
}

std::string join_list(const nlohmann::json& items) {
  std::string out;
  if (!items.is_array()) return out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + format_value(item);
  return out;
}

}  // namespace nebula::alertmanager
